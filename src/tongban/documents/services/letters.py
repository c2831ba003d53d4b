"""A letter sealed by a department (告知书 of 依申请公开 and the like): another app typesets the PDF and
says where the seal goes; this seals it with the department's seal (PAdES, the same seal and CA as a
公文, so ``sealing.verify_pdf_seal`` accepts it). The caller decides who may have a letter sealed."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields

from tongban.documents import sealing
from tongban.documents.layout import SEAL_DIAMETER, Box
from tongban.licenses.models import Seal
from tongban.licenses.services import ensure_seal

LETTER_SEAL_SIZE = SEAL_DIAMETER  # points: the seal's diameter on the page


def seal_letter(pdf: bytes, *, department_id: int, issuer_name: str, seal_box: Box, reason: str) -> bytes:
    """``pdf`` with an empty ``公文印章`` field at ``seal_box``, signed with the department's seal (made
    on first use). Raises DocumentError when signing fails."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=sealing.FIELD_NAME,
            on_page=seal_box.page_index,
            box=(round(seal_box.left), round(seal_box.bottom), round(seal_box.right), round(seal_box.top)),
        ),
    )
    prepared = io.BytesIO()
    writer.write(prepared)
    seal = Seal.objects.get(key_id=ensure_seal(department_id=department_id))
    image = None
    if seal.image:
        with seal.image.open("rb") as handle:
            image = handle.read()
    return sealing.seal_pdf(
        prepared.getvalue(), seal=seal, issuer_name=issuer_name, reason=reason, seal_image=image
    )
