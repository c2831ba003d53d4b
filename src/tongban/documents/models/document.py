"""The official document (公文) of 党政机关公文处理工作条例 with the GB/T 9704-2012 elements of its 发文单,
the bodies that issue documents (红头), templates per 文种, the versions of its 正文 and its recipients
(主送/抄送), whose rows also record the exchange (送达, 签收, 退文)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The 15 文种 of the regulation (STANDARDS §11)."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")


class Secrecy(models.TextChoices):
    """密级. Only the levels in ``TONGBAN_DOCUMENT_SECRECY_ALLOWED`` may be handled by a deployment."""

    NONE = "", _("非密")
    SECRET = "secret", _("秘密")
    CONFIDENTIAL = "confidential", _("机密")
    TOP_SECRET = "top_secret", _("绝密")


class Urgency(models.TextChoices):
    NONE = "", _("平件")
    URGENT = "urgent", _("加急")
    EXTRA_URGENT = "extra_urgent", _("特急")


class IssuingBody(models.Model):
    """A body that issues documents under its own 红头: 发文机关标志 (e.g. 云州市人民政府办公室文件), 署名 and
    机关代字 (e.g. 云州府办). Its ``department`` runs its 发文 (its office numbers, types and seals)."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        _("发文机关名称"), max_length=100, help_text=_("用于署名，如：云州市人民政府办公室")
    )
    head_text = models.CharField(
        _("发文机关标志"), max_length=60, help_text=_("红头文字，如：云州市人民政府办公室文件")
    )
    code = models.CharField(
        _("机关代字"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[\u4e00-\u9fff]{1,20}$", _("机关代字只能是汉字"))],
        help_text=_("如：云州府办；文号为 机关代字〔年份〕序号号"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发文机关")
        verbose_name_plural = _("发文机关")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DocumentTemplate(models.Model):
    """A starting point for a draft: 文种, the issuing body (none: any body), the 正文 to start from and the
    发文 process (a published ``document``-family process key) its documents run on."""

    name = models.CharField(_("模板名称"), max_length=100)
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    issuing_body = models.ForeignKey(
        IssuingBody,
        verbose_name=_("发文机关"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="templates",
    )
    body_html = models.TextField(_("正文模板"), blank=True)
    process_key = models.SlugField(_("发文流程"), max_length=64, default="document_outgoing")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("公文模板")
        verbose_name_plural = _("公文模板")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class DocumentStatus(models.TextChoices):
    """Where a 发文 stands; each status but the last three is a step of its process."""

    DRAFTING = "drafting", _("拟稿")
    REVIEWING = "reviewing", _("核稿")
    COUNTERSIGNING = "countersigning", _("会签")
    SIGNING = "signing", _("签发")
    NUMBERING = "numbering", _("编号")
    TYPESETTING = "typesetting", _("套红")
    SEALING = "sealing", _("用印")
    DISTRIBUTING = "distributing", _("分发")
    DISTRIBUTED = "distributed", _("已分发")
    ARCHIVED = "archived", _("已归档")
    CANCELLED = "cancelled", _("已撤销")


class OfficialDocument(models.Model):
    """One outgoing document (发文) and its 发文单 (稿纸). Its workflow subject is ``document:<id>``.

    The GB/T 9704 elements are columns; 主送 and 抄送 are ``DocumentRecipient`` rows. ``signed_off_*``
    is set by 签发 and nothing of the 正文 or the 发文单 changes after it; ``sealed_*`` by 用印."""

    issuing_body = models.ForeignKey(IssuingBody, verbose_name=_("发文机关"), on_delete=models.PROTECT)
    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("模板"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    copy_number = models.CharField(
        _("份号"), max_length=6, blank=True, validators=[RegexValidator(r"^\d{6}$", _("份号为6位数字"))]
    )
    secrecy = models.CharField(_("密级"), max_length=16, choices=Secrecy.choices, blank=True, default="")
    secrecy_period = models.CharField(_("保密期限"), max_length=20, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, blank=True, default="")
    attachments_note = models.TextField(_("附件说明"), blank=True)
    note = models.CharField(_("附注"), max_length=200, blank=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+"
    )
    drafting_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("拟稿部门"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核稿人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    signer_opinion = models.TextField(_("签发意见"), blank=True)
    # The handwritten signature drawn at 签发, a PNG as a data-free blob (never a user-supplied path).
    signature_image = models.BinaryField(_("手写签批"), null=True, blank=True, editable=False)
    document_number = models.CharField(_("文号"), max_length=40, unique=True, null=True, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    printed_by = models.CharField(_("印发机关"), max_length=100, blank=True)
    printed_on = models.DateField(_("印发日期"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    # 套红: the red-headed, unsealed PDF (documents.services.output.typeset_document).
    typeset_pdf = models.FileField(_("套红公文"), upload_to="documents/typeset/", blank=True)
    sealed_pdf = models.FileField(_("用印公文"), upload_to="documents/sealed/", blank=True)
    sealed_sha256 = models.CharField(_("用印公文摘要"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("用印时间"), null=True, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用印人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFTING
    )
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The 拟稿 page's one-time key: a retried 新建 (double click, reload) finds this document.
    idempotency_key = models.CharField(_("提交标识"), max_length=64)

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drafter", "idempotency_key"], name="documents_one_draft_per_submission"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="document_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"document:{self.pk}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class BodyVersion(models.Model):
    """One saved version of the 正文 (sanitised HTML). A save by the author of the latest version replaces
    it; a save by someone else adds a version, so each reviewer's changes can be shown as 修订 against the
    version before."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    html = models.TextField(_("正文"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("保存时间"))

    class Meta:
        verbose_name = _("正文版本")
        verbose_name_plural = _("正文版本")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class RecipientKind(models.TextChoices):
    MAIN = "main", _("主送")
    COPY = "copy", _("抄送")


class DeliveryState(models.TextChoices):
    """Where a distributed copy stands at one recipient (公文交换)."""

    PENDING = "", _("未分发")
    DELIVERED = "delivered", _("已送达")
    RECEIVED = "received", _("已签收")
    RETURNED = "returned", _("已退文")
    WITHDRAWN = "withdrawn", _("已撤回")


class DocumentRecipient(models.Model):
    """A 主送 or 抄送 body of a document: a department on the platform, or a named body outside it (then
    exchanged by package). After 分发 the row records the exchange at that recipient."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("类别"), max_length=8, choices=RecipientKind.choices)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("收文部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("机关名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    state = models.CharField(
        _("交换状态"), max_length=16, choices=DeliveryState.choices, blank=True, default=""
    )
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("退文时间"), null=True, blank=True)
    return_reason = models.CharField(_("退文理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("主送抄送机关")
        verbose_name_plural = _("主送抄送机关")
        ordering = ["document", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "department"],
                condition=Q(department__isnull=False),
                name="documents_department_receives_once",
            )
        ]
        indexes = [models.Index(fields=["department", "state"], name="recipient_inbox_idx")]

    def __str__(self) -> str:
        return self.name
