"""政府信息主动公开: an item of the 政府信息公开目录, its attachments, the per-department 索引号 counter,
the 政府信息公开指南 and the 季点评. Rules live in ``rules.py``, writes in ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The national 公开目录 categories (国办发〔2019〕 guide to the 政府信息公开目录)."""

    FUNCTIONS = "functions", _("机构职能")
    POLICY = "policy", _("政策文件")
    PLANNING = "planning", _("规划计划")
    BUDGET = "budget", _("财政预决算")
    PERSONNEL = "personnel", _("人事信息")
    SERVICES = "services", _("政务服务")
    KEY_AREAS = "key_areas", _("重点领域")
    OTHER = "other", _("其他")


class PolicyKind(models.TextChoices):
    REGULATION = "regulation", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    OTHER_POLICY = "other_policy", _("其他政策文件")
    INTERPRETATION = "interpretation", _("政策解读")


class Topic(models.TextChoices):
    """国务院公文主题分类, top level."""

    GENERAL = "general", _("综合政务")
    ECONOMY = "economy", _("国民经济管理、国有资产监管")
    FINANCE = "finance", _("财政、金融、审计")
    LAND = "land", _("国土资源、能源")
    AGRICULTURE = "agriculture", _("农业、林业、水利")
    INDUSTRY = "industry", _("工业、交通")
    TRADE = "trade", _("商贸、海关、旅游")
    MARKET = "market", _("市场监管、安全生产监管")
    CONSTRUCTION = "construction", _("城乡建设、环境保护")
    SCIENCE = "science", _("科技、教育")
    CULTURE = "culture", _("文化、广电、新闻出版")
    HEALTH = "health", _("卫生、体育")
    POPULATION = "population", _("人口与计划生育、妇女儿童工作")
    LABOUR = "labour", _("劳动、人事、监察")
    SECURITY = "security", _("公安、安全、司法")
    CIVIL = "civil", _("民政、扶贫、救灾")
    ETHNIC = "ethnic", _("民族、宗教")
    FOREIGN = "foreign", _("对外事务")
    HMT = "hmt", _("港澳台侨工作")
    DEFENCE = "defence", _("国防")
    OTHER = "other", _("其他")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


SUBJECT_PREFIX = "disclosure:"


def subject_of(item_id: int, review_round: int) -> str:
    return f"{SUBJECT_PREFIX}{item_id}" if review_round == 1 else f"{SUBJECT_PREFIX}{item_id}-{review_round}"


def item_id_of(subject: str) -> int | None:
    if not subject.startswith(SUBJECT_PREFIX):
        return None
    head = subject[len(SUBJECT_PREFIX) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None


class DisclosureItem(models.Model):
    """One piece of government information in the catalogue. ``changed_on`` is the day the
    information was created or changed: its 20-working-day publishing deadline counts from it."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("公开部门"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("公开目录"), max_length=16, choices=Category.choices)
    policy_kind = models.CharField(_("文件类别"), max_length=16, choices=PolicyKind.choices, blank=True)
    key_area = models.CharField(_("重点领域子目录"), max_length=50, blank=True)
    index_number = models.CharField(_("索引号"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    issuer = models.CharField(_("发布机构"), max_length=100)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=50, blank=True)
    topic = models.CharField(_("主题分类"), max_length=16, choices=Topic.choices, default=Topic.GENERAL)
    validity = models.CharField(_("有效性"), max_length=16, choices=Validity.choices, default=Validity.VALID)
    validity_changed_on = models.DateField(_("失效或废止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    changed_on = models.DateField(_("信息形成或变更日期"))
    first_published_on = models.DateField(_("首次发布日期"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    source_document_id = models.PositiveIntegerField(_("来源公文"), null=True, blank=True)
    review_round = models.PositiveSmallIntegerField(_("审核轮次"), default=1)  # one process per round
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+"
    )
    secrecy_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保密审查人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核领导"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    justification = models.TextField(_("发布说明"), blank=True)
    justified_findings = models.CharField(_("已说明的检查结果"), max_length=64, blank=True)
    search_tokens = models.TextField(_("检索词"), blank=True, editable=False)
    idempotency_key = models.CharField(_("提交标识"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        constraints = [
            models.UniqueConstraint(fields=["author", "idempotency_key"], name="disclosure_item_once"),
            models.UniqueConstraint(
                fields=["source_document_id"],
                condition=Q(source_document_id__isnull=False),
                name="disclosure_item_one_per_document",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="disclosure_public_idx"),
            models.Index(fields=["department", "status"], name="disclosure_dept_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        """The subject of this round's review process (a revision starts another round)."""
        return subject_of(self.pk, self.review_round)

    @property
    def is_published(self) -> bool:
        return self.status == ItemStatus.PUBLISHED


class DisclosureAttachment(models.Model):
    """A file published with an item; ``text`` is what the personal-data check reads of it."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=120)
    mime_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(_("内容"))
    text = models.TextField(_("文字内容"), blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndexCounter(models.Model):
    """The last 索引号 serial of a department in a year (locked while the next is taken)."""

    department = models.ForeignKey("organizations.Department", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="disclosure_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.last:05d}"


class DisclosureGuide(models.Model):
    """政府信息公开指南 of a department, shown on the portal once it has text."""

    department = models.OneToOneField(
        "organizations.Department", verbose_name=_("部门"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("指南正文"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return str(self.department_id)


class QuarterlyReview(models.Model):
    """季点评: the 政务公开 office's comment on a department's disclosure in a quarter."""

    department = models.ForeignKey("organizations.Department", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    text = models.TextField(_("点评"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("季点评")
        verbose_name_plural = _("季点评")
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "quarter"], name="disclosure_review_once"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="disclosure_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"
