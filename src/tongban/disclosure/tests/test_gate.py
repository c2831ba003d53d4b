"""T-I2: the personal-data and sensitive-word gate at 送审 and again at publishing."""

import pytest

from tongban.core.identifiers import make_uscc
from tongban.disclosure import selectors, services
from tongban.disclosure.errors import GateBlocked
from tongban.disclosure.extraction import docx_text
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.tests.helpers import RESIDENT_ID, city, draft, open_task, secrecy_ok, submit
from tongban.disclosure.tests.pdfs import pdf_with_text
from tongban.moderation.models import SensitiveWord
from tongban.moderation.selectors import forget_cached_words

pytestmark = pytest.mark.django_db

ID_BODY = f"经查，当事人（身份证号码{RESIDENT_ID}）无证经营。"


def test_T_I2_a_body_with_a_resident_id_is_blocked_with_the_finding_listed():
    c = city()
    item_id = draft(c, body=ID_BODY)
    with pytest.raises(GateBlocked) as refused:
        submit(c, item_id)
    assert refused.value.details == ["正文：身份证号码 1101**********4514"]
    item = DisclosureItem.objects.get(pk=item_id)
    assert item.status == "draft"
    assert open_task(item_id, "draft").status == "open"
    findings = selectors.gate_of(item).findings
    assert [(f.source, f.kind, f.shown, f.blocks) for f in findings] == [
        ("正文", "身份证号码", "1101**********4514", True)
    ]


def test_T_I2_after_masking_the_item_is_publishable():
    c = city()
    item_id = draft(c, body=ID_BODY)
    services.mask_item_text(item_id=item_id, user_id=c.editor.id)
    item = DisclosureItem.objects.get(pk=item_id)
    assert item.body == "经查，当事人（身份证号码1101**********4514）无证经营。"
    assert selectors.gate_of(item).blocked is False
    submit(c, item_id)
    secrecy_ok(c, item_id)
    services.handle_step(task_id=open_task(item_id, "approval").id, user_id=c.approver.id)
    assert DisclosureItem.objects.get(pk=item_id).status == "published"


def test_T_I2_a_pdf_attachment_with_a_valid_id_is_blocked():
    c = city()
    item_id = draft(c)
    services.add_attachment(
        item_id=item_id, user_id=c.editor.id, name="处罚决定书.pdf", data=pdf_with_text(f"ID {RESIDENT_ID}")
    )
    with pytest.raises(GateBlocked) as refused:
        submit(c, item_id)
    assert refused.value.details == ["附件《处罚决定书.pdf》：身份证号码 1101**********4514"]
    assert DisclosureItem.objects.get(pk=item_id).status == "draft"


def test_T_I2_the_gate_runs_again_at_publishing():
    """A justification covers exactly the findings it was written for; a sensitive word added to the
    list after 送审 stops publishing."""
    c = city()
    item_id = draft(c, body="关于网络餐饮的通知，违规刷单将被查处。")
    submit(c, item_id)
    secrecy_ok(c, item_id)
    SensitiveWord.objects.create(word="刷单", category="fraud", action="block")
    forget_cached_words()
    with pytest.raises(GateBlocked):
        services.handle_step(task_id=open_task(item_id, "approval").id, user_id=c.approver.id)
    assert DisclosureItem.objects.get(pk=item_id).status == "in_review"


def test_a_justified_finding_may_be_submitted_and_the_reviewers_see_the_reason():
    c = city()
    code = make_uscc(registry="9", kind="1", region_code="990100", organization_body="MA000001")
    item_id = draft(c, body=f"许可对象：云州市某餐饮有限公司，统一社会信用代码{code}。")
    with pytest.raises(GateBlocked):
        submit(c, item_id)
    services.justify_findings(
        item_id=item_id, user_id=c.editor.id, text="行政许可公示须公开企业统一社会信用代码"
    )
    submit(c, item_id)
    item = DisclosureItem.objects.get(pk=item_id)
    assert item.status == "in_review"
    assert item.justification == "行政许可公示须公开企业统一社会信用代码"


def test_a_justification_is_void_once_the_findings_change():
    c = city()
    item_id = draft(c, body=ID_BODY)
    services.justify_findings(item_id=item_id, user_id=c.editor.id, text="当事人同意公开")
    item = DisclosureItem.objects.get(pk=item_id)
    assert selectors.gate_of(item).blocked is False
    item.body += "联系电话13912345678。"
    item.save()
    assert selectors.gate_of(item).blocked is True


def test_a_review_word_is_listed_but_does_not_block():
    c = city()
    SensitiveWord.objects.create(word="内部", category="confidential", action="review")
    forget_cached_words()
    item_id = draft(c, body="本通知不含内部事项。")
    item = DisclosureItem.objects.get(pk=item_id)
    gate = selectors.gate_of(item)
    assert [(f.kind, f.shown, f.blocks) for f in gate.findings] == [("敏感词", "内部", False)]
    submit(c, item_id)
    assert DisclosureItem.objects.get(pk=item_id).status == "in_review"


def test_docx_text_is_read_from_its_xml():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f"<w:document><w:p><w:r><w:t>身份证{RESIDENT_ID}</w:t></w:r></w:p></w:document>",
        )
    assert docx_text(buffer.getvalue()).strip() == f"身份证{RESIDENT_ID}"
