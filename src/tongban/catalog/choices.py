"""Choice lists of the service-item standard (GB/T 39554.1-2020, shared/STANDARDS.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    LICENSE = "license", _("行政许可")
    PAYMENT = "payment", _("行政给付")
    CONFIRMATION = "confirmation", _("行政确认")
    RULING = "ruling", _("行政裁决")
    REWARD = "reward", _("行政奖励")
    FILING = "filing", _("行政备案")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class PowerSource(models.TextChoices):
    STATUTORY = "statutory", _("法定本级行使")
    DELEGATED = "delegated", _("上级下放")
    AUTHORIZED = "authorized", _("上级授权")
    ENTRUSTED = "entrusted", _("同级委托")


class ExerciseLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("县级")
    TOWN = "town", _("镇（乡、街道）级")
    COMMUNITY = "community", _("村（社区）级")


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")


class OnlineDepth(models.IntegerChoices):
    LEVEL_1 = 1, _("Ⅰ级：网上咨询、在线查看办事指南")
    LEVEL_2 = 2, _("Ⅱ级：网上预约、表格下载")
    LEVEL_3 = 3, _("Ⅲ级：网上预审、网上受理")
    LEVEL_4 = 4, _("Ⅳ级：全程网办")


class MaterialType(models.TextChoices):
    CERTIFICATE = "certificate", _("证件证书证明")
    FORM = "form", _("申请表格文书")
    OTHER = "other", _("其他")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    BOTH = "both", _("纸质和电子")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    DEFERRABLE = "deferrable", _("容缺后补")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT = "government", _("政府部门核发")
    OTHER = "other", _("其他")


class ResultType(models.TextChoices):
    LICENSE = "license", _("证照")
    APPROVAL_DOCUMENT = "approval_document", _("批文")
    OTHER = "other", _("其他")
    NONE = "none", _("无")


class CrossRegionScope(models.TextChoices):
    NONE = "none", _("不支持通办")
    CITY = "city", _("全市通办")
    PROVINCE = "province", _("全省通办")
    NATIONAL = "national", _("跨省通办")


class Audience(models.TextChoices):
    NATURAL = "natural", _("个人")
    LEGAL = "legal", _("法人")


UPLOAD_TYPES = ("pdf", "jpg", "png", "ofd")


class SynonymKind(models.TextChoices):
    SYNONYM = "synonym", _("同义词")
    COLLOQUIAL = "colloquial", _("口语词")
    ABBREVIATION = "abbreviation", _("简称")
