"""Reads of the form engine: the uploads an answer names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from tongban.schemaforms.models import FormUpload
from tongban.schemaforms.types import UploadInfo


def info_of(upload: FormUpload) -> UploadInfo:
    return UploadInfo(
        id=str(upload.id),
        owner_id=upload.owner_id,
        name=upload.original_name,
        kind=upload.kind,
        size=upload.size,
    )


def uploads_by_id(ids: Iterable[str]) -> dict[str, UploadInfo]:
    """The uploads among ``ids`` (answers of attachment fields) that exist, by id; ids that are not
    UUIDs are ignored (an answer is never trusted)."""
    wanted = [parsed for parsed in (_uuid(value) for value in ids) if parsed is not None]
    if not wanted:
        return {}
    return {str(upload.id): info_of(upload) for upload in FormUpload.objects.filter(id__in=wanted)}


def get_upload(upload_id: str) -> UploadInfo | None:
    return uploads_by_id([upload_id]).get(upload_id)


def _uuid(value: object) -> uuid.UUID | None:
    if not isinstance(value, str) or len(value) > 36:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
