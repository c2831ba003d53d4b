"""通知公告: notices to staff, city-wide or to chosen departments, with read receipts (需阅知) where the
publisher asks for them. The rules live in services; a withdrawn notice keeps its row and receipts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Notice(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    # Plain paragraphs (a blank line between two): shown escaped, never as HTML.
    body = models.TextField(_("正文"))
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="+"
    )
    is_citywide = models.BooleanField(_("全市"), default=False)
    is_pinned = models.BooleanField(_("置顶"), default=False)
    requires_receipt = models.BooleanField(_("需阅知"), default=False)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        indexes = [models.Index(fields=["status", "-published_at"], name="notices_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="notice_published_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="notice_withdrawn_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeAudience(models.Model):
    """A department a notice is addressed to (when it is not city-wide): everyone holding a role there."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audience")
    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("发送范围")
        verbose_name_plural = _("发送范围")
        constraints = [
            models.UniqueConstraint(fields=["notice", "department"], name="notice_audience_unique")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.department_id}"


def attachments_storage() -> Storage:
    """The private "materials" storage: files are served only through a view that checks who asks."""
    return storages["materials"]


def _attachment_key(instance: NoticeAttachment, filename: str) -> str:
    return f"notices/{instance.notice_id}/{instance.key.hex}"  # never the uploader's file name (T-C4)


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("文件"), storage=attachments_storage, upload_to=_attachment_key, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class NoticeReading(models.Model):
    """A reader and a notice: when they first opened it, and when they confirmed 已阅知 (the receipt)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="readings")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("打开时间"))
    acknowledged_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        constraints = [models.UniqueConstraint(fields=["notice", "reader"], name="notice_reading_unique")]
        indexes = [models.Index(fields=["reader", "notice"], name="notices_reading_reader")]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.reader_id}"
