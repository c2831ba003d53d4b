from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "tongban.hotline"
    verbose_name = _("12345热线")

    def ready(self) -> None:
        from tongban.hotline.selectors import supervision_section
        from tongban.supervision import sections

        sections.register(supervision_section)
