"""What every ReportLab report shares: an A4 document with our margins and metadata, and the ruled
table style with a grey header row (督办通报, 政务公开月通报, 政府信息公开年报 …)."""

from __future__ import annotations

from typing import IO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, TableStyle

HEADER_GREY = colors.Color(0.94, 0.94, 0.94)


def report_document(buffer: IO[bytes], *, title: str, wide: bool = False) -> SimpleDocTemplate:
    """An A4 page (landscape when ``wide``), 15 mm side margins (12 when wide), titled ``title``."""
    side, top = (12 * mm, 15 * mm) if wide else (15 * mm, 18 * mm)
    return SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=side,
        rightMargin=side,
        topMargin=top,
        bottomMargin=top,
        title=title,
        author="Tongban",
    )


def ruled_table_style(*, valign: str = "TOP") -> TableStyle:
    """Every cell ruled, the first row shaded as a header."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), valign),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
        ]
    )
