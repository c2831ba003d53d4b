"""Base registries (基础库): natural persons (人口), legal persons (法人) and credit records (信用).

A person is found by the keyed hash of the resident ID number, the same one accounts use
(``accounts.services.resident_id_digest``); the registry never stores the number in clear (T-M7).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NaturalPerson(models.Model):
    """人口基础库: one resident."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    resident_id_hmac = models.CharField(_("身份证号码摘要"), max_length=64, unique=True, editable=False)
    resident_id_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    full_name = models.CharField(_("姓名"), max_length=100)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20)
    household_address = models.CharField(_("户籍地址"), max_length=200)
    marital_status = models.CharField(_("婚姻状况"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("自然人")
        verbose_name_plural = _("人口基础库")

    def __str__(self) -> str:
        return f"{self.full_name}（{self.resident_id_masked}）"


class LegalPerson(models.Model):
    """法人基础库: one enterprise or other legal person, by its USCC (GB 32100)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    entity_type = models.CharField(_("类型"), max_length=50)
    legal_representative = models.CharField(_("法定代表人"), max_length=100)
    registered_capital = models.CharField(_("注册资本"), max_length=50)
    established_on = models.DateField(_("成立日期"))
    address = models.CharField(_("住所"), max_length=200)
    business_scope = models.TextField(_("经营范围"))
    status = models.CharField(_("登记状态"), max_length=20, default="存续")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法人")
        verbose_name_plural = _("法人基础库")

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人")


class CreditRecord(models.Model):
    """信用基础库: a red-list or black-list entry, or an administrative penalty.

    ``subject_key`` is the resident-ID hash for persons and the USCC for legal persons."""

    class Kind(models.TextChoices):
        RED_LIST = "red", _("红名单")
        BLACK_LIST = "black", _("黑名单")
        PENALTY = "penalty", _("行政处罚")

    subject_kind = models.CharField(_("主体类型"), max_length=16, choices=SubjectKind.choices)
    subject_key = models.CharField(_("主体标识"), max_length=64, db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("事由"), max_length=200)
    authority = models.CharField(_("认定或处罚机关"), max_length=100)
    document_number = models.CharField(_("文书号"), max_length=100, blank=True)
    decided_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用基础库")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("decided_on")),
                name="registries_credit_valid_after_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"
