"""收文: a document as one receiving department holds it, from 待签收 through 登记 and its handling to
办结. Delivered by 分发 on the platform (``source_recipient``) or imported from an exchange package sent
by a body outside the platform. Its workflow subject (once registered) is ``received:<id>``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.documents.models.document import DocumentRecipient, OfficialDocument, Secrecy, Urgency


class IncomingState(models.TextChoices):
    PENDING = "pending", _("待签收")
    RECEIVED = "received", _("已签收")
    RETURNED = "returned", _("已退文")
    WITHDRAWN = "withdrawn", _("已撤回")


class HandlingStatus(models.TextChoices):
    """Where a received document's handling stands (收文办理); each but the last is a step."""

    REGISTERING = "registering", _("登记")
    PROPOSING = "proposing", _("拟办")
    INSTRUCTING = "instructing", _("批示")
    HANDLING = "handling", _("承办")
    CIRCULATING = "circulating", _("传阅")
    DONE = "done", _("办结")


class ReceivedDocument(models.Model):
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("收文部门"), on_delete=models.PROTECT, related_name="+"
    )
    source_document = models.ForeignKey(
        OfficialDocument,
        verbose_name=_("来文"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    source_recipient = models.OneToOneField(
        DocumentRecipient,
        verbose_name=_("分发记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery",
    )
    # Imported from an exchange package: the package's SHA-256 (one import per package and department).
    package_sha256 = models.CharField(_("交换包摘要"), max_length=64, blank=True)
    sender_name = models.CharField(_("来文单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("文种"), max_length=16, blank=True)
    secrecy = models.CharField(_("密级"), max_length=16, choices=Secrecy.choices, blank=True, default="")
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, blank=True, default="")
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    pdf = models.FileField(_("公文文件"), upload_to="documents/received/", blank=True)
    pdf_sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True)
    state = models.CharField(
        _("签收状态"), max_length=16, choices=IncomingState.choices, default=IncomingState.PENDING
    )
    delivered_at = models.DateTimeField(_("送达时间"))
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
    registration_number = models.CharField(_("收文号"), max_length=40, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    handling_status = models.CharField(
        _("办理状态"), max_length=16, choices=HandlingStatus.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("收文")
        verbose_name_plural = _("收文")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "registration_number"],
                condition=~Q(registration_number=""),
                name="documents_one_registration_number",
            ),
            models.UniqueConstraint(
                fields=["department", "package_sha256"],
                condition=~Q(package_sha256=""),
                name="documents_package_imported_once",
            ),
        ]
        indexes = [models.Index(fields=["department", "state", "-delivered_at"], name="incoming_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"received:{self.pk}"
