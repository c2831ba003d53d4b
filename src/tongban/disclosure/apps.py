from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "tongban.disclosure"
    verbose_name = _("政务公开")

    def ready(self) -> None:
        from tongban.disclosure.models import SUBJECT_PREFIX
        from tongban.disclosure.selectors import describe_items
        from tongban.workflow import subjects

        subjects.register(SUBJECT_PREFIX, describe_items)
