"""依申请公开: a request for government information, its clock (pauses, the one extension), the notices
sent to the applicant, the files released after redaction, the redaction rules and the annual report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

BASE_DAYS = 20  # 条例 第三十三条: answered within 20 working days of receipt
EXTENSION_DAYS = 20  # extendable once by at most 20 working days


def private_storage() -> Storage:
    """The private "materials" storage: files are served only through views that check who asks."""
    return storages["materials"]


class ApplicantType(models.TextChoices):
    """The columns of the national annual-report table (第三部分)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_WELFARE = "public_welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


ORGANIZATION_TYPES = (
    ApplicantType.COMMERCIAL,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_WELFARE,
    ApplicantType.LEGAL_SERVICE,
    ApplicantType.OTHER,
)


class Delivery(models.TextChoices):
    ONLINE = "online", _("网上获取（在我的账户中查看）")
    EMAIL = "email", _("电子邮件")
    POST = "post", _("邮寄")
    IN_PERSON = "in_person", _("当面领取")


class Format(models.TextChoices):
    ELECTRONIC = "electronic", _("电子文档")
    PAPER = "paper", _("纸质文本")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已收到")
    HANDLING = "handling", _("办理中")
    CORRECTION = "correction", _("待补正")
    CONSULTATION = "consultation", _("征求第三方意见")
    REVIEW = "review", _("待审核签发")
    ANSWERED = "answered", _("已答复")


OPEN_STATUSES = (Status.SUBMITTED, Status.HANDLING, Status.CORRECTION, Status.CONSULTATION, Status.REVIEW)


class AnswerType(models.TextChoices):
    ALREADY_PUBLIC = "already_public", _("已公开")
    GRANTED = "granted", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    REFUSED = "refused", _("不予公开")
    NOT_EXIST = "not_exist", _("信息不存在")
    NOT_HELD = "not_held", _("非本机关掌握")
    REPEATED = "repeated", _("重复申请")


class RefusalGround(models.TextChoices):
    """不予公开的理由 (条例 第十四、十五、十六条), in the rows of the annual-report table."""

    STATE_SECRET = "state_secret", _("属于国家秘密")
    LAW_FORBIDS = "law_forbids", _("其他法律行政法规禁止公开")
    SECURITY = "security", _("危及“三安全一稳定”")
    THIRD_PARTY = "third_party", _("保护第三方合法权益（商业秘密、个人隐私）")
    INTERNAL = "internal", _("属于三类内部事务信息")
    PROCESS = "process", _("属于四类过程性信息")
    ENFORCEMENT = "enforcement", _("属于行政执法案卷")
    OTHER = "other", _("其他")


class DisclosureRequest(models.Model):
    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    contact_email = models.CharField(_("电子邮箱"), max_length=200, blank=True)
    postal_address = models.CharField(_("邮寄地址"), max_length=300, blank=True)
    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("所需信息的名称、文号或描述"))
    purpose = models.TextField(_("用途（选填）"), blank=True)
    delivery = models.CharField(_("获取方式"), max_length=16, choices=Delivery.choices)
    format = models.CharField(_("载体形式"), max_length=16, choices=Format.choices)
    idempotency_key = models.UUIDField(editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    received_on = models.DateField(_("收到申请日期"))
    due_on = models.DateField(_("答复期限"))
    extended = models.BooleanField(_("已延期"), default=False)
    paused_days = models.PositiveIntegerField(_("不计入期限的工作日"), default=0)
    answer_type = models.CharField(_("答复类型"), max_length=20, choices=AnswerType.choices, blank=True)
    refusal_ground = models.CharField(
        _("不予公开理由"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    answer_text = models.TextField(_("答复说明"), blank=True)
    answer_url = models.CharField(_("已公开信息的链接"), max_length=500, blank=True)
    holder_name = models.CharField(_("掌握该信息的机关"), max_length=200, blank=True)
    holder_contact = models.CharField(_("该机关的联系方式"), max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer_pdf = models.FileField(
        _("答复告知书"), storage=private_storage, upload_to="disclosure_requests/", blank=True
    )
    answer_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], name="dr_request_idempotent")
        ]
        indexes = [models.Index(fields=["department", "status", "due_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status in (Status.CORRECTION, Status.CONSULTATION)


class ReceiptCounter(models.Model):
    """The city-wide sequence of receipt numbers per year (YSQ-2026-000123), taken under a row lock."""

    year = models.PositiveIntegerField(unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class PauseKind(models.TextChoices):
    CORRECTION = "correction", _("补正")
    CONSULTATION = "consultation", _("征求第三方意见")


class Pause(models.Model):
    """A stretch that does not count towards the due date: 补正 (from the request to the applicant's
    reply) or 征求第三方意见 (from its start to its end)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=16, choices=PauseKind.choices)
    reason = models.TextField(_("理由"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    days = models.PositiveIntegerField(_("不计入的工作日"), default=0)
    reply = models.TextField(_("申请人补正内容或第三方意见"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.started_on}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Extension(models.Model):
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("延期理由"))
    status = models.CharField(max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One pending extension at a time per request.
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(status="pending"), name="dr_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class Notice(models.Model):
    """A letter to the applicant in their account: 延期告知书, 补正告知书, 征求第三方意见告知."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="notices")
    title = models.CharField(max_length=100)
    body = models.TextField()
    pdf = models.FileField(storage=private_storage, upload_to="disclosure_requests/notices/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


def _file_key(instance: ReleaseFile, filename: str) -> str:
    return f"disclosure_requests/{instance.request_id}/{uuid.uuid4().hex}"  # never the uploader's name


class ReleaseFile(models.Model):
    """A file to release: the original (staff only, never served to the applicant) and the redacted PDF
    made from its text, which the handler previews and confirms."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(_("文件名"), max_length=120)
    original = models.FileField(storage=private_storage, upload_to=_file_key, max_length=200)
    redacted = models.FileField(storage=private_storage, upload_to=_file_key, max_length=200)
    summary = models.JSONField(default=list)  # [{"rule": name, "count": n, "examples": [masked…]}]
    terms = models.TextField(_("本件需遮蔽的姓名或词语"), blank=True)
    confirmed = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def released_name(self) -> str:
        stem = self.original_name.rsplit(".", 1)[0]
        return f"{stem}（公开版）.pdf"


class RuleKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("身份证号码")
    MOBILE = "mobile", _("手机号码")
    BANK_CARD = "bank_card", _("银行卡号")
    USCC = "uscc", _("统一社会信用代码")
    LANDLINE = "landline", _("固定电话")
    REGEX = "regex", _("自定义正则表达式")
    TERMS = "terms", _("词语列表")


class RedactionRule(models.Model):
    """An Alaveteli-style censor rule applied to every released file."""

    name = models.CharField(_("规则名称"), max_length=60, unique=True)
    kind = models.CharField(_("规则类型"), max_length=16, choices=RuleKind.choices)
    pattern = models.TextField(_("正则表达式或词语（每行一个）"), blank=True)
    replacement = models.CharField(_("替换为"), max_length=20, default="[已删除]")
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 of a department, or of the government (``department`` null)."""

    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    proactive_note = models.TextField(_("二、主动公开政府信息情况（说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    review_counts = models.JSONField(_("四、行政复议、行政诉讼情况"), default=dict)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    snapshot = models.JSONField(default=dict)  # the figures as published (parts two and three)
    pdf = models.FileField(storage=private_storage, upload_to="disclosure_requests/reports/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="dr_report_per_department"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(department__isnull=True), name="dr_report_government"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department_id or 'government'}"
