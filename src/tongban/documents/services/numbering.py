# PLACEHOLDER(doc-flow): the owning area (doc-archive) replaces this at merge
"""文号: the smallest honest stand-in the 发文 process needs — the next number of the issuing body in
the year of the 成文日期, ``机关代字〔年份〕序号号``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tongban.documents.models import IssuingBody, OfficialDocument


@transaction.atomic
def assign_number(*, document_id: int, user_id: int) -> str:
    document = OfficialDocument.objects.select_for_update().get(pk=document_id)
    if document.document_number:
        return document.document_number
    body = IssuingBody.objects.select_for_update().get(pk=document.issuing_body_id)
    year = (document.issued_on or timezone.localdate()).year
    prefix = f"{body.code}〔{year}〕"
    taken = OfficialDocument.objects.filter(document_number__startswith=prefix).count()
    document.document_number = f"{prefix}{taken + 1}号"
    document.save(update_fields=["document_number", "updated_at"])
    return document.document_number
