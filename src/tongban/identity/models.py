from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application


class RelyingParty(models.Model):
    """A department system that signs staff in through the platform (OpenID Connect relying party).

    The OAuth2 client itself (client id, hashed secret, exact redirect URIs, confidential, authorization
    code) is django-oauth-toolkit's ``Application``; this row adds what the 安全管理员 decides: which
    scopes (and so which claims) it may ask for, where its back-channel logout goes, and whether it may
    sign anyone in at all.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="relying_party", verbose_name=_("OAuth2 客户端")
    )
    name = models.CharField(_("系统名称"), max_length=100, unique=True)
    allowed_scopes = models.CharField(_("允许的授权范围"), max_length=200, default="openid profile staff")
    backchannel_logout_uri = models.URLField(_("后端注销地址"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")

    def __str__(self) -> str:
        return self.name

    def scopes(self) -> list[str]:
        return self.allowed_scopes.split()
