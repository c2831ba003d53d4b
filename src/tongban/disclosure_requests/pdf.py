"""The letters of 依申请公开 (答复告知书, 延期告知书, 补正告知书) and the annual report as PDFs (ReportLab,
``core.pdf_fonts``). A letter ends with the department's name and the date, where the seal goes."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, Spacer, Table

from tongban.core.pdf_fonts import chinese_font
from tongban.core.pdf_reports import report_document, ruled_table_style
from tongban.documents.layout import Box
from tongban.documents.services.letters import LETTER_SEAL_SIZE

MARGIN = 28 * mm
BODY_SIZE = 12
LEADING = 20


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken between any two characters (Chinese has no
    spaces to break at)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    lines.append(line)
    return lines


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Letter:
    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    issuer: str
    date: dt.date


def render_letter(letter: Letter) -> tuple[bytes, Box]:
    """The letter on A4, and the box over the issuer's name and date where the seal goes."""
    font = chinese_font()
    buffer = io.BytesIO()
    width, height = A4
    page = rl_canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(letter.title)
    page.setAuthor(letter.issuer)
    page_index = 0
    y = height - MARGIN

    def new_page() -> None:
        nonlocal y, page_index
        page.showPage()
        page_index += 1
        y = height - MARGIN

    page.setFont(font, 20)
    page.drawCentredString(width / 2, y, letter.title)
    y -= 30
    page.setFont(font, BODY_SIZE)
    page.drawCentredString(width / 2, y, letter.number)
    y -= 36
    page.drawString(MARGIN, y, f"{letter.addressee}：")
    y -= LEADING
    usable = width - 2 * MARGIN
    for paragraph in letter.paragraphs:
        lines = wrap("\u3000\u3000" + paragraph, font, BODY_SIZE, usable)
        for line in lines:
            if y < MARGIN:
                new_page()
                page.setFont(font, BODY_SIZE)
            page.drawString(MARGIN, y, line)
            y -= LEADING
    if y < MARGIN + LETTER_SEAL_SIZE + 2 * LEADING:
        new_page()
        page.setFont(font, BODY_SIZE)
    y -= 2 * LEADING
    right = width - MARGIN
    page.drawRightString(right, y, letter.issuer)
    page.drawRightString(right - 12, y - LEADING, chinese_date(letter.date))
    centre_x = right - max(page.stringWidth(letter.issuer, font, BODY_SIZE), 120) / 2
    centre_y = y - LEADING / 2 + 4
    half = LETTER_SEAL_SIZE / 2
    page.showPage()
    page.save()
    box = Box(page_index, centre_x - half, centre_y - half, centre_x + half, centre_y + half)
    return buffer.getvalue(), box


def render_report(*, title: str, sections: list[tuple[str, list[str], list[list[list[str]]]]]) -> bytes:
    """The annual report: each section a heading, paragraphs and tables (rows of cells)."""
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    title_style = ParagraphStyle("title", fontName=font, fontSize=17, leading=24, alignment=1)
    heading = ParagraphStyle(
        "heading", fontName=font, fontSize=13, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm
    )
    buffer = io.BytesIO()
    document = report_document(buffer, title=title)
    style = ruled_table_style(valign="MIDDLE")
    story: list = [Paragraph(escape(title), title_style), Spacer(1, 4 * mm)]
    for section_title, paragraphs, tables in sections:
        story.append(Paragraph(escape(section_title), heading))
        for text in paragraphs:
            for line in text.splitlines() or [""]:
                story.append(Paragraph(escape(line) or "&nbsp;", body))
        for rows in tables:
            columns = len(rows[0])
            first = 62 * mm if columns > 4 else 90 * mm
            rest = (180 * mm - first) / (columns - 1)
            data = [[Paragraph(escape(str(v)), cell) for v in row] for row in rows]
            story.append(Table(data, colWidths=[first] + [rest] * (columns - 1), style=style, repeatRows=1))
            story.append(Spacer(1, 3 * mm))
    document.build(story)
    return buffer.getvalue()
