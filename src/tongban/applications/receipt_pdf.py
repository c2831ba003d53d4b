"""受理回执 (the submission receipt) as a PDF: the 办件编号, what was submitted and when, the promised
finish date, the materials received, and a QR code to the 办件查询 page with the number filled in.
ReportLab with the Chinese font of core.pdf_fonts."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tongban.core.pdf_fonts import chinese_font


@dataclass(frozen=True)
class ReceiptContent:
    number: str
    item_name: str
    department_name: str
    applicant_name: str
    submitted_at: dt.datetime
    promised_finish_date: dt.date
    materials: tuple[tuple[str, tuple[str, ...]], ...]  # (requirement, the file names received for it)
    status_url: str  # absolute: what the QR code opens


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _qr(data: str, size: float) -> Drawing:
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def render_receipt(content: ReceiptContent) -> bytes:
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1)
    hint = ParagraphStyle("hint", parent=body, fontSize=9, leading=13, textColor=colors.Color(0.3, 0.3, 0.3))
    title = _("受理回执")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
        title=f"{title} {content.number}", author="Tongban",
    )  # fmt: skip

    def cell(text: str) -> Paragraph:
        return Paragraph(escape(text or "—"), body)

    submitted = timezone.localtime(content.submitted_at)
    facts = [
        (_("办件编号"), content.number),
        (_("事项名称"), content.item_name),
        (_("受理部门"), content.department_name),
        (_("申请人"), content.applicant_name),
        (_("提交时间"), f"{_date(submitted.date())} {submitted:%H:%M}"),
        (_("承诺办结日期"), _date(content.promised_finish_date)),
    ]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story: list = [
        Paragraph(escape(title), title_style),
        Spacer(1, 6 * mm),
        Table([[cell(k), cell(v)] for k, v in facts], colWidths=[35 * mm, 135 * mm], style=grid),
        Spacer(1, 5 * mm),
        Paragraph(escape(_("已收到的申请材料")), body),
        Spacer(1, 2 * mm),
    ]
    rows = [[cell(_("材料名称")), cell(_("收到的文件"))]] + [
        [cell(name), cell("、".join(files) if files else _("未提交"))] for name, files in content.materials
    ]
    story += [
        Table(rows, colWidths=[70 * mm, 100 * mm], style=grid, repeatRows=1),
        Spacer(1, 6 * mm),
        Table(
            [[_qr(content.status_url, 30 * mm), Paragraph(escape(_(
                "扫描二维码，或在“办件查询”中输入办件编号和申请人证件号码，可查看办理进度。"
                "补正期间不计入承诺办结时限。本回执不作为办理结果的证明。"
            )), hint)]],
            colWidths=[36 * mm, 134 * mm],
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
        ),
    ]  # fmt: skip
    document.build(story)
    return buffer.getvalue()
