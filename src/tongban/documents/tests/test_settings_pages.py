"""公文设置 pages: issuing bodies, templates and the 文号 register with 预留, 作废 and 补号, for the
administrators of the body's department; anyone else gets a 404 and an audit row."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.core.models import AuditEvent
from tongban.documents.models import DocumentNumber, DocumentTemplate, IssuingBody, OfficialDocument
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.services.numbering import assign_number
from tongban.documents.tests.factories import IssuingBodyFactory, OfficialDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(department):
    return make_staff("dept_admin", department, "department_admin")


@pytest.fixture
def body(department):
    return IssuingBodyFactory(department=department)


def test_an_administrator_adds_an_issuing_body(client, department, admin):
    login_staff(client, admin)

    response = client.post(
        "/staff/documents/settings/issuing-bodies/",
        {
            "department": str(department.pk),
            "name": "云州市民政局",
            "head_text": "云州市民政局文件",
            "code": "云州民",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    body = IssuingBody.objects.get(code="云州民")
    assert (body.department_id, body.head_text) == (department.pk, "云州市民政局文件")
    assert AuditEvent.objects.filter(actor_id=admin.id, event="document.issuing_body_saved").exists()


def test_a_latin_or_taken_code_is_refused_with_the_error_summary(client, department, admin, body):
    login_staff(client, admin)
    posted = {"department": str(department.pk), "name": "云州市民政局", "head_text": "云州市民政局文件"}

    latin = client.post("/staff/documents/settings/issuing-bodies/", {**posted, "code": "YZM"})
    taken = client.post("/staff/documents/settings/issuing-bodies/", {**posted, "code": body.code})

    assert (latin.status_code, taken.status_code) == (400, 400)
    assert summary_errors(latin) == ["机关代字只能是汉字，最多20个字"]
    assert summary_errors(taken) == ["机关代字已被其他发文机关使用"]
    assert IssuingBody.objects.count() == 1


def test_an_administrator_of_another_department_cannot_use_it(client, other_department, admin):
    login_staff(client, admin)

    response = client.post(
        "/staff/documents/settings/issuing-bodies/",
        {"department": str(other_department.pk), "name": "外部门", "head_text": "外部门文件", "code": "外部"},
    )

    assert response.status_code == 400
    assert not IssuingBody.objects.filter(code="外部").exists()


def test_a_template_keeps_only_the_allowed_markup(client, admin, body):
    login_staff(client, admin)

    response = client.post(
        "/staff/documents/settings/templates/",
        {
            "issuing_body": str(body.pk),
            "kind": "notice",
            "name": "通知模板",
            "body_html": '<p onclick="x()">各区人民政府：</p><script>alert(1)</script><p><a href="javascript:x">现将</a>有关事项通知如下。',
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    template = DocumentTemplate.objects.get(name="通知模板")
    assert template.body_html == "<p>各区人民政府：</p><p>现将有关事项通知如下。</p>"
    assert (template.kind, template.issuing_body_id) == ("notice", body.pk)


def test_staff_who_administer_nothing_get_404_and_an_audit_row(client, department):
    clerk = make_staff("doc_clerk", department, DOCUMENT_CLERK)
    login_staff(client, clerk)

    for url in (
        "/staff/documents/settings/issuing-bodies/",
        "/staff/documents/settings/templates/",
        "/staff/documents/settings/numbers/",
    ):
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(actor_id=clerk.id, result="denied").count() == 3


def test_the_register_shows_reserves_abandons_and_backfills_numbers(client, department, admin, body):
    clerk = make_staff("doc_clerk", department, DOCUMENT_CLERK)
    numbered = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    assign_number(document_id=numbered.pk, user_id=clerk.id)
    waiting = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    login_staff(client, admin)
    url = f"/staff/documents/settings/numbers/?body={body.pk}&year=2026"
    base = {"body": str(body.pk), "year": "2026"}

    reserved = client.post(
        url, {**base, "action": "reserve", "reserve_count": "2", "reserve_reason": "年度工作要点"}
    )
    abandoned = client.post(
        url, {**base, "action": "abandon", "abandon_document": str(numbered.pk), "abandon_reason": "标题有误"}
    )
    backfilled = client.post(
        url,
        {
            **base,
            "action": "backfill",
            "backfill_document": str(waiting.pk),
            "backfill_number": str(DocumentNumber.objects.get(number="云州府办〔2026〕2号").pk),
        },
    )
    page = client.get(url)

    assert [r.status_code for r in (reserved, abandoned, backfilled)] == [302, 302, 302]
    assert OfficialDocument.objects.get(pk=waiting.pk).document_number == "云州府办〔2026〕2号"
    assert list(DocumentNumber.objects.values_list("number", "state")) == [
        ("云州府办〔2026〕1号", "abandoned"),
        ("云州府办〔2026〕2号", "backfilled"),
        ("云州府办〔2026〕3号", "reserved"),
    ]
    html = page.content.decode()
    assert "已作废" in html
    assert "补号" in html
    assert "预留" in html
    assert "标题有误" in html


def test_reserving_without_a_reason_is_refused_with_the_error_summary(client, admin, body):
    login_staff(client, admin)

    response = client.post(
        "/staff/documents/settings/numbers/",
        {
            "body": str(body.pk),
            "year": "2026",
            "action": "reserve",
            "reserve_count": "1",
            "reserve_reason": "",
        },
    )

    assert response.status_code == 400
    assert summary_errors(response) == ["请输入预留理由"]
    assert not DocumentNumber.objects.exists()
