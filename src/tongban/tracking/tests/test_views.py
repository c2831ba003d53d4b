"""The 督办 pages over HTTP: isolation (404 and an audit row), the forms' error summaries, 409 on a
second completion, the board's query count and the 待办 count."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff
from tongban.core.counting import count_one
from tongban.core.models import AuditEvent
from tongban.tracking import services
from tongban.tracking.models import Feedback, TrackingItem
from tongban.tracking.selectors import awaiting_rows
from tongban.tracking.tests.helpers import MONDAY, assigned, city, closing, in_progress, opened

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def _summary(response) -> list[str]:
    return re.findall(r'<li><a href="#[\w-]+">([^<]+)</a></li>', response.content.decode())


def test_T_B3_an_item_is_hidden_from_other_departments_and_the_refusal_is_audited():
    c = city()
    item_id = in_progress(c)
    url = reverse("tracking:item", args=[item_id])
    assert _client(c.outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        event="tracking.viewed", object_id=str(item_id), actor_id=c.outsider.id, result="denied"
    ).exists()
    for user in (c.officer, c.leader, c.lead_clerk, c.assisting_clerk):
        assert _client(user).get(url).status_code == 200


def test_T_B3_an_outsider_cannot_act_on_an_item():
    c = city()
    item_id = assigned(c)
    response = _client(c.outsider).post(reverse("tracking:act", args=[item_id, "sign"]))
    assert response.status_code == 404
    assert TrackingItem.objects.get(pk=item_id).status == "assigned"


def test_T_B2_the_board_and_the_report_list_only_visible_items():
    c = city()
    opened(c, title="住建的事项")
    opened(c, title="教育的事项", lead_department_id=c.outsider_department.pk, assisting_department_ids=())
    board = _client(c.lead_clerk).get(reverse("tracking:board") + "?show=all").content.decode()
    assert "住建的事项" in board
    assert "教育的事项" not in board
    report = _client(c.lead_clerk).get(reverse("tracking:report")).content.decode()
    assert "住建的事项" in report
    assert "教育的事项" not in report
    officer = _client(c.officer).get(reverse("tracking:board") + "?show=all").content.decode()
    assert "住建的事项" in officer
    assert "教育的事项" in officer


def test_the_board_costs_the_same_queries_for_more_items(django_assert_num_queries):
    c = city()
    for k in range(2):
        in_progress(c, title=f"事项{k}")
    client = _client(c.officer)
    url = reverse("tracking:board") + "?show=all"
    client.get(url)  # warm the session and the nav
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for k in range(4):
        in_progress(c, title=f"更多{k}")
    with django_assert_num_queries(len(two.captured_queries)):
        assert client.get(url).content.decode().count("tracking/") >= 6


def test_new_item_form_shows_every_error_and_keeps_the_answers():
    c = city()
    response = _client(c.officer).post(
        reverse("tracking:new"),
        {
            "source": "manual",
            "office_department": c.office.pk,
            "title": "道路维修",
            "requirement": "",
            "lead_department": c.lead.pk,
            "assisting_departments": [c.lead.pk],
            "deadline_days": "abc",
            "level": "key",
        },
    )
    assert response.status_code == 400
    assert _summary(response) == [
        "请输入督办要求",
        "牵头单位不能同时是协办单位",
        "办理时限须为数字",
        "请选择反馈周期",
    ]
    assert 'value="道路维修"' in response.content.decode()
    assert "<title>错误：" in response.content.decode()
    assert TrackingItem.objects.count() == 0


def test_new_item_form_opens_an_item_and_redirects():
    c = city()
    response = _client(c.officer).post(
        reverse("tracking:new"),
        {
            "source": "manual",
            "office_department": c.office.pk,
            "title": "道路维修",
            "requirement": "月底前完成",
            "lead_department": c.lead.pk,
            "deadline_days": "10",
            "level": "ordinary",
            "cycle": "once",
        },
    )
    item = TrackingItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:item", args=[item.pk])
    assert (item.title, item.cycle, item.deadline_days, item.source_label) == (
        "道路维修",
        "once",
        10,
        "工作计划",
    )


def test_only_tracking_officers_open_the_new_item_page():
    c = city()
    assert _client(c.lead_clerk).get(reverse("tracking:new")).status_code == 404
    assert _client(c.officer).get(reverse("tracking:new")).status_code == 200


def test_an_unknown_source_is_a_404():
    c = city()
    assert (
        _client(c.officer).get(reverse("tracking:new") + "?source=received_document:999").status_code == 404
    )
    assert _client(c.officer).get(reverse("tracking:new") + "?source=nothing:1").status_code == 404


def test_empty_feedback_shows_the_error_summary():
    c = city()
    item_id = in_progress(c)
    response = _client(c.lead_clerk).post(reverse("tracking:act", args=[item_id, "feedback"]), {"text": ""})
    assert response.status_code == 400
    assert _summary(response) == ["请输入反馈内容"]
    assert Feedback.objects.count() == 0


def test_a_second_review_is_answered_409():
    c = city()
    item_id = closing(c)
    client = _client(c.officer)
    url = reverse("tracking:act", args=[item_id, "review"])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    second = client.post(url, {"decision": "return", "note": "再补充"})
    assert second.status_code == 409
    assert TrackingItem.objects.get(pk=item_id).status == "closed"


def test_the_lead_department_signs_and_feeds_back_through_the_page():
    c = city()
    item_id = assigned(c, now=timezone.now())
    client = _client(c.lead_clerk)
    page = client.get(reverse("tracking:item", args=[item_id])).content.decode()
    assert "签收" in page
    assert client.post(reverse("tracking:act", args=[item_id, "sign"])).status_code == 302
    assert (
        client.post(reverse("tracking:act", args=[item_id, "feedback"]), {"text": "已部署"}).status_code
        == 302
    )
    assert list(Feedback.objects.values_list("text", "is_late")) == [("已部署", False)]


def test_awaiting_count_counts_what_each_person_must_act_on():
    c = city()
    opened(c)  # 待交办: the officer
    assigned(c)  # 待签收: the lead clerk
    item_id = closing(c)  # 待审核办结: the officer
    in_progress_id = in_progress(c)
    services.request_extension(item_id=in_progress_id, user_id=c.lead_clerk.id, days=3, reason="雨季")
    assert count_one(awaiting_rows(c.officer.id)) == 3
    assert count_one(awaiting_rows(c.lead_clerk.id)) == 1
    assert count_one(awaiting_rows(c.outsider.id)) == 0
    assert count_one(awaiting_rows(c.officer.id, 1)) == 2  # each part stops at the limit
    assert TrackingItem.objects.get(pk=item_id).status == "closing"


def test_the_report_pdf_lists_the_month(settings):
    c = city()
    item_id = closing(c)
    services.review_closing(item_id=item_id, user_id=c.officer.id, approve=True, note="", now=MONDAY)
    response = _client(c.officer).get(reverse("tracking:report_pdf") + "?year=2026&month=3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    from tongban.tracking.tests.pdf import pdf_text

    text = pdf_text(response.content)
    assert "2026年3月督办通报" in text
    assert "老旧小区改造年度任务" in text
    assert "本月督办事项共1项，超期0项，本月办结1项" in text


def test_the_workbench_counts_what_waits_in_two_queries(django_assert_num_queries):
    c = city()
    opened(c)
    closing(c)
    with django_assert_num_queries(2):  # the roles; the items and the extensions in one statement
        assert count_one(awaiting_rows(c.officer.id, 100)) == 2
    with django_assert_num_queries(2):
        assert count_one(awaiting_rows(c.lead_clerk.id, 100)) == 0
    page = _client(c.lead_clerk).get(reverse("tracking:board")).content.decode()
    assert 'href="/staff/tracking/"' in page
    assert 'href="/staff/tracking/new/"' not in page  # 立项督办 is the officers'
