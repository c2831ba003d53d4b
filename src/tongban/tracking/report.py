"""督办通报 (the monthly report) as a PDF: ReportLab with the Chinese font of core.pdf_fonts."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from tongban.core.pdf_fonts import chinese_font
from tongban.core.pdf_reports import report_document, ruled_table_style
from tongban.tracking.selectors import ItemRow, MonthlyReport


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def render_monthly_report(report: MonthlyReport) -> bytes:
    """Counts by status and by lead department, the overdue items, those closed in the month and
    every item of the month with its status and deadline."""
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceAfter=2 * mm)
    title = _("%(year)d年%(month)d月督办通报") % {"year": report.year, "month": report.month}
    buffer = io.BytesIO()
    document = report_document(buffer, title=title)
    style = ruled_table_style()

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(str(text) if text not in (None, "") else "—"), body)

    def table(header: list[str], rows: list[list[object]], widths: list[float]) -> Table:
        data = [[cell(h) for h in header]] + [[cell(v) for v in row] for row in rows]
        return Table(data, colWidths=[w * mm for w in widths], style=style, repeatRows=1)

    def item_rows(rows: list[ItemRow]) -> list[list[object]]:
        return [
            [
                r.item.number,
                r.item.title,
                r.lead_department,
                r.item.get_status_display(),
                _date(r.item.due_date),
                r.level.label,
            ]
            for r in rows
        ]

    item_header = [_("编号"), _("督办事项"), _("牵头单位"), _("状态"), _("办结期限"), _("预警")]
    item_widths = [34, 56, 28, 20, 26, 16]
    flow: list[object] = [Paragraph(escape(title), title_style), Spacer(1, 4 * mm)]
    if report.scope:
        flow.append(Paragraph(escape(_("通报单位：%(scope)s") % {"scope": report.scope}), body))
    flow += [
        Paragraph(
            escape(
                _("本月督办事项共%(total)d项，超期%(overdue)d项，本月办结%(closed)d项，逾期反馈%(late)d次。")
                % {
                    "total": report.total,
                    "overdue": len(report.overdue),
                    "closed": len(report.closed),
                    "late": report.late_feedbacks,
                }
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("一、按状态统计")), heading),
        table([_("状态"), _("事项数")], [[label, count] for label, count in report.by_status], [60, 30]),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("二、按牵头单位统计")), heading),
        table(
            [_("牵头单位"), _("事项数"), _("本月办结"), _("超期")],
            [list(row) for row in report.by_department],
            [80, 30, 30, 30],
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("三、超期事项")), heading),
    ]
    flow.append(
        table(item_header, item_rows(report.overdue), item_widths) if report.overdue else cell(_("无"))
    )
    flow += [Spacer(1, 4 * mm), Paragraph(escape(_("四、本月办结事项")), heading)]
    flow.append(table(item_header, item_rows(report.closed), item_widths) if report.closed else cell(_("无")))
    flow += [Spacer(1, 4 * mm), Paragraph(escape(_("五、督办事项清单")), heading)]
    flow.append(table(item_header, item_rows(report.rows), item_widths) if report.rows else cell(_("无")))
    document.build(flow)
    return buffer.getvalue()
