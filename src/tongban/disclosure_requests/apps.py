from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureRequestsConfig(AppConfig):
    name = "tongban.disclosure_requests"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from tongban.disclosure_requests.selectors import supervision_section
        from tongban.supervision import sections

        sections.register(supervision_section)
