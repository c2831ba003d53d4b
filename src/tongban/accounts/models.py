from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Every person who logs in: citizens (natural persons), enterprises (legal persons) and staff.

    Citizens and enterprises log in with their mobile number, which is also their ``username``.
    A citizen's resident ID number is never stored in clear (T-M7): ``resident_id_hmac`` (keyed hash,
    for uniqueness and look-up) and ``resident_id_masked`` (for display, UX.md) are all we keep.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("自然人")
        ENTERPRISE = "enterprise", _("法人")
        STAFF = "staff", _("工作人员")

    kind = models.CharField(_("账户类型"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    resident_id_hmac = models.CharField(_("身份证号码摘要"), max_length=64, blank=True, editable=False)
    resident_id_masked = models.CharField(_("身份证号码"), max_length=18, blank=True, editable=False)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["resident_id_hmac"],
                condition=~Q(resident_id_hmac=""),
                name="accounts_user_resident_id_unique",
            ),
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="accounts_user_uscc_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class PhoneCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is stored; it is bound to the phone and
    the purpose it was issued for, expires, dies after too many wrong tries and is used once (T-A3)."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        LOGIN = "login", _("登录")

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="accounts_code_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="accounts_code_expires_after_creation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class EnterpriseAgent(models.Model):
    """An enterprise account authorizes a citizen account to act for it (代理人). Revoking keeps the row."""

    enterprise = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agent_authorizations",
        verbose_name=_("法人账户"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agency_authorizations",
        verbose_name=_("代理人"),
    )
    authorized_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("法人代理人授权")
        verbose_name_plural = _("法人代理人授权")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "agent"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_agent_one_active_authorization",
            ),
            models.CheckConstraint(condition=~Q(enterprise=F("agent")), name="accounts_agent_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.agent}"


class StaffTotpDevice(models.Model):
    """A staff member's authenticator app (TOTP, RFC 6238): the second factor of the staff login (T-A4).

    The secret is kept encrypted (``accounts.totp``; the key lives outside the database and its backups).
    It counts once a code from the app confirmed it. ``last_used_step`` is the 30-second time step of the
    last accepted code: each step is accepted once, and never one older than it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("工作人员"),
    )
    encrypted_secret = models.CharField(_("密钥（已加密）"), max_length=255, editable=False)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("最近使用的时间步"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("身份验证器")
        verbose_name_plural = _("身份验证器")

    def __str__(self) -> str:
        return str(self.user)
