from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "tongban.consultations"
    verbose_name = _("意见征集")
