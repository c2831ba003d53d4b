"""Files answered in a form (``"format": "attachment"``): kept before the form is submitted, so that a
page re-rendered with errors needs no second upload; the answer holds the upload's id."""

from __future__ import annotations

import uuid

from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def uploads_storage() -> Storage:
    """The private "materials" storage: never served by URL, only through views that check who asks
    (T-C7)."""
    return storages["materials"]


def _upload_key(instance: FormUpload, filename: str) -> str:
    # A server-generated key; the person's file name is display-only (T-C4).
    return f"forms/{instance.owner_id}/{instance.id.hex}"


class FormUpload(models.Model):
    """One file uploaded into a form field, after the type checks and the virus scan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_id = models.PositiveBigIntegerField(_("上传人"), db_index=True)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    kind = models.CharField(_("格式"), max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("文件"), storage=uploads_storage, upload_to=_upload_key, max_length=200)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单附件")
        verbose_name_plural = _("表单附件")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name
