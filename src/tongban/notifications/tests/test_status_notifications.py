"""Every status change of an application reaches the applicant: inbox always, SMS when a phone is known."""

import pytest
from conftest import PASSWORD, make_staff
from django.db import transaction
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.applications import services as applications
from tongban.applications.selectors import application_ref
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.selectors import version_snapshot
from tongban.core.sms.backends import locmem
from tongban.notifications import tasks
from tongban.notifications.models import Notification


@pytest.fixture(autouse=True)
def _setup(clamd, settings):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    locmem.outbox.clear()


@pytest.fixture
def citizen(db):
    return ensure_user(
        username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD, phone="13800138000"
    )


@pytest.fixture
def submitted(citizen, department, publish_item, django_capture_on_commit_callbacks):
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    return receipt, version_snapshot(item.version_id).materials[0].id


def test_submission_puts_a_message_in_the_inbox_and_sends_an_sms(citizen, submitted):
    submitted, _material_id = submitted
    message = Notification.objects.get(recipient_id=citizen.id)
    assert message.title == "办件已提交，等待预审"
    assert submitted.number in message.body
    assert message.link == reverse("applications:detail", args=[submitted.application_id])
    [sms] = locmem.outbox
    assert (sms.phone, sms.params["number"]) == ("13800138000", submitted.number)


def test_correction_request_tells_what_to_fix(
    citizen, submitted, department, django_capture_on_commit_callbacks
):
    receipt, material_id = submitted
    clerk = make_staff("market_clerk", department, role="clerk")
    with django_capture_on_commit_callbacks(execute=True):
        applications.request_correction(
            application_id=receipt.application_id,
            staff_id=clerk.id,
            reason="申请书未签字",
            fields=[],
            material_ids=[material_id],
        )
    latest = Notification.objects.filter(recipient_id=citizen.id).first()
    assert latest.title == "办件需要补正"
    assert "申请书未签字" in latest.body


class RolledBack(Exception):
    """Raised after the status change, so the transaction that made it rolls back."""


def _submit_then_roll_back(application_id: int, applicant_id: int) -> None:
    with transaction.atomic():
        applications.submit_application(application_id=application_id, applicant_id=applicant_id)
        assert application_ref(application_id).status == "submitted"  # the change was made
        raise RolledBack


def test_nothing_is_sent_when_the_transaction_rolls_back(
    citizen, department, publish_item, django_capture_on_commit_callbacks
):
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    # Callbacks registered in the rolled-back block are dropped; any left would run here (execute=True).
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RolledBack):
        _submit_then_roll_back(application_id, citizen.id)
    assert callbacks == []
    assert application_ref(application_id).status == "draft"
    assert Notification.objects.count() == 0
    assert locmem.outbox == []
    # The same submission, committed, is announced: the assertions above could see a message.
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    assert Notification.objects.filter(recipient_id=citizen.id).count() == 1
    assert len(locmem.outbox) == 1


def test_inbox_page_and_marking_read(client, citizen, submitted):
    submitted, _material_id = submitted
    client.login(username="citizen_a", password=PASSWORD)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert submitted.number in page
    assert "未读" in page
    message = Notification.objects.get()
    client.post(reverse("notifications:mark_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at is not None


def test_T_B1_cannot_mark_or_see_someone_elses_message(client, submitted, db):
    submitted, _material_id = submitted
    ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)
    client.login(username="citizen_b", password=PASSWORD)
    assert submitted.number not in client.get(reverse("notifications:inbox")).content.decode()
    message = Notification.objects.get()
    client.post(reverse("notifications:mark_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at is None


def test_status_message_goes_out_once_when_the_task_runs_twice(
    citizen, department, publish_item, monkeypatch, django_capture_on_commit_callbacks
):
    """The message task may be delivered again (a worker lost after sending, acks_late): the second
    run finds the message of the same status record and sends no second SMS."""
    queued = []
    monkeypatch.setattr(tasks.tell_applicant_of_status, "delay", lambda **details: queued.append(details))
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    [details] = queued

    first = tasks.tell_applicant_of_status.apply(kwargs=details).get()
    again = tasks.tell_applicant_of_status.apply(kwargs=details).get()

    assert again == first
    message = Notification.objects.get(recipient_id=citizen.id)
    assert (message.pk, message.title) == (first, "办件已提交，等待预审")
    assert receipt.number in message.body
    assert [sms.params["number"] for sms in locmem.outbox] == [receipt.number]


def test_submit_queues_the_message_task_once_after_commit(
    citizen, department, publish_item, monkeypatch, django_capture_on_commit_callbacks
):
    """提交申请 does not wait for the message: the task is queued once, after the commit."""
    queued = []
    monkeypatch.setattr(tasks.tell_applicant_of_status, "delay", lambda **details: queued.append(details))
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        receipt = applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    assert queued == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [(d["application_id"], d["to_status"], d["number"]) for d in queued] == [
        (receipt.application_id, "submitted", receipt.number)
    ]
    assert Notification.objects.count() == 0  # the worker (here: no one) sends it
    assert locmem.outbox == []
