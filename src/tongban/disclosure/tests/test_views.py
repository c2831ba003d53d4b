"""The 主动公开 pages over HTTP: T-I1 (publish URL, distinct reviewers, public visibility), T-I3
(attachments), department isolation (404 + audit row), form errors, and pinned query counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.disclosure import services
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.tests.helpers import (
    RESIDENT_ID,
    city,
    draft,
    open_task,
    published,
    secrecy_ok,
    submit,
)
from tongban.disclosure.tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def _summary(response) -> list[str]:
    return re.findall(r'<li><a href="#[\w-]+">([^<]+)</a></li>', response.content.decode())


def test_T_I1_the_author_posting_the_publish_url_of_a_draft_gets_409():
    c = city()
    item_id = draft(c)
    response = _client(c.editor).post(reverse("disclosure:publish", args=[item_id]))
    assert response.status_code == 409
    assert "该信息尚未通过保密审查，不能发布" in response.content.decode()
    assert DisclosureItem.objects.get(pk=item_id).status == "draft"


def test_T_I1_the_same_person_as_both_reviewers_gets_400():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    client = _client(c.both)
    response = client.post(reverse("disclosure:task", args=[open_task(item_id, "secrecy_review").id]))
    assert response.status_code == 302
    response = client.post(reverse("disclosure:publish", args=[item_id]))
    assert response.status_code == 400
    assert _summary(response) == ["保密审查和领导审核须由不同的人员办理"]
    response = client.post(reverse("disclosure:task", args=[open_task(item_id, "approval").id]))
    assert response.status_code == 400
    assert DisclosureItem.objects.get(pk=item_id).status == "in_review"


def test_T_I1_unpublished_items_are_invisible_on_every_public_channel():
    c = city()
    hidden = draft(c, title="关于食品安全抽检的草稿")
    reviewing = draft(c, title="关于食品安全检查的送审稿")
    submit(c, reviewing)
    shown = published(c, title="关于食品安全专项整治的通知")
    client = Client()
    for item_id in (hidden, reviewing):
        assert client.get(reverse("disclosure:item", args=[item_id])).status_code == 404
    assert client.get(reverse("disclosure:item", args=[shown])).status_code == 200
    catalogue = client.get(reverse("disclosure:catalogue") + "?q=食品安全").content.decode()
    listing = client.get(reverse("disclosure:catalogue")).content.decode()
    rss = client.get(reverse("disclosure:rss")).content.decode()
    atom = client.get(reverse("disclosure:department_atom", args=[c.market.pk])).content.decode()
    for body in (catalogue, listing, rss, atom):
        assert "关于食品安全专项整治的通知" in body
        assert "草稿" not in body
        assert "送审稿" not in body


def test_T_I3_a_drafts_attachment_is_not_reachable_by_url():
    c = city()
    item_id = draft(c)
    attachment_id = services.add_attachment(
        item_id=item_id, user_id=c.editor.id, name="附件.pdf", data=pdf_with_text("draft")
    )
    url = reverse("disclosure:attachment", args=[item_id, attachment_id])
    assert Client().get(url).status_code == 404
    staff_url = reverse("disclosure:staff_attachment", args=[item_id, attachment_id])
    assert _client(c.outsider).get(staff_url).status_code == 404
    assert _client(c.editor).get(staff_url).status_code == 200
    submit(c, item_id)
    secrecy_ok(c, item_id)
    services.publish_item(item_id=item_id, user_id=c.approver.id)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    services.withdraw_item(item_id=item_id, user_id=c.approver.id, reason="有误")
    assert Client().get(url).status_code == 404


def test_T_B3_an_item_is_hidden_from_other_departments_and_the_refusal_is_audited():
    c = city()
    item_id = draft(c)
    url = reverse("disclosure:staff_item", args=[item_id])
    assert _client(c.outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        event="disclosure.viewed", object_id=str(item_id), actor_id=c.outsider.id, result="denied"
    ).exists()
    for user in (c.editor, c.reviewer, c.approver, c.admin):
        assert _client(user).get(url).status_code == 200


def test_the_new_form_shows_its_errors():
    c = city()
    response = _client(c.editor).post(
        reverse("disclosure:new"),
        {
            "department": c.market.pk,
            "category": "policy",
            "title": "",
            "topic": "market",
            "validity": "valid",
            "written_on": "2026-13-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>错误：" in html
    assert _summary(response) == ["请输入标题", "日期应写成 年-月-日，例如 2026-03-02"]
    assert DisclosureItem.objects.count() == 0
    response = _client(c.editor).post(
        reverse("disclosure:new"),
        {
            "department": c.market.pk,
            "category": "policy",
            "title": "通知",
            "topic": "market",
            "validity": "valid",
        },
    )
    assert response.status_code == 400
    assert _summary(response) == ["请选择政策文件的类别"]


def test_an_editor_drafts_sees_the_finding_masks_and_submits_through_the_pages():
    c = city()
    client = _client(c.editor)
    response = client.post(
        reverse("disclosure:new"),
        {
            "department": c.market.pk,
            "category": "other",
            "title": "行政处罚信息公示",
            "body": f"当事人身份证号码{RESIDENT_ID}。",
            "topic": "market",
            "validity": "valid",
            "idempotency_key": "abc",
        },
    )
    item = DisclosureItem.objects.get()
    assert response["Location"] == reverse("disclosure:staff_item", args=[item.pk])
    page = client.get(response["Location"]).content.decode()
    assert "1101**********4514" in page
    task_url = reverse("disclosure:task", args=[open_task(item.pk, "draft").id])
    refused = client.post(task_url)
    assert refused.status_code == 400
    assert _summary(refused) == ["发现个人信息或敏感词，请遮盖或删除后再提交，确需公开的请填写发布说明"]
    assert DisclosureItem.objects.get().status == "draft"
    client.post(reverse("disclosure:mask", args=[item.pk]))
    assert client.post(task_url).status_code == 302
    assert DisclosureItem.objects.get().status == "in_review"


def test_a_send_back_without_a_reason_is_shown_on_the_page():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    url = reverse("disclosure:task", args=[open_task(item_id, "secrecy_review").id])
    response = _client(c.reviewer).post(url, {"op": "send_back", "target": "draft", "reason": ""})
    assert response.status_code == 400
    assert _summary(response) == ["请填写退回理由"]
    response = _client(c.reviewer).post(url, {"op": "send_back", "target": "draft", "reason": "请补充文号"})
    assert response.status_code == 302
    assert DisclosureItem.objects.get(pk=item_id).status == "draft"


def test_the_staff_list_has_a_fixed_number_of_queries(django_assert_num_queries):
    c = city()
    for n in range(3):
        published(c, title=f"信息{n}")
    draft(c)
    client = _client(c.editor)
    client.get(reverse("disclosure:staff_list"))
    with django_assert_num_queries(19):  # many are the workbench shell's (navigation and counts)
        response = client.get(reverse("disclosure:staff_list"))
    assert response.content.decode().count('<th scope="row"><a href="/staff/disclosure/') == 4
    for n in range(4):
        draft(c, title=f"草稿{n}")
    with django_assert_num_queries(19):
        response = client.get(reverse("disclosure:staff_list"))
    assert response.content.decode().count('<th scope="row"><a href="/staff/disclosure/') == 8


def test_the_public_catalogue_has_a_fixed_number_of_queries(django_assert_num_queries):
    c = city()
    for n in range(5):
        published(c, title=f"关于食品安全的通知{n}")
    client = Client()
    client.get(reverse("disclosure:catalogue") + "?q=食品安全")
    with django_assert_num_queries(2):  # the page of items, the departments of the filter
        response = client.get(reverse("disclosure:catalogue") + "?q=食品安全&category=policy")
    assert response.content.decode().count("关于食品安全的通知") == 5


def test_the_guide_is_edited_by_the_admin_and_published():
    c = city()
    client = _client(c.admin)
    url = reverse("disclosure:guide_edit")
    response = client.post(url, {"department": c.market.pk, "body": ""})
    assert response.status_code == 400
    assert _summary(response) == ["请输入指南正文"]
    client.post(url, {"department": c.market.pk, "body": "一、主动公开的范围……"})
    page = Client().get(reverse("disclosure:guide", args=[c.market.pk]))
    assert "一、主动公开的范围……" in page.content.decode()
    assert _client(c.editor).get(url).status_code == 404


def test_the_report_page_and_pdf():
    c = city()
    published(c)
    client = _client(c.admin)
    page = client.get(reverse("disclosure:report") + "?month=2026-12")
    assert page.status_code == 200
    pdf = client.get(reverse("disclosure:report_pdf") + "?month=2026-12")
    assert pdf.content.startswith(b"%PDF")
    response = client.post(
        reverse("disclosure:save_review"), {"month": "2026-12", "department": c.market.pk, "text": "较好"}
    )
    assert response.status_code == 302


def test_the_review_tasks_appear_in_the_staff_inbox():
    c = city()
    item_id = draft(c, title="关于公布随机抽查结果的通告")
    submit(c, item_id)
    page = _client(c.reviewer).get(reverse("applications:staff_inbox")).content.decode()
    task_id = open_task(item_id, "secrecy_review").id
    assert DisclosureItem.objects.get(pk=item_id).index_number in page
    assert reverse("disclosure:claim", args=[task_id]) in page


def test_claiming_a_review_task_opens_its_page():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    task_id = open_task(item_id, "secrecy_review").id
    response = _client(c.reviewer).post(reverse("disclosure:claim", args=[task_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:task", args=[task_id])
    assert open_task(item_id, "secrecy_review").assignee_id == c.reviewer.id
    assert _client(c.outsider).post(reverse("disclosure:claim", args=[task_id])).status_code == 404


def test_the_staff_pages_render_for_their_roles():
    c = city()
    item_id = draft(c, title="逾期未公开的信息")
    DisclosureItem.objects.filter(pk=item_id).update(changed_on="2026-01-05")
    published(c, title="已发布的信息")
    admin = _client(c.admin)
    board = admin.get(reverse("disclosure:timeliness")).content.decode()
    assert "逾期未公开的信息" in board
    assert (
        "逾期未公开的信息" not in _client(c.outsider).get(reverse("disclosure:timeliness")).content.decode()
    )
    assert _client(c.editor).get(reverse("disclosure:new")).status_code == 200
    assert _client(c.editor).get(reverse("disclosure:edit", args=[item_id])).status_code == 200
    assert _client(c.reviewer).get(reverse("disclosure:new")).status_code == 404
    assert admin.get(reverse("disclosure:guide_edit")).status_code == 200
    services.save_guide(user_id=c.admin.id, department_id=c.market.pk, body="指南")
    assert "云州市市场监督管理局" in Client().get(reverse("disclosure:guides")).content.decode()


def test_citizens_and_anonymous_visitors_do_not_reach_staff_pages(citizen_client):
    c = city()
    item_id = draft(c)
    assert citizen_client.get(reverse("disclosure:staff_item", args=[item_id])).status_code == 404
    assert Client().get(reverse("disclosure:staff_list")).status_code == 302
