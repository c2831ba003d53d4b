from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tongban.documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        from tongban.documents import receivers  # noqa: F401
        from tongban.documents.incoming_selectors import describe_received
        from tongban.documents.selectors import describe_documents
        from tongban.workflow import subjects

        subjects.register("document:", describe_documents)
        subjects.register("received:", describe_received)
