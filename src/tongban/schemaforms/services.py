"""Writes of the form engine: keeping a file uploaded into a form field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.uploads import UploadError, check_upload, scan_upload
from tongban.schemaforms.models import FormUpload
from tongban.schemaforms.selectors import info_of
from tongban.schemaforms.types import UploadInfo

MAX_UPLOADS_PER_DAY = 200


def store_form_upload(
    *, owner_id: int, name: str, data: bytes | IO[bytes], allowed_types: Sequence[str], max_size_mb: int
) -> UploadInfo:
    """Keep a file for a form field after the same checks as materials: type from the content, the
    field's types and size limit (core.uploads), then the virus scan (T-C6). Nothing is stored for a
    refused file. At most MAX_UPLOADS_PER_DAY files per person in 24 hours (T-C5: uploads are kept
    before any form is saved, so the quota is per person, not per form).

    Raises UploadError with the message for the field ("所选文件含有病毒", "所选文件须为 PDF…");
    ScannerUnavailable (503) when clamd does not answer, so nothing unscanned is kept.
    """
    since = timezone.now() - dt.timedelta(days=1)
    if FormUpload.objects.filter(owner_id=owner_id, created_at__gte=since).count() >= MAX_UPLOADS_PER_DAY:
        raise UploadError(
            _("您24小时内上传的文件已达%(n)s个，请稍后再试") % {"n": MAX_UPLOADS_PER_DAY}, code="quota"
        )
    checked = check_upload(name=name, data=data, allowed_types=allowed_types, max_size_mb=max_size_mb)
    scan_upload(checked, uploader_id=owner_id)
    upload = FormUpload(
        owner_id=owner_id,
        original_name=checked.display_name,
        content_type=checked.mime_type,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
    )
    upload.file.save(checked.display_name, ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            upload.save()
    except Exception:
        upload.file.delete(save=False)  # no row, no file
        raise
    return info_of(upload)
