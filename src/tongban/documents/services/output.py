# PLACEHOLDER(doc-flow): the owning area (doc-output) replaces this at merge
"""套红 and 用印: the smallest honest stand-in the 发文 process needs — a one-page PDF with the 文号 and
标题 (no GB/T 9704 layout, no PAdES signature; doc-output builds those)."""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.pdfgen import canvas

from tongban.documents.models import OfficialDocument


def _pdf(document: OfficialDocument) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, f"document {document.pk} {document.document_number or ''}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@transaction.atomic
def typeset_document(*, document_id: int, user_id: int) -> None:
    document = OfficialDocument.objects.select_for_update().get(pk=document_id)
    document.page_count = document.page_count or 1
    document.printed_on = document.printed_on or timezone.localdate()
    document.save(update_fields=["page_count", "printed_on", "updated_at"])


@transaction.atomic
def seal_document(*, document_id: int, user_id: int) -> None:
    document = OfficialDocument.objects.select_for_update().get(pk=document_id)
    data = _pdf(document)
    document.sealed_pdf.save(f"document-{document.pk}.pdf", ContentFile(data), save=False)
    document.sealed_sha256 = hashlib.sha256(data).hexdigest()
    document.sealed_at, document.sealed_by_id = timezone.now(), user_id
    document.save(update_fields=["sealed_pdf", "sealed_sha256", "sealed_at", "sealed_by", "updated_at"])
