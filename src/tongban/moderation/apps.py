from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "tongban.moderation"
    verbose_name = _("内容审核")
