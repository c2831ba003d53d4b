"""The PDF of an issue (期) of a 信息刊物, as such bulletins are printed: the 刊头 (the publication's name in
red, the 期号, then 编印单位 and date over a red rule), the optional 编者按, then each 信息 with its title,
body and reporting unit. Text is embedded with the platform's Chinese font, so it stays searchable."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from tongban.core.pdf_fonts import chinese_font

RED = colors.HexColor("#C00000")


@dataclass(frozen=True)
class EntryText:
    title: str
    body: str
    department_name: str


@dataclass(frozen=True)
class IssueText:
    publication: str
    issue_label: str  # 2026年第12期（总第57期）
    department_name: str  # 编印单位
    published_on: datetime.date
    editor_note: str
    entries: tuple[EntryText, ...]


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(escape(line.strip()), style) for line in text.splitlines() if line.strip()]


def render_issue(issue: IssueText) -> bytes:
    font = chinese_font()
    masthead = ParagraphStyle(
        "masthead", fontName=font, fontSize=34, leading=44, alignment=TA_CENTER, textColor=RED
    )
    number = ParagraphStyle("number", fontName=font, fontSize=14, leading=22, alignment=TA_CENTER)
    line = ParagraphStyle("line", fontName=font, fontSize=12, leading=20)
    heading = ParagraphStyle(
        "heading", fontName=font, fontSize=16, leading=26, alignment=TA_CENTER, spaceBefore=12, spaceAfter=6
    )
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=14,
        leading=24,
        firstLineIndent=28,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    source = ParagraphStyle("source", parent=body, alignment=2, firstLineIndent=0)

    story: list = [
        Paragraph(escape(issue.publication), masthead),
        Spacer(1, 4 * mm),
        Paragraph(escape(issue.issue_label), number),
        Spacer(1, 6 * mm),
        Paragraph(
            escape(f"{issue.department_name}编印")
            + "&nbsp;" * 16
            + escape(f"{issue.published_on.year}年{issue.published_on.month}月{issue.published_on.day}日"),
            line,
        ),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=8),
    ]
    if issue.editor_note.strip():
        story += _paragraphs(f"【编者按】{issue.editor_note}", body)
        story.append(Spacer(1, 4 * mm))
    for entry in issue.entries:
        story.append(Paragraph(escape(entry.title), heading))
        story += _paragraphs(entry.body, body)
        story.append(Paragraph(escape(f"（{entry.department_name}报送）"), source))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=f"{issue.publication} {issue.issue_label}",
        author=issue.department_name,
    )
    document.build(story)
    return buffer.getvalue()
