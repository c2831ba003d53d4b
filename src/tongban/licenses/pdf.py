"""The license as a PDF (版式文件): the face in an embedded Chinese TrueType font, the seal, a QR code to the
verification page, the signed data attached as ``license.json``, and a detached signature of the whole
file appended after ``%%EOF``.

Why not PAdES (pyHanko): the signer is a plugin that only returns raw signatures, SM2 included, which
CMS/PAdES engines do not support, and the issue asks for verification of both the data and the file with
the platform's trust store. The trailer is a PDF comment after the end of file, which readers ignore; the
signature covers every byte before it, so one changed byte anywhere fails verification.
"""

from __future__ import annotations

import base64
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from tongban.core.pdf_fonts import chinese_font
from tongban.licenses.types import FaceField

SEAL_RED = Color(0.8, 0.08, 0.08)
TRAILER = b"\n%TONGBAN-LICENSE-SIGNATURE "
ATTACHMENT = "license.json"


@dataclass(frozen=True)
class Trailer:
    algorithm: str
    key_id: str
    signature: bytes


def render_face(
    *,
    title: str,
    rows: list[tuple[str, str]],
    face: list[FaceField],
    issuer_name: str,
    issue_date_text: str,
    seal_text: str,
    verify_url: str,
    seal_image: bytes | None = None,
) -> bytes:
    """The face of the license as PDF bytes (deterministic for the same input)."""
    font = chinese_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(title)
    width, height = A4
    page.setStrokeColor(SEAL_RED)
    page.setLineWidth(2)
    page.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    page.setFillColor(black)
    page.setFont(font, 28)
    page.drawCentredString(width / 2, height - 45 * mm, title)
    y = height - 65 * mm
    for label, value in [*rows, *((f.label, f.value) for f in face)]:
        page.setFont(font, 12)
        page.drawString(28 * mm, y, label)
        y = _draw_wrapped(page, font, value, x=68 * mm, y=y, width=width - 100 * mm)
        y -= 4 * mm
    page.setFont(font, 13)
    page.drawRightString(width - 30 * mm, 62 * mm, issuer_name)
    page.drawRightString(width - 30 * mm, 54 * mm, issue_date_text)
    if seal_image:
        # The department's official seal image (a transparent PNG) where the drawn seal would go.
        page.drawImage(
            ImageReader(io.BytesIO(seal_image)),
            width - 81 * mm,
            41 * mm,
            42 * mm,
            42 * mm,
            mask="auto",
            preserveAspectRatio=True,
        )
    else:
        _draw_seal(page, font, seal_text, cx=width - 60 * mm, cy=62 * mm, radius=21 * mm)
    _draw_qr(page, verify_url, x=28 * mm, y=28 * mm, size=38 * mm)
    page.setFont(font, 9)
    page.drawString(70 * mm, 30 * mm, "扫描二维码核验证照状态")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _draw_wrapped(page: canvas.Canvas, font: str, text: str, *, x: float, y: float, width: float) -> float:
    line = ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, 12) > width:
            page.drawString(x, y, line)
            y -= 6 * mm
            line = ""
        line += char
    page.drawString(x, y, line)
    return y - 6 * mm


def _draw_seal(page: canvas.Canvas, font: str, text: str, *, cx: float, cy: float, radius: float) -> None:
    """A round official seal: the department's name along the rim, a star in the middle."""
    page.saveState()
    page.setStrokeColor(SEAL_RED)
    page.setFillColor(SEAL_RED)
    page.setLineWidth(2.2)
    page.circle(cx, cy, radius)
    size = 10.5
    span = min(260.0, 22.0 * len(text))
    for index, char in enumerate(text):
        angle = 90 + span / 2 - (span / max(len(text) - 1, 1)) * index
        rad = math.radians(angle)
        page.saveState()
        page.translate(cx + (radius - 5 * mm) * math.cos(rad), cy + (radius - 5 * mm) * math.sin(rad))
        page.rotate(angle - 90)
        page.setFont(font, size)
        page.drawCentredString(0, -size / 3, char)
        page.restoreState()
    points = []
    for i in range(10):
        r = 7 * mm if i % 2 == 0 else 2.8 * mm
        a = math.radians(90 + 36 * i)
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    path = page.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    page.drawPath(path, stroke=0, fill=1)
    page.restoreState()


def _draw_qr(page: canvas.Canvas, url: str, *, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, x, y)


def attach_data(pdf: bytes, envelope: dict[str, Any]) -> bytes:
    """The PDF with the signed license data attached as ``license.json`` (for offline verification)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(ATTACHMENT, json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_trailer(pdf: bytes, trailer: Trailer) -> bytes:
    body = json.dumps(
        {
            "alg": trailer.algorithm,
            "key_id": trailer.key_id,
            "sig": base64.b64encode(trailer.signature).decode(),
        },
        sort_keys=True,
    ).encode()
    return pdf + TRAILER + base64.b64encode(body) + b"\n"


def split_trailer(data: bytes) -> tuple[bytes, Trailer] | None:
    """The signed bytes and the trailer, or None when there is no readable signature."""
    at = data.rfind(TRAILER)
    if at < 0:
        return None
    try:
        body = json.loads(base64.b64decode(data[at + len(TRAILER) :].strip(), validate=True))
        trailer = Trailer(
            algorithm=str(body["alg"]),
            key_id=str(body["key_id"]),
            signature=base64.b64decode(body["sig"], validate=True),
        )
    except (ValueError, KeyError, TypeError):
        return None
    return data[:at], trailer


def attached_data(pdf: bytes) -> dict[str, Any] | None:
    """The ``license.json`` envelope attached to the PDF, or None."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        files = reader.attachments.get(ATTACHMENT)
        if not files:
            return None
        envelope = json.loads(files[0])
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None
    return envelope if isinstance(envelope, dict) else None
