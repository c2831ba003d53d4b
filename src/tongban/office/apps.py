from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "tongban.office"
    verbose_name = _("内部事项")

    def ready(self) -> None:
        from tongban.office import receivers  # noqa: F401
        from tongban.office.selectors import describe_requests
        from tongban.workflow import subjects

        subjects.register("request:", describe_requests)
