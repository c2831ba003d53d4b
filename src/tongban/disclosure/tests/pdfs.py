"""Small PDFs for the attachment tests (ReportLab, text extractable by pypdf)."""

import io

from reportlab.pdfgen import canvas


def pdf_with_text(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("Helvetica", 12)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()
