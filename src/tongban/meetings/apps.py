from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.meetings"
    verbose_name = _("会议")

    def ready(self) -> None:
        from tongban.meetings import tracking_source

        tracking_source.register()
