"""审批表: the printable approval sheet of one case — the item, the applicant, the answers (under the
form's labels, resident ID numbers masked), every 补正 and its resolution, and every step's opinion with
person and time, in order — as a PDF with the Chinese font embedded."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tongban.core.pdf_fonts import chinese_font


@dataclass(frozen=True)
class SheetStep:
    name: str
    department: str
    person: str
    action: str
    opinion: str
    at: str
    signature: bytes | None = None


@dataclass(frozen=True)
class SheetCorrection:
    requested_at: str
    requested_by: str
    reason: str
    items: str  # the fields' labels and the materials' names
    resolved_at: str  # or what is still awaited


@dataclass(frozen=True)
class SheetData:
    title: str
    facts: list[tuple[str, str]]
    steps: list[SheetStep]
    answers: list[tuple[str, str]] = field(default_factory=list)
    corrections: list[SheetCorrection] = field(default_factory=list)


def local_time(value) -> str:
    return f"{timezone.localtime(value):%Y年%-m月%-d日 %H:%M}" if value else ""


def sheet_steps(
    record: Iterable[Any],
    *,
    departments: Mapping[int, Any],
    people: Mapping[int, str],
    signatures: Mapping[int, bytes],
) -> list[SheetStep]:
    """The 审批表's step rows from completed process-record lines (workflow ``ProcessStepRecord``):
    each with its department's short name, its handler's name and handwritten signature."""
    return [
        SheetStep(
            name=r.name,
            department=departments[r.department_id].short_name,
            person=people.get(r.assignee_id or 0, ""),
            action=r.action_label,
            opinion=r.opinion,
            at=local_time(r.completed_at),
            signature=signatures.get(r.assignee_id or 0),
        )
        for r in record
    ]


def render_approval_sheet(sheet: SheetData) -> bytes:
    """The sheet as PDF bytes: a facts table, then one row per completed step in order."""
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=sheet.title,
        author="Tongban",
    )

    def cell(text: str) -> Paragraph:
        return Paragraph(escape(text or "—").replace("\n", "<br/>"), body)

    def person(step: SheetStep) -> object:
        """The person's name, with their handwritten signature under it when they uploaded one."""
        if not step.signature:
            return cell(step.person)
        image = Image(io.BytesIO(step.signature))
        image._restrictSize(18 * mm, 9 * mm)
        return [cell(step.person), image]

    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceAfter=2 * mm)
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.94, 0.94, 0.94)),
        ]
    )
    header_row = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.94, 0.94, 0.94)),
        ]
    )

    def pairs(rows: list[tuple[str, str]]) -> Table:
        return Table([[cell(k), cell(v)] for k, v in rows], colWidths=[45 * mm, 135 * mm], style=grid)

    flow: list[object] = [Paragraph(escape(sheet.title), title), Spacer(1, 6 * mm), pairs(sheet.facts)]
    if sheet.answers:
        flow += [Spacer(1, 6 * mm), Paragraph("申请表内容", heading), pairs(sheet.answers)]
    if sheet.corrections:
        header = ["要求补正时间", "要求补正人", "补正说明", "补正内容", "补正完成时间"]
        rows = [[cell(h) for h in header]] + [
            [cell(c.requested_at), cell(c.requested_by), cell(c.reason), cell(c.items), cell(c.resolved_at)]
            for c in sheet.corrections
        ]
        flow += [
            Spacer(1, 6 * mm),
            Paragraph("补正记录", heading),
            Table(
                rows,
                colWidths=[30 * mm, 22 * mm, 53 * mm, 45 * mm, 30 * mm],
                repeatRows=1,
                style=header_row,
            ),
        ]
    header = ["环节", "办理部门", "办理人", "办理结果", "办理意见", "办理时间"]
    rows = [[cell(h) for h in header]] + [
        [cell(s.name), cell(s.department), person(s), cell(s.action), cell(s.opinion), cell(s.at)]
        for s in sheet.steps
    ]
    steps = Table(
        rows,
        colWidths=[22 * mm, 30 * mm, 20 * mm, 20 * mm, 58 * mm, 30 * mm],
        repeatRows=1,
        style=header_row,
    )
    flow += [Spacer(1, 6 * mm), Paragraph("办理过程", heading), steps]
    document.build(flow)
    return buffer.getvalue()
