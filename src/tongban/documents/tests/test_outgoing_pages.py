"""The 发文 pages over HTTP, with a user per role from 拟稿 to 分发 (doc-flow)."""

import base64

import pytest
from django.test import Client

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.documents.models import DocumentStatus, OfficialDocument
from tongban.documents.services import drafting, steps
from tongban.documents.tests.flow import fill, make_office, open_task, png, start
from tongban.workflow.selectors import inbox_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_office()


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def _task_url(document_id, element_id, department_id=None):
    return f"/staff/document-tasks/{open_task(f'document:{document_id}', element_id, department_id).id}/"


SHEET = {
    "title": "云州市人民政府办公室关于做好2027年元旦春节期间有关工作的通知",
    "main_names": "各区人民政府",
    "copy_names": "市委办公室",
}


def test_a_notice_is_drafted_reviewed_countersigned_signed_numbered_sealed_and_distributed(office):
    drafter = _client(office.drafter)
    page = drafter.get("/staff/documents/new/")
    assert page.status_code == 200
    assert "通知" in page.content.decode()
    response = drafter.post(
        "/staff/documents/new/",
        {"template": office.template.pk, "department": office.drafting.pk, "idempotency_key": "k1"},
    )
    document = OfficialDocument.objects.get(drafter_id=office.drafter.id)
    assert response["Location"] == f"/staff/documents/{document.pk}/"
    assert drafter.get(response["Location"]).status_code == 200
    draft_url = _task_url(document.pk, "draft")
    response = drafter.post(
        f"/staff/documents/{document.pk}/form/",
        SHEET
        | {
            "main_departments": [office.partner.pk],
            "countersign_departments": [office.partner.pk],
            "next": draft_url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == draft_url
    assert "会签部门" in drafter.get(draft_url).content.decode()
    assert drafter.post(draft_url, {"action": "submit"}).status_code == 302
    head = _client(office.head)
    assert any(t.instance.subject == document.subject for t in inbox_tasks(office.head.id).tasks)
    assert (
        head.post(_task_url(document.pk, "dept_review"), {"action": "agree", "opinion": "同意"}).status_code
        == 302
    )
    partner = _client(office.partner_head)
    countersign_url = _task_url(document.pk, "countersign")
    assert partner.get(countersign_url).status_code == 200
    assert partner.post(countersign_url, {"action": "agree", "opinion": "无意见。"}).status_code == 302
    reviewer = _client(office.reviewer)
    assert reviewer.post(_task_url(document.pk, "office_review"), {"action": "agree"}).status_code == 302
    signer = _client(office.signer)
    sign_off_url = _task_url(document.pk, "sign_off")
    assert "签批" in signer.get(sign_off_url).content.decode()
    data_url = "data:image/png;base64," + base64.b64encode(png()).decode()
    response = signer.post(f"{sign_off_url}sign-off/", {"opinion": "同意印发。", "signature": data_url})
    assert response.status_code == 302
    clerk = _client(office.clerk)
    assert clerk.post(_task_url(document.pk, "numbering"), {"action": "number"}).status_code == 302
    assert clerk.post(_task_url(document.pk, "typesetting"), {"action": "typeset"}).status_code == 302
    keeper = _client(office.seal_keeper)
    assert keeper.post(_task_url(document.pk, "sealing"), {"action": "seal"}).status_code == 302
    assert clerk.post(_task_url(document.pk, "distribution"), {"action": "distribute"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.DISTRIBUTED
    page = drafter.get(f"/staff/documents/{document.pk}/").content.decode()
    assert document.document_number in page
    assert "同意印发。" in page
    assert "无意见。" in page
    assert f"/staff/documents/{document.pk}/signature.png" in page
    image = drafter.get(f"/staff/documents/{document.pk}/signature.png")
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    listing = drafter.get("/staff/documents/?tab=distributed").content.decode()
    assert document.title in listing
    assert document.title not in drafter.get("/staff/documents/?tab=drafts").content.decode()
    assert document.title in drafter.get("/staff/documents/?tab=distributed&kind=notice").content.decode()
    assert (
        document.title not in drafter.get("/staff/documents/?tab=distributed&kind=request").content.decode()
    )


def test_the_reviewer_sends_back_to_the_drafter_who_sees_the_reason(office):
    document_id = start(office)
    fill(office, document_id, countersign_departments=[])
    drafter = _client(office.drafter)
    drafter.post(_task_url(document_id, "draft"), {"action": "submit"})
    _client(office.head).post(_task_url(document_id, "dept_review"), {"action": "agree"})
    reviewer = _client(office.reviewer)
    url = _task_url(document_id, "office_review")
    response = reviewer.post(f"{url}send-back/", {"target": "draft", "reason": ""})
    assert response.status_code == 400
    assert "请填写退回理由" in response.content.decode()
    response = reviewer.post(f"{url}send-back/", {"target": "draft", "reason": "主送机关不全"})
    assert response.status_code == 302
    page = drafter.get(_task_url(document_id, "draft")).content.decode()
    assert "主送机关不全" in page


def test_the_drafter_withdraws_from_the_document_page(office):
    document_id = start(office)
    fill(office, document_id)
    drafter = _client(office.drafter)
    drafter.post(_task_url(document_id, "draft"), {"action": "submit"})
    assert "撤回" in drafter.get(f"/staff/documents/{document_id}/").content.decode()
    assert drafter.post(f"/staff/documents/{document_id}/withdraw/").status_code == 302
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.DRAFTING


def test_a_request_with_two_main_recipients_shows_the_error_and_saves_nothing(office):
    document_id = start(office, office.request_template)
    response = _client(office.drafter).post(
        f"/staff/documents/{document_id}/form/",
        {"title": "关于增拨经费的请示", "main_names": "市人民政府\n市发展改革委"},
    )
    assert response.status_code == 400
    assert "请示只能主送一个机关" in response.content.decode()
    assert OfficialDocument.objects.get(pk=document_id).title == ""


def test_editing_after_sign_off_is_refused_with_409(office):
    document_id = start(office)
    fill(office, document_id, countersign_departments=[])
    for element, user, action in (
        ("draft", office.drafter, "submit"),
        ("dept_review", office.head, "agree"),
        ("office_review", office.reviewer, "agree"),
    ):
        steps.handle_step(
            task_id=open_task(f"document:{document_id}", element).id,
            user_id=user.id,
            action=action,
            opinion="",
        )
    drafting.sign_off(
        task_id=open_task(f"document:{document_id}", "sign_off").id,
        user_id=office.signer.id,
        opinion="同意",
        signature_png=png(),
        use_saved_signature=False,
    )
    response = _client(office.signer).post(f"/staff/documents/{document_id}/form/", SHEET | {"title": "改"})
    assert response.status_code == 409
    assert "已签发" in response.content.decode()


def test_a_person_outside_the_知悉范围_gets_404_and_an_audit_row_T_B3(office):
    document_id = start(office)
    stranger = _client(office.stranger)
    assert stranger.get(f"/staff/documents/{document_id}/").status_code == 404
    assert stranger.post(f"/staff/documents/{document_id}/form/", SHEET).status_code == 404
    assert stranger.get(_task_url(document_id, "draft")).status_code == 404
    refused = AuditEvent.objects.filter(actor_id=office.stranger.id, result="denied")
    assert refused.filter(event="document.view", object_id=str(document_id)).exists()
    assert refused.filter(event="task.open").exists()
    assert OfficialDocument.objects.get(pk=document_id).title == ""


def test_a_retried_new_draft_is_not_duplicated(office):
    drafter = _client(office.drafter)
    post = {"template": office.template.pk, "department": office.drafting.pk, "idempotency_key": "twice"}
    first = drafter.post("/staff/documents/new/", post)
    second = drafter.post("/staff/documents/new/", post)
    assert first["Location"] == second["Location"]
    assert OfficialDocument.objects.filter(drafter_id=office.drafter.id).count() == 1


def test_the_inbox_lists_a_document_by_title_and_drafter(office):
    document_id = start(office)
    fill(office, document_id)
    steps.handle_step(
        task_id=open_task(f"document:{document_id}", "draft").id,
        user_id=office.drafter.id,
        action="submit",
        opinion="",
    )
    page = _client(office.head).get("/staff/tasks/").content.decode()
    assert SHEET["title"] in page
    assert "caizheng_drafter" in page
    assert "/staff/document-tasks/" in page


def test_the_inbox_filter_for_documents_keeps_documents_only(office):
    document_id = start(office)
    fill(office, document_id)
    steps.handle_step(
        task_id=open_task(f"document:{document_id}", "draft").id,
        user_id=office.drafter.id,
        action="submit",
        opinion="",
    )
    client = _client(office.head)
    documents_only = client.get("/staff/tasks/?family=document").content.decode()
    assert '<strong aria-current="true">公文</strong>' in documents_only
    assert SHEET["title"] in documents_only
    assert SHEET["title"] not in client.get("/staff/tasks/?family=internal").content.decode()
    assert SHEET["title"] not in client.get("/staff/tasks/?family=application").content.decode()
