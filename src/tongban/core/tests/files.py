"""Real files for upload tests of every app (the upload checks sniff their type)."""

import io

from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "申请书") -> bytes:
    """A small real PDF (what a scanner or a phone app produces), for material uploads."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 720, text.encode("ascii", "replace").decode())
    document.showPage()
    document.save()
    return buffer.getvalue()
