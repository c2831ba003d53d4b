from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tongban.tracking"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from tongban.supervision import sections
        from tongban.tracking import sources
        from tongban.tracking.selectors import supervision_section

        sources.register_builtin_sources()
        sections.register(supervision_section)
