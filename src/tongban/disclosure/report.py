"""政务公开月通报 (with the quarter's 季点评) as a PDF: ReportLab with the Chinese font of core.pdf_fonts."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from tongban.core.pdf_fonts import chinese_font
from tongban.core.pdf_reports import report_document, ruled_table_style
from tongban.disclosure.selectors import MonthlyReport


def render_monthly_report(report: MonthlyReport) -> bytes:
    """Per department: published in the month, on time, late, overdue unpublished, by category; then
    each department's 季点评."""
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceAfter=2 * mm)
    title = _("%(year)d年%(month)d月政务公开工作通报") % {"year": report.year, "month": report.month}
    buffer = io.BytesIO()
    document = report_document(buffer, title=title, wide=True)
    style = ruled_table_style()

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(str(text)), body)

    header = [
        _("部门"),
        _("本月发布"),
        _("按时发布"),
        _("逾期发布"),
        _("逾期未发布"),
        *report.category_labels,
    ]
    rows = [
        [r.department_name, r.published, r.on_time, r.late, r.overdue_unpublished, *r.by_category.values()]
        for r in [*report.rows, report.totals]
    ]
    data = [[cell(h) for h in header]] + [[cell(v) for v in row] for row in rows]
    widths = [52, 16, 16, 16, 18] + [(273 - 118) / max(len(report.category_labels), 1)] * len(
        report.category_labels
    )
    flow: list[object] = [
        Paragraph(escape(title), title_style),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _(
                    "本月共发布政府信息%(published)d条，其中按时发布%(on_time)d条，逾期发布%(late)d条；逾期未发布%(overdue)d条。"
                )
                % {
                    "published": report.totals.published,
                    "on_time": report.totals.on_time,
                    "late": report.totals.late,
                    "overdue": report.totals.overdue_unpublished,
                }
            ),
            body,
        ),
        Spacer(1, 3 * mm),
        Table(data, colWidths=[w * mm for w in widths], style=style, repeatRows=1),
    ]
    reviewed = [r for r in report.rows if r.review]
    if reviewed:
        flow += [Spacer(1, 5 * mm), Paragraph(escape(_("第%(q)d季度点评") % {"q": report.quarter}), heading)]
        for r in reviewed:
            flow.append(Paragraph(escape(f"{r.department_name}：{r.review}"), body))
            flow.append(Spacer(1, 2 * mm))
    document.build(flow)
    return buffer.getvalue()
