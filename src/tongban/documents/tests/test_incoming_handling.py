"""收文办理 steps and pages: 承办 due dates on the working-day calendar, 催办, 传阅 (待阅/已阅), 知悉范围."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff
from tongban.core.calendar import CHINA_TZ, set_calendar_day
from tongban.core.models import AuditEvent
from tongban.documents.models import Circulation, HandlingAssignment, IncomingNudge
from tongban.documents.services import incoming
from tongban.documents.tests.incoming_helpers import (
    office,
    open_task,
    register,
    signature_data_url,
    signed_for,
    to_handling,
)
from tongban.workflow import selectors as workflow_selectors

pytestmark = pytest.mark.django_db

FRIDAY = dt.datetime(2026, 12, 4, 10, tzinfo=CHINA_TZ)


def test_handling_is_due_on_the_working_day_calendar_across_a_weekend_and_a_holiday():
    o = office()
    set_calendar_day(dt.date(2026, 12, 8), is_working_day=False, name="测试假日")
    with time_machine.travel(FRIDAY, tick=False):
        completion = to_handling(o, signed_for(o), days=5)

    # Friday + 5 working days: Mon 7, (Tue 8 off), Wed 9, Thu 10, Fri 11, (weekend), Mon 14.
    assert {t.due_date for t in completion.opened} == {dt.date(2026, 12, 14)}
    assert set(HandlingAssignment.objects.values_list("due_date", flat=True)) == {dt.date(2026, 12, 14)}


def test_a_step_is_nudged_only_when_it_waited_or_is_overdue_and_once_a_day(
    django_capture_on_commit_callbacks,
):
    from tongban.notifications.models import Notification

    o = office()
    with time_machine.travel(FRIDAY, tick=False):
        received = signed_for(o)
        register(o, received)
        task = open_task(received, "propose")
        with pytest.raises(incoming.IncomingStateError) as too_early:
            incoming.nudge_step(received_id=received.pk, user_id=o.clerk.id, task_id=task.id)
        assert too_early.value.code == "too_early"
    monday = FRIDAY + dt.timedelta(days=3)
    with time_machine.travel(monday, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            told = incoming.nudge_step(received_id=received.pk, user_id=o.clerk.id, task_id=task.id)
        with pytest.raises(incoming.IncomingStateError) as twice:
            incoming.nudge_step(received_id=received.pk, user_id=o.clerk.id, task_id=task.id)
        assert twice.value.code == "nudged_today"
    assert told == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [o.reviewer.id]
    assert IncomingNudge.objects.count() == 1
    # Only the receiving department's clerks nudge.
    with (
        time_machine.travel(monday + dt.timedelta(days=1), tick=False),
        pytest.raises(incoming.IncomingNotFound),
    ):
        incoming.nudge_step(received_id=received.pk, user_id=o.clerk_a.id, task_id=task.id)


def test_an_overdue_handling_step_may_be_nudged_from_the_handling_page(client):
    o = office()
    with time_machine.travel(FRIDAY, tick=False):
        received = signed_for(o)
        completion = to_handling(o, received, days=1)
    task = completion.opened[0]
    assert incoming.may_nudge(task, today=task.due_date + dt.timedelta(days=1))
    with time_machine.travel(FRIDAY + dt.timedelta(days=10), tick=False):
        login_staff(client, o.clerk)
        page = client.get(f"/staff/received/{received.pk}/handling/")
        assert "催办" in page.content.decode()
        assert client.post(f"/staff/received/{received.pk}/nudge/{task.id}/").status_code == 302


def circulated(o):
    received = signed_for(o)
    completion = to_handling(o, received)
    for task, clerk in zip(completion.opened, (o.clerk_a, o.clerk_b), strict=True):
        incoming.complete_handling(task_id=task.id, user_id=clerk.id, result="已办理")
    task = open_task(received, "circulate")
    incoming.circulate(task_id=task.id, user_id=o.clerk.id, reader_ids=[o.reviewer.id, o.signer.id])
    return received, task


def test_the_read_receipt_is_recorded_once():
    o = office()
    received, _task = circulated(o)

    first = incoming.mark_read(received_id=received.pk, user_id=o.signer.id)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        again = incoming.mark_read(received_id=received.pk, user_id=o.signer.id)

    assert again == first
    assert Circulation.objects.get(received=received, reader_id=o.signer.id).read_at == first
    with pytest.raises(incoming.IncomingNotFound):
        incoming.mark_read(received_id=received.pk, user_id=o.clerk_a.id)  # not circulated to them


def test_circulation_lists_exactly_the_users_items_and_marks_them_read(client):
    o = office()
    received, task = circulated(o)
    other, _other_task = circulated_again(o)

    login_staff(client, o.signer)
    page = client.get("/staff/circulation/").content.decode()
    assert received.title in page
    assert other.title in page
    marked = client.post(f"/staff/received/{received.pk}/read/", follow=True)
    assert marked.redirect_chain[-1][0] == "/staff/circulation/"
    unread = [c.received_id for c in Circulation.objects.filter(reader_id=o.signer.id, read_at__isnull=True)]
    assert unread == [other.pk]
    login_staff(client, o.clerk_a)
    assert received.title not in client.get("/staff/circulation/").content.decode()
    # Closing circulation keeps the unread ones listed.
    incoming.close_circulation(task_id=task.id, user_id=o.clerk.id)
    assert Circulation.objects.filter(received=received, read_at__isnull=True).count() == 1
    received.refresh_from_db()
    assert received.handling_status == "circulating"  # 办结 is open


def circulated_again(o):
    received = signed_for(o)
    completion = to_handling(o, received)
    for task, clerk in zip(completion.opened, (o.clerk_a, o.clerk_b), strict=True):
        incoming.complete_handling(task_id=task.id, user_id=clerk.id, result="已办理")
    task = open_task(received, "circulate")
    incoming.circulate(task_id=task.id, user_id=o.clerk.id, reader_ids=[o.signer.id])
    return received, task


def test_someone_outside_the_circle_gets_404_and_an_audit_row(client):
    o = office()
    received = signed_for(o)
    register(o, received)
    outsider = o.clerk_a  # a clerk of another department, not (yet) handling it

    login_staff(client, outsider)
    assert client.get(f"/staff/received/{received.pk}/handling/").status_code == 404
    task = open_task(received, "propose")
    assert client.get(f"/staff/received-tasks/{task.id}/").status_code == 404

    denied = AuditEvent.objects.filter(actor_id=outsider.id, result="denied")
    assert denied.filter(object_type="received_document", object_id=str(received.pk)).exists()
    assert denied.filter(object_type="task", object_id=str(task.id)).exists()


def test_the_pages_take_a_received_document_from_registration_to_handling(client):
    o = office()
    received = signed_for(o)
    login_staff(client, o.clerk)
    assert received.title in client.get("/staff/received/").content.decode()  # 待登记
    form = client.get(f"/staff/received/{received.pk}/register/")
    assert form.status_code == 200
    posted = client.post(
        f"/staff/received/{received.pk}/register/",
        {
            "sender_name": received.sender_name,
            "document_number": received.document_number,
            "title": received.title,
            "secrecy": "",
            "urgency": "urgent",
            "page_count": "4",
        },
    )
    assert posted.status_code == 302
    received.refresh_from_db()
    assert received.registration_number
    assert received.urgency == "urgent"
    assert received.title in client.get("/staff/received/?tab=handling").content.decode()

    login_staff(client, o.reviewer)
    propose = open_task(received, "propose")
    assert client.get(f"/staff/received-tasks/{propose.id}/").status_code == 200
    assert (
        client.post(f"/staff/received-tasks/{propose.id}/", {"opinion": "拟请财政局办理"}).status_code == 302
    )

    login_staff(client, o.signer)
    instruct = open_task(received, "instruct")
    page = client.get(f"/staff/received-tasks/{instruct.id}/").content.decode()
    assert "手写签批" in page
    unsigned = client.post(
        f"/staff/received-tasks/{instruct.id}/",
        {"opinion": "同意", "departments": [o.handling_a.pk], "handling_days": "5"},
    )
    assert unsigned.status_code == 400
    assert "请手写签批" in unsigned.content.decode()
    signed = client.post(
        f"/staff/received-tasks/{instruct.id}/",
        {
            "opinion": "同意",
            "departments": [o.handling_a.pk],
            "handling_days": "5",
            "signature": signature_data_url(),
        },
    )
    assert signed.status_code == 302
    sheet = client.get(f"/staff/received/{received.pk}/handling/").content.decode()
    assert "同意" in sheet
    assert "云州市财政局" in sheet
    image = client.get(f"/staff/received/{received.pk}/signature/")
    assert image["Content-Type"] == "image/png"

    login_staff(client, o.clerk_a)
    [handle] = [t for t in workflow_selectors.open_tasks_of(received.subject) if t.element_id == "handle_1"]
    page = client.get(f"/staff/received-tasks/{handle.id}/").content.decode()
    assert "办理结果" in page
    assert "转办或委派" not in page
    assert client.post(f"/staff/received-tasks/{handle.id}/", {"result": "已拨付"}).status_code == 302
    received.refresh_from_db()
    assert received.handling_status == "circulating"


def test_received_tasks_are_described_in_every_inbox(client):
    o = office()
    received = signed_for(o)
    register(o, received)
    login_staff(client, o.reviewer)
    inbox = client.get("/staff/tasks/").content.decode()
    assert received.registration_number in inbox
    assert f"/staff/received-tasks/{open_task(received, 'propose').id}/" in inbox


def test_the_register_page_points_at_the_field_it_refuses(client):
    o = office()
    received = signed_for(o)
    login_staff(client, o.clerk)
    refused = client.post(
        f"/staff/received/{received.pk}/register/",
        {"sender_name": "云州市人民政府", "title": "", "secrecy": "", "urgency": "", "page_count": "x"},
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'href="#id_title"' in page
    assert 'href="#id_page_count"' in page
    received.refresh_from_db()
    assert received.registration_number == ""


def test_the_clerk_circulates_ends_circulation_and_closes_on_the_task_pages(client):
    o = office()
    received, task = circulated(o)
    extra = o.clerk_b
    login_staff(client, o.clerk)

    page = client.get(f"/staff/received-tasks/{task.id}/").content.decode()
    assert "结束传阅" in page
    sent = client.post(f"/staff/received-tasks/{task.id}/", {"action": "send", "readers": [str(extra.id)]})
    assert sent.status_code == 302
    assert Circulation.objects.filter(received=received).count() == 3
    assert client.post(f"/staff/received-tasks/{task.id}/", {"action": "close"}).status_code == 302
    close = open_task(received, "close")
    assert "办结说明" in client.get(f"/staff/received-tasks/{close.id}/").content.decode()
    refused = client.post(f"/staff/received-tasks/{close.id}/", {"note": "", "reply_number": ""})
    assert refused.status_code == 400
    done = client.post(f"/staff/received-tasks/{close.id}/", {"note": "已办结", "reply_number": ""})
    assert done.status_code == 302
    sheet = client.get(f"/staff/received/{received.pk}/handling/").content.decode()
    assert "已办结" in sheet
    assert "未阅" in sheet
