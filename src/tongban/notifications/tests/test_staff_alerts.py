"""Staff alerts from e-supervision (催办, 督办, deadline warnings) land in each recipient's inbox."""

import uuid

import pytest
from conftest import make_staff

from tongban.notifications.models import Notification
from tongban.notifications.selectors import inbox
from tongban.supervision.events import staff_alerted
from tongban.workflow.events import signing_turn


@pytest.mark.django_db
def test_each_recipient_gets_the_alert_in_their_inbox(department):
    first, second = (make_staff(f"reviewer{n}", department, role="reviewer") for n in (1, 2))
    staff_alerted.send(
        sender=None,
        recipient_ids=[first.id, second.id],
        title="催办",
        body="办件YZ2026110200000001：请尽快审查",
        link="/staff/applications/1/",
    )
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.title, n.link) for n in rows] == [
        (first.id, "催办", "/staff/applications/1/"),
        (second.id, "催办", "/staff/applications/1/"),
    ]


@pytest.mark.django_db
def test_a_signer_is_told_their_turn_with_the_case_number_and_a_link(department):
    signer = make_staff("signer", department, "approver")
    task_id = uuid.uuid4()
    signing_turn.send(
        sender=None, recipient_ids=[signer.id], task_id=task_id, step="决定", subject="application:999999"
    )  # no such application: still told, without a number
    [message] = inbox(signer.id)
    assert message.title == "请签署：决定"
    assert message.link == f"/staff/tasks/{task_id}/"
    signing_turn.send(sender=None, recipient_ids=[signer.id], task_id=task_id, step="决定", subject="case:1")
    assert len(inbox(signer.id)) == 1  # not a case: nothing to link to
