"""E-licenses (电子证照, GB/T 36901–36905): license types, their binding to catalog items, the departments'
seals (电子印章) with their signing keys, issued licenses, their status history and holders' share links."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.licenses.rules import face_field_problems, holder_source_problems, license_status


class HolderKind(models.TextChoices):
    NATURAL = "natural", _("自然人")
    LEGAL = "legal", _("法人")


class HolderCodeType(models.TextChoices):
    """持证主体代码类型 (GB/T 36902 code list, STANDARDS §8)."""

    RESIDENT_ID = "111", _("居民身份证")
    USCC = "001", _("统一社会信用代码")


class LicenseStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已注销")
    EXPIRED = "expired", _("已过期")


class LicenseType(models.Model):
    """证照类型 of one department. ``face_fields`` is the face (照面) with its field mapping:
    ``[{"key": "name", "label": "名称", "source": "form.organization_name"}, …]``; sources are listed in
    ``rules.FIELD_SOURCES``. ``validity_years`` 0 means long-term (长期)."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("发证部门"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("证照名称"), max_length=100)
    code = models.CharField(_("证照类型代码"), max_length=32)
    holder_kind = models.CharField(_("持证主体类别"), max_length=16, choices=HolderKind.choices)
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), default=0, help_text=_("0 表示长期有效")
    )
    face_fields = models.JSONField(_("照面信息项"), default=list)
    # Where the holder's name and code (ID number or USCC) come from, e.g. form.applicant.name; empty:
    # the applicant's account; the code may be new_uscc (设立登记: a new code assigned at issue).
    holder_name_source = models.CharField(_("持证主体名称来源"), max_length=100, blank=True)
    holder_code_source = models.CharField(_("持证主体代码来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="licenses_type_code_per_department")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = face_field_problems(self.face_fields) + holder_source_problems(
            holder_kind=self.holder_kind,
            name_source=self.holder_name_source,
            code_source=self.holder_code_source,
        )
        if problems:
            raise ValidationError({"face_fields": problems})


class LicenseBinding(models.Model):
    """A catalog item whose result is a license names the license type it issues."""

    item = models.OneToOneField(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+"
    )
    license_type = models.ForeignKey(LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("事项证照")
        verbose_name_plural = _("事项证照")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.license_type}"


class Seal(models.Model):
    """电子印章: the image pressed on the face and the signing key. ``private_key_ref`` is what the signer
    needs (for the local signer: the key encrypted under an environment key), never the key in clear."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("印章名称"), max_length=100)
    key_id = models.CharField(_("密钥标识"), max_length=32, unique=True)
    algorithm = models.CharField(_("签名算法"), max_length=16)
    public_key_pem = models.TextField(_("公钥"))
    private_key_ref = models.TextField(_("私钥（加密）"), editable=False)
    image = models.FileField(
        _("印章图像"),
        upload_to="seals/",
        blank=True,
        validators=[FileExtensionValidator(["png"])],
        help_text=_("透明背景的 PNG 图像；不上传时，证照上按部门名称绘制印章"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子印章")
        verbose_name_plural = _("电子印章")
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(is_active=True), name="licenses_one_active_seal"
            )
        ]

    def __str__(self) -> str:
        return self.name


class License(models.Model):
    """One issued e-license. ``signed_payload`` is the canonical JSON that ``signature`` covers; the other
    columns repeat it for lists and look-ups. A personal holder's ID number is kept masked plus a keyed
    hash (T-M7), as in accounts; the face and the payload show the masked number."""

    license_id = models.CharField(_("证照标识"), max_length=64, unique=True)
    license_type = models.ForeignKey(LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT)
    application = models.OneToOneField(
        "applications.Application", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("发证机关"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("持证账户"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("证照名称"), max_length=100)
    number = models.CharField(_("证照编号"), max_length=64)
    issuer_name = models.CharField(_("发证机关"), max_length=200)
    issuer_code = models.CharField(_("发证机关代码"), max_length=18)
    issue_date = models.DateField(_("发证日期"))
    holder_name = models.CharField(_("持证主体"), max_length=200)
    holder_code_type = models.CharField(_("持证主体代码类型"), max_length=3, choices=HolderCodeType.choices)
    holder_code = models.CharField(_("持证主体代码"), max_length=18)
    holder_code_hmac = models.CharField(_("持证主体代码摘要"), max_length=64, blank=True, editable=False)
    # 设立登记: the unified social credit code this license assigned to its new holder (unique).
    assigned_uscc = models.CharField(
        _("赋予的统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    valid_from = models.DateField(_("有效期起始"))
    valid_until = models.DateField(_("有效期截止"), null=True, blank=True)
    face = models.JSONField(_("照面信息"), default=list)
    seal = models.ForeignKey(Seal, verbose_name=_("电子印章"), on_delete=models.PROTECT)
    signed_payload = models.TextField(_("签名数据"))
    signature = models.TextField(_("签名值"))
    signed_at = models.DateTimeField(_("签名时间"))
    pdf = models.BinaryField(_("版式文件"))
    verification_token = models.CharField(_("核验码"), max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("注销原因"), blank=True)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="licenses_revoked_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    def status_on(self, day: dt.date) -> str:
        return license_status(revoked=self.revoked_at is not None, valid_until=self.valid_until, today=day)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(LicenseStatus(self.status).label)


class LicenseEvent(models.Model):
    """Audit of every status change (issue, revoke): who, when, why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("签发")
        REVOKED = "revoked", _("注销")

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=LicenseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("证照状态记录")
        verbose_name_plural = _("证照状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.license} {self.action}"


class LicenseShare(models.Model):
    """加注件: a link the holder gives to one relying party, for one purpose, showing chosen fields, until
    ``expires_at``."""

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="shares")
    token = models.CharField(_("链接码"), max_length=64, unique=True)
    purpose = models.CharField(_("用途"), max_length=100)
    fields = models.JSONField(_("公开的信息项"), default=list)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))

    class Meta:
        verbose_name = _("证照加注件")
        verbose_name_plural = _("证照加注件")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="licenses_share_expires"
            )
        ]

    def __str__(self) -> str:
        return f"{self.license} · {self.purpose}"
