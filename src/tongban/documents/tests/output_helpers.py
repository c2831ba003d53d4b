"""A signed-off, numbered 通知 with a 5-page 正文, and the people of its 套红 and 用印 steps."""

from __future__ import annotations

import datetime

from conftest import make_staff

from tongban.documents.roles import DOCUMENT_CLERK, SEAL_KEEPER
from tongban.documents.tests.factories import (
    BodyVersionFactory,
    DocumentRecipientFactory,
    OfficialDocumentFactory,
)
from tongban.documents.types import DocumentLayout

SENTENCE = (
    "为进一步做好冬季安全生产工作，切实保障人民群众生命财产安全，根据《中华人民共和国安全生产法》和省、市有关规定，"
    "经市人民政府同意，现就有关事项通知如下。各地各部门要高度重视，加强组织领导，落实工作责任，确保各项措施落到实处。"
)


def five_page_body() -> str:
    """正文 that fills five pages of the GB/T 9704 layout (headings, bold, a table, a list)."""
    return (
        f"<p>{SENTENCE}</p><h2>总体要求</h2><p>{SENTENCE * 2}</p><h3>加强组织领导</h3><p>{SENTENCE}</p>"
        f"<h3>落实工作责任</h3><p><strong>各区县人民政府</strong>要{SENTENCE}</p><h2>重点任务</h2>"
        f"<p>{SENTENCE * 3}</p><table><tr><td>项目</td><td>责任单位</td><td>完成时限</td></tr>"
        "<tr><td>隐患排查</td><td>市应急管理局</td><td>2026年12月31日</td></tr></table>"
        f"<ol><li>{SENTENCE}</li><li>{SENTENCE}</li></ol><p>{SENTENCE * 3}</p><h2>工作要求</h2><p>{SENTENCE * 4}</p>"
    )


def sample_layout(**overrides) -> DocumentLayout:
    values = {
        "head_text": "云州市人民政府办公室文件",
        "document_number": "云州府办〔2026〕12号",
        "title": "云州市人民政府办公室关于做好2026年冬季安全生产工作的通知",
        "body_html": five_page_body(),
        "issuer_name": "云州市人民政府办公室",
        "issued_on": datetime.date(2026, 12, 7),
        "main_recipients": ("各区县人民政府", "市政府各部门"),
        "copy_recipients": ("市委办公室", "市人大常委会办公室", "市政协办公室"),
        "printed_by": "云州市人民政府办公室",
        "printed_on": datetime.date(2026, 12, 8),
        "copy_number": "000123",
        "urgency": "特急",
        "attachments_note": "1.冬季安全生产重点任务分工表\n2.隐患排查情况统计表",
    }
    values.update(overrides)
    return DocumentLayout(**values)


def numbered_document(number: str = "云州府办〔2026〕12号", **overrides):
    """A 通知 after 签发 and 编号 with its 正文, 主送 and 抄送 and the issuing office's clerk and seal keeper."""
    document = OfficialDocumentFactory(
        signed_off=True,
        document_number=number,
        title="云州市人民政府办公室关于做好2026年冬季安全生产工作的通知",
        status="typesetting",
        **overrides,
    )
    BodyVersionFactory(document=document, number=1, html=five_page_body())
    DocumentRecipientFactory(document=document, kind="main", name="各区县人民政府", position=0)
    DocumentRecipientFactory(document=document, kind="copy", name="市委办公室", position=0)
    department = document.issuing_body.department
    clerk = make_staff(f"clerk{document.pk}", department, DOCUMENT_CLERK)
    keeper = make_staff(f"keeper{document.pk}", department, SEAL_KEEPER)
    return document, clerk, keeper
