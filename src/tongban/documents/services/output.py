"""Output of a 发文 (issue 15): 套红 (the GB/T 9704 red-headed PDF) and 用印 (the PAdES seal of the issuing
department, THREATS T-G1/T-G2). The 发文 process calls these at its 套红 and 用印 steps.

- ``layout_of``: the document as the layout's plain values (clean 正文 = the latest version).
- ``typeset_document``: after 签发 and 编号 only; a 文书人员 of the issuing body's department renders and
  stores the unsealed PDF (``typeset_pdf``, ``page_count``) with the empty seal field; again while unsealed.
- ``seal_document``: only the 印章管理员 of the issuing body's department, only after 签发 and 套红; seals the
  typeset PDF once (a retry returns without sealing again), stores ``sealed_pdf`` and its SHA-256, audited.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core.audit import record
from tongban.documents import sealing
from tongban.documents.errors import DocumentError, DocumentPermissionError, DocumentStateError
from tongban.documents.layout import render_layout
from tongban.documents.models import BodyVersion, DocumentKind, OfficialDocument, RecipientKind
from tongban.documents.roles import DOCUMENT_CLERK, SEAL_KEEPER
from tongban.documents.types import DocumentLayout
from tongban.licenses.models import Seal
from tongban.licenses.services import ensure_seal
from tongban.organizations.selectors import department_ids_for

# 上行文: the 版头 names the 签发人 beside the 发文字号.
UPWARD_KINDS = {DocumentKind.REQUEST, DocumentKind.REPORT}


def _document(document_id: int, *, lock: bool = False) -> OfficialDocument:
    rows = OfficialDocument.objects.select_related("issuing_body")
    if lock:
        rows = rows.select_for_update()
    document = rows.filter(pk=document_id).first()
    if document is None:
        raise DocumentError(_("公文不存在。"), code="not_found")
    return document


def layout_of(document_id: int) -> DocumentLayout:
    """What the GB/T 9704 layout prints for the document (its 成文日期, never today's)."""
    document = _document(document_id)
    return _layout(document)


def _layout(document: OfficialDocument) -> DocumentLayout:
    body = (
        BodyVersion.objects.filter(document=document)
        .order_by("-number")
        .values_list("html", flat=True)
        .first()
    )
    recipients = list(document.recipients.order_by("position", "id").values_list("kind", "name"))
    signer_name = ""
    if document.kind in UPWARD_KINDS and document.signer_id:
        signer_name = names_of({document.signer_id}).get(document.signer_id, "")
    issued_on = document.issued_on or (
        timezone.localdate(document.signed_off_at) if document.signed_off_at else timezone.localdate()
    )
    return DocumentLayout(
        head_text=document.issuing_body.head_text,
        document_number=document.document_number or "",
        title=document.title,
        body_html=body or "",
        issuer_name=document.issuing_body.name,
        issued_on=issued_on,
        main_recipients=tuple(name for kind, name in recipients if kind == RecipientKind.MAIN),
        copy_recipients=tuple(name for kind, name in recipients if kind == RecipientKind.COPY),
        printed_by=document.printed_by or document.issuing_body.name,
        printed_on=document.printed_on or issued_on,
        copy_number=document.copy_number,
        secrecy=str(document.get_secrecy_display()) if document.secrecy else "",
        secrecy_period=document.secrecy_period,
        urgency=str(document.get_urgency_display()) if document.urgency else "",
        signer_name=signer_name,
        attachments_note=document.attachments_note,
        note=document.note,
    )


def _require_role(document: OfficialDocument, *, user_id: int, role: str, event: str, message: str) -> None:
    department_id = document.issuing_body.department_id
    if department_id not in department_ids_for(user_id=user_id, role=role):
        record(
            event=event,
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=department_id,
            denied=True,
            reason=role,
        )
        raise DocumentPermissionError(message, code="forbidden")


def typeset_document(*, document_id: int, user_id: int) -> None:
    """套红: render the signed-off, numbered document to GB/T 9704 and keep the unsealed PDF."""
    document = _document(document_id)
    _require_role(
        document,
        user_id=user_id,
        role=DOCUMENT_CLERK,
        event="document.typeset",
        message=_("只有发文机关的文书人员可以套红。"),
    )
    with transaction.atomic():
        document = _document(document_id, lock=True)
        if not document.is_signed_off:
            raise DocumentStateError(_("公文尚未签发，不能套红。"), code="not_signed_off")
        if not document.document_number:
            raise DocumentStateError(_("公文尚未编号，不能套红。"), code="not_numbered")
        if document.sealed_pdf:
            raise DocumentStateError(_("公文已用印，不能重新套红。"), code="sealed")
        rendered = render_layout(_layout(document))
        pdf = sealing.add_seal_field(rendered)
        digest = hashlib.sha256(pdf).hexdigest()
        if document.typeset_pdf:
            document.typeset_pdf.delete(save=False)
        document.typeset_pdf.save(f"{document.pk}-{digest[:16]}.pdf", ContentFile(pdf), save=False)
        document.page_count = rendered.page_count
        document.save(update_fields=["typeset_pdf", "page_count", "updated_at"])
        record(
            event="document.typeset",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=document.issuing_body.department_id,
        )


def _seal_image(seal: Seal) -> bytes | None:
    if not seal.image:
        return None
    with seal.image.open("rb") as image:
        return image.read()


def seal_document(*, document_id: int, user_id: int) -> None:
    """用印 (T-G1): the 印章管理员 of the issuing body's department seals the typeset PDF with the
    department's seal. Refused (409) before 签发 or 套红; a retry after success changes nothing."""
    document = _document(document_id)
    _require_role(
        document,
        user_id=user_id,
        role=SEAL_KEEPER,
        event="document.seal",
        message=_("只有发文机关的印章管理员可以用印。"),
    )
    with transaction.atomic():
        document = _document(document_id, lock=True)
        if document.sealed_pdf:
            return  # already sealed: the seal binds that content, it is never made again (T-G2)
        if not document.is_signed_off:
            raise DocumentStateError(_("公文尚未签发，不能用印。"), code="not_signed_off")
        if not document.typeset_pdf:
            raise DocumentStateError(_("公文尚未套红，不能用印。"), code="not_typeset")
        with document.typeset_pdf.open("rb") as typeset:
            pdf = typeset.read()
        department_id = document.issuing_body.department_id
        key_id = ensure_seal(department_id=department_id)
        seal = Seal.objects.get(key_id=key_id)
        sealed = sealing.seal_pdf(
            pdf,
            seal=seal,
            issuer_name=document.issuing_body.name,
            reason=_("%(number)s 用印") % {"number": document.document_number},
            seal_image=_seal_image(seal),
        )
        digest = hashlib.sha256(sealed).hexdigest()
        document.sealed_pdf.save(f"{document.pk}-{digest[:16]}.pdf", ContentFile(sealed), save=False)
        document.sealed_sha256 = digest
        document.sealed_at = timezone.now()
        document.sealed_by_id = user_id
        document.save(update_fields=["sealed_pdf", "sealed_sha256", "sealed_at", "sealed_by", "updated_at"])
        record(
            event="document.seal",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=department_id,
            reason=digest,
        )
