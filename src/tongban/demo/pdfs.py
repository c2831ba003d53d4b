"""Printable PDFs for the demo city: blank application forms and result samples.

ReportLab's built-in STSong-Light CID font: every PDF reader ships it, so nothing is downloaded.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

NATURAL_PERSON_FIELDS = ("申请人姓名", "性别", "公民身份号码", "联系电话", "户籍地址", "现居住地址")
LEGAL_PERSON_FIELDS = (
    "单位名称",
    "统一社会信用代码",
    "法定代表人",
    "经办人及联系电话",
    "住所",
    "经营（项目）地址",
)


def _grid(canvas: Canvas, top: float, rows: list[tuple[str, str]], *, row_height: float = 12 * mm) -> float:
    left, label_width, width = 20 * mm, 45 * mm, 170 * mm
    canvas.setStrokeColor(colors.black)
    for index, (label, value) in enumerate(rows):
        y = top - (index + 1) * row_height
        canvas.rect(left, y, width, row_height)
        canvas.line(left + label_width, y, left + label_width, y + row_height)
        canvas.setFont(FONT, 11)
        canvas.drawString(left + 3 * mm, y + row_height / 2 - 2 * mm, label)
        canvas.drawString(left + label_width + 3 * mm, y + row_height / 2 - 2 * mm, value)
    return top - len(rows) * row_height


def blank_form_pdf(*, title: str, item_name: str, department: str, for_legal_person: bool) -> bytes:
    """A one-page blank application form titled with the material's name."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    width, height = A4
    canvas.setFont(FONT, 18)
    canvas.drawCentredString(width / 2, height - 30 * mm, title)
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(width / 2, height - 38 * mm, f"（{item_name}）")
    fields = LEGAL_PERSON_FIELDS if for_legal_person else NATURAL_PERSON_FIELDS
    bottom = _grid(canvas, height - 48 * mm, [(label, "") for label in fields] + [("申请事项", item_name)])
    canvas.rect(20 * mm, bottom - 50 * mm, 170 * mm, 50 * mm)
    canvas.drawString(23 * mm, bottom - 8 * mm, "申请事由及说明：")
    canvas.drawString(
        23 * mm,
        bottom - 62 * mm,
        "本人（单位）承诺所填写内容及提交材料真实、合法、有效，如有虚假，愿承担相应法律责任。",
    )
    canvas.drawString(23 * mm, bottom - 80 * mm, "申请人（签名或盖章）：")
    canvas.drawString(120 * mm, bottom - 80 * mm, "日期：　　　年　　月　　日")
    canvas.setFont(FONT, 9)
    canvas.drawString(
        20 * mm, 15 * mm, f"受理部门：{department}　　本表可从云州市政务服务网免费下载，复印有效。"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def result_sample_pdf(*, result_name: str, item_name: str, department: str) -> bytes:
    """A specimen of the result document, marked 样本 so it is never taken for a real one."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"{result_name}（样本）")
    width, height = A4
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.25))
    canvas.setFont(FONT, 96)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, "样　本")
    canvas.restoreState()
    canvas.setFont(FONT, 22)
    canvas.drawCentredString(width / 2, height - 35 * mm, result_name)
    _grid(
        canvas,
        height - 50 * mm,
        [
            ("编号", "YZ-0000-000000"),
            ("持有人", "张三"),
            ("证件号码", "5399**********0000"),
            ("事项", item_name),
            ("有效期", "2026年1月1日至2031年12月31日"),
            ("签发机关", department),
            ("签发日期", "2026年1月1日"),
        ],
    )
    canvas.setFont(FONT, 10)
    canvas.drawString(20 * mm, 20 * mm, "本样本仅供参考，不具有法律效力。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
