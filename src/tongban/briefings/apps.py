from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "tongban.briefings"
    verbose_name = _("政务信息报送")
