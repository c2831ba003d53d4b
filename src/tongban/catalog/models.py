"""Service items (政务服务事项) and their immutable published versions.

A ``ServiceItem`` is the stable identity (codes, implementing department). Everything a citizen reads
lives on a ``ServiceItemVersion`` and its parts; a published version never changes: editing means a new
draft that is published in its turn (see services.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.catalog.choices import (
    Audience,
    CrossRegionScope,
    ExerciseLevel,
    ItemKind,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    MaterialType,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    SynonymKind,
)
from tongban.catalog.errors import ImmutableVersionError
from tongban.catalog.storage import public_storage
from tongban.core.uploads import UPLOAD_MAX_MB
from tongban.schemaforms import FormSchemaError, validate_schema


class Theme(models.Model):
    """A life event (个人) or enterprise topic (法人) that groups items for browsing."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    audience = models.CharField(_("服务对象"), max_length=16, choices=Audience.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["audience", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    basic_code = models.CharField(_("基本编码"), max_length=12)
    implementation_code = models.CharField(_("实施编码"), max_length=36, unique=True)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    published_version = models.OneToOneField(
        "ServiceItemVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["implementation_code"]

    def __str__(self) -> str:
        return self.implementation_code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替代")


class ServiceItemVersion(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Search tokens of this version's texts, made when the draft is written so that publishing need
    # not run the tokenizer: {"source": sha256 of the texts, "name": …, "text": …} (services._index_*).
    search_tokens = models.JSONField(default=dict, editable=False)

    # Identity and classification
    name = models.CharField(_("事项名称"), max_length=200)
    summary = models.TextField(_("事项简介"), blank=True)
    kind = models.CharField(_("事项类型"), max_length=32, choices=ItemKind.choices)
    power_source = models.CharField(_("权力来源"), max_length=16, choices=PowerSource.choices)
    exercise_level = models.CharField(_("行使层级"), max_length=16, choices=ExerciseLevel.choices)
    serves_natural_persons = models.BooleanField(_("服务对象：自然人"), default=True)
    serves_legal_persons = models.BooleanField(_("服务对象：法人"), default=False)
    themes = models.ManyToManyField(Theme, verbose_name=_("主题分类"), blank=True, related_name="versions")
    entrusted_department = models.CharField(_("受委托部门"), max_length=100, blank=True)
    co_departments = models.CharField(_("联办机构"), max_length=300, blank=True)

    # Conditions and rights
    acceptance_conditions = models.TextField(_("受理条件"))
    rights_obligations = models.TextField(_("申请人权利和义务"), blank=True)
    review_contact = models.CharField(_("行政复议"), max_length=300, blank=True)
    litigation_contact = models.CharField(_("行政诉讼"), max_length=300, blank=True)

    # Time limits
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    statutory_limit_unit = models.CharField(
        _("法定时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    statutory_limit_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), help_text=_("0 表示即办"))
    promised_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    promised_limit_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    is_instant = models.BooleanField(_("即办件"), default=False)

    # Fees
    is_charged = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    online_payment = models.BooleanField(_("支持网上支付"), default=False)

    # Channels
    accepts_at_window = models.BooleanField(_("窗口办理"), default=True)
    accepts_online = models.BooleanField(_("网上办理"), default=True)
    accepts_by_post = models.BooleanField(_("邮寄办理"), default=False)
    online_depth = models.PositiveSmallIntegerField(_("网上办理深度"), choices=OnlineDepth.choices)
    site_visits = models.PositiveSmallIntegerField(_("到现场次数"), default=0)
    site_visit_reason = models.CharField(_("必须到现场原因"), max_length=300, blank=True)
    hall = models.ForeignKey(
        "organizations.ServiceHall",
        verbose_name=_("办理地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_note = models.CharField(_("办理地点说明"), max_length=300, blank=True)
    hours = models.CharField(_("办理时间"), max_length=300, blank=True)
    supports_appointment = models.BooleanField(_("支持预约办理"), default=False)
    appointment_daily_quota = models.PositiveIntegerField(_("每日预约名额"), default=0)
    appointment_rules = models.CharField(_("预约说明"), max_length=300, blank=True)
    materials_by_post = models.BooleanField(_("支持材料邮寄"), default=False)
    result_by_post = models.BooleanField(_("支持结果邮寄送达"), default=False)
    has_self_service_kiosk = models.BooleanField(_("支持自助终端办理"), default=False)
    cross_region_scope = models.CharField(
        _("通办范围"), max_length=16, choices=CrossRegionScope.choices, default=CrossRegionScope.NONE
    )

    # Result
    result_type = models.CharField(_("办件结果类型"), max_length=32, choices=ResultType.choices)
    result_name = models.CharField(_("办件结果名称"), max_length=100, blank=True)
    result_sample = models.FileField(
        _("办件结果样本"), storage=public_storage, upload_to="samples/", blank=True
    )

    # Online application form (JSON Schema + UI schema, tongban.schemaforms); empty: no questions asked
    form_schema = models.JSONField(_("申请表（JSON Schema）"), default=dict, blank=True)
    ui_schema = models.JSONField(_("申请表界面设置"), default=dict, blank=True)

    # Contacts
    consultation_phone = models.CharField(_("咨询电话"), max_length=30)
    consultation_url = models.URLField(_("网上咨询地址"), blank=True)
    consultation_email = models.EmailField(_("咨询邮箱"), blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=30)
    complaint_url = models.URLField(_("网上投诉地址"), blank=True)
    complaint_email = models.EmailField(_("投诉邮箱"), blank=True)
    complaint_address = models.CharField(_("投诉通信地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="draft"), name="item_has_at_most_one_draft"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="published"), name="item_has_at_most_one_published"
            ),
            models.CheckConstraint(
                condition=Q(statutory_limit__isnull=True)
                | ~Q(promised_limit_unit=models.F("statutory_limit_unit"))
                | Q(promised_limit__lte=models.F("statutory_limit")),
                name="promised_limit_within_statutory_limit",
                violation_error_message=_("规则“承诺时限不超过法定时限”：承诺办结时限不能长于法定办结时限。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版）"

    def save(self, *args, **kwargs) -> None:
        # Integrity guard, not a business rule: whatever the caller, a published row stays as published.
        # Status changes go through services.publish_version(), which uses QuerySet.update().
        if (
            self.pk
            and ServiceItemVersion.objects.filter(pk=self.pk).exclude(status=VersionStatus.DRAFT).exists()
        ):
            raise ImmutableVersionError()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # One row's rule: a form the portal cannot render or check is refused with the field named.
        if self.form_schema:
            try:
                validate_schema(self.form_schema, self.ui_schema)
            except FormSchemaError as exc:
                raise ValidationError({"form_schema": exc.details or [exc.message]}) from exc

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class VersionPart(models.Model):
    """A list entry of a version (material, legal basis, …): frozen with its version."""

    version: models.ForeignKey
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def save(self, *args, **kwargs) -> None:
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self) -> None:
        if not ServiceItemVersion.objects.filter(pk=self.version_id, status=VersionStatus.DRAFT).exists():
            raise ImmutableVersionError()


class LegalBasis(VersionPart):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="legal_bases")
    law_name = models.CharField(_("法律法规名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    article = models.CharField(_("条款号"), max_length=100, blank=True)
    text = models.TextField(_("条款内容"))
    issuer = models.CharField(_("颁布机关"), max_length=100, blank=True)
    issued_on = models.DateField(_("实施日期"), null=True, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("设定和实施依据")
        verbose_name_plural = _("设定和实施依据")

    def __str__(self) -> str:
        return f"{self.law_name} {self.article}"


class SpecialProcedure(VersionPart):
    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="special_procedures"
    )
    kind = models.CharField(_("特别程序种类"), max_length=50)
    limit = models.PositiveIntegerField(_("时限"))
    limit_unit = models.CharField(_("时限单位"), max_length=16, choices=LimitUnit.choices)
    basis = models.CharField(_("设定依据"), max_length=300, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")

    def __str__(self) -> str:
        return self.kind


class ProcessStep(VersionPart):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节名称"), max_length=50)
    office = models.CharField(_("办理科室"), max_length=100, blank=True)
    handler_role = models.CharField(_("办理人员"), max_length=50, blank=True)
    limit = models.PositiveIntegerField(_("环节时限"), default=0)
    limit_unit = models.CharField(
        _("时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    review_standard = models.TextField(_("审查标准"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return self.name


class MaterialRequirement(VersionPart):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    material_type = models.CharField(_("材料类型"), max_length=16, choices=MaterialType.choices)
    form = models.CharField(_("材料形式"), max_length=16, choices=MaterialForm.choices)
    necessity = models.CharField(_("必要性"), max_length=16, choices=Necessity.choices)
    source = models.CharField(_("来源渠道"), max_length=16, choices=MaterialSource.choices)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    blank_form = models.FileField(_("空白表格"), storage=public_storage, upload_to="forms/", blank=True)
    sample = models.FileField(_("示例样表"), storage=public_storage, upload_to="forms/", blank=True)
    notes = models.TextField(_("填报须知"), blank=True)
    basis = models.CharField(_("设定依据"), max_length=300, blank=True)
    allowed_types = models.JSONField(_("允许的文件类型"), default=list, blank=True)
    # Never above what clamd reads to the end (core.uploads.UPLOAD_MAX_MB, docs/uploads.md).
    max_size_mb = models.PositiveSmallIntegerField(
        _("文件大小上限（MB）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(UPLOAD_MAX_MB)],
    )

    class Meta(VersionPart.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.name


class Fee(VersionPart):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=100)
    standard = models.CharField(_("收费标准"), max_length=200)
    basis = models.CharField(_("收费依据"), max_length=300)
    waivable = models.BooleanField(_("可减免"), default=False)

    class Meta(VersionPart.Meta):
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")

    def __str__(self) -> str:
        return self.name


class FaqEntry(VersionPart):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))

    class Meta(VersionPart.Meta):
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    def __str__(self) -> str:
        return self.question


class ItemSearchIndex(models.Model):
    """Search tokens of an item's published version (core.search), rebuilt on publish.

    A row exists only while the item is published. The database keeps its own full-text index of
    the tokens in step with this table, in the same transaction (migrations 0004–0007): on
    PostgreSQL generated token arrays under GIN indexes, on SQLite an FTS5 table filled by triggers.
    A later migration altering this table must mind them: SQLite rebuilds an altered table without
    its triggers, and PostgreSQL's generated columns depend on the token columns.
    """

    item = models.OneToOneField(ServiceItem, on_delete=models.CASCADE, related_name="search_index")
    # The published name, for ranking without a join (shorter names first, the exact phrase).
    name = models.CharField(_("事项名称"), max_length=200, default="")
    name_tokens = models.TextField()
    text_tokens = models.TextField()

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")

    def __str__(self) -> str:
        return str(self.item_id)


class SearchSynonym(models.Model):
    """A 同义词/口语词 of the search (catalog.synonyms): a query holding ``term`` is also searched as
    each of ``expansions`` (words), and the ``items`` named here come first. Staff edit these on the
    workbench; rows are deactivated, never deleted (the audit log names them by id)."""

    term = models.CharField(_("搜索词"), max_length=30, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=SynonymKind.choices)
    expansions = models.JSONField(_("扩展为"), default=list, blank=True)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("指向事项"), blank=True, related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class ZeroResultQuery(models.Model):
    """A search that found nothing, by its normalised text (no account, no address: T-K4 privacy;
    text that looks like an ID card or phone number is never stored)."""

    query = models.CharField(_("搜索词"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    first_seen = models.DateTimeField(_("首次出现"), auto_now_add=True)
    last_seen = models.DateTimeField(_("最近出现"), auto_now=True)

    class Meta:
        verbose_name = _("无结果搜索")
        verbose_name_plural = _("无结果搜索")
        indexes = [models.Index(fields=["-count", "query"], name="zero_result_by_count")]

    def __str__(self) -> str:
        return self.query


class ItemPinyinKey(models.Model):
    """The pinyin of a published item's name (catalog.pinyin), for the search box's suggestions:
    one row per syllable-boundary suffix of the full pinyin and of the initials, so that a prefix
    range over ``key`` finds jhdj in 内地居民结婚登记. Written when the item is published."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("事项名称"), max_length=200)
    key = models.CharField(max_length=64, db_index=True)
    # 0: the key starts the name (a prefix match ranks first), 1: it starts inside it.
    inside = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("拼音索引")
        verbose_name_plural = _("拼音索引")
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="one_pinyin_key_per_item")]

    def __str__(self) -> str:
        return self.key
