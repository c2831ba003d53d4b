from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Every person who logs in: citizens (natural persons), enterprises (legal persons) and staff."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("自然人")
        ENTERPRISE = "enterprise", _("法人")
        STAFF = "staff", _("工作人员")

    kind = models.CharField(_("账户类型"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username
