"""撤销 while nobody acted, refused after; 催办 of a step that waited, once a step a day."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff
from tongban.office.models import InternalRequest, RequestEvent
from tongban.office.tests.helpers import start
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services


def test_the_initiator_cancels_a_request_nobody_acted_on(client, processes, initiator, department):
    request_id = start(initiator, department)
    login_staff(client, initiator)
    response = client.post(f"/staff/requests/{request_id}/cancel/", {"reason": "计划有变"})
    assert response.status_code == 302
    request = InternalRequest.objects.get(pk=request_id)
    assert request.status == "cancelled"
    assert request.ended_at is not None
    assert workflow_selectors.open_tasks_of(request.subject) == []
    assert workflow_selectors.instance_of(request.subject).status == "terminated"
    [event] = RequestEvent.objects.all()
    assert (event.kind, event.note, event.actor_id) == ("cancelled", "计划有变", initiator.id)


def test_cancelling_is_refused_once_someone_claimed_the_step(
    client, processes, initiator, approver, department
):
    request_id = start(initiator, department)
    [task] = workflow_selectors.open_tasks_of(f"request:{request_id}")
    workflow_services.claim_task(task_id=task.id, user_id=approver.id)
    login_staff(client, initiator)
    response = client.post(f"/staff/requests/{request_id}/cancel/", {"reason": ""})
    assert response.status_code == 409
    assert "已有人签收或办理，不能撤销" in response.content.decode()
    assert InternalRequest.objects.get(pk=request_id).status == "running"
    assert RequestEvent.objects.count() == 0


def test_only_the_initiator_may_cancel(client, processes, initiator, approver, department):
    request_id = start(initiator, department)
    login_staff(client, approver)
    assert client.post(f"/staff/requests/{request_id}/cancel/").status_code == 404
    assert InternalRequest.objects.get(pk=request_id).status == "running"


def test_a_step_is_nudged_once_a_day_and_its_handlers_are_told(
    client, processes, initiator, approver, department, django_capture_on_commit_callbacks
):
    from tongban.notifications.models import Notification

    request_id = start(initiator, department)
    [task] = workflow_selectors.open_tasks_of(f"request:{request_id}")
    login_staff(client, initiator)
    too_early = client.post(f"/staff/requests/{request_id}/nudge/{task.id}/")
    assert too_early.status_code == 409
    assert "暂不能催办" in too_early.content.decode()
    later = timezone.now() + dt.timedelta(days=7)
    with time_machine.travel(later, tick=False):
        login_staff(client, initiator)  # a week later: a new session
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(f"/staff/requests/{request_id}/nudge/{task.id}/")
        assert first.status_code == 302
        again = client.post(f"/staff/requests/{request_id}/nudge/{task.id}/")
        assert again.status_code == 409
        assert "今天已催办过该环节" in again.content.decode()
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [approver.id]
    assert RequestEvent.objects.filter(kind="nudged").count() == 1
    with time_machine.travel(later + dt.timedelta(days=1), tick=False):
        login_staff(client, initiator)
        assert client.post(f"/staff/requests/{request_id}/nudge/{task.id}/").status_code == 302
    assert RequestEvent.objects.filter(kind="nudged").count() == 2


@pytest.mark.parametrize("who", ["approver"])
def test_only_the_initiator_may_nudge(client, processes, initiator, approver, department, who):
    request_id = start(initiator, department)
    [task] = workflow_selectors.open_tasks_of(f"request:{request_id}")
    with time_machine.travel(timezone.now() + dt.timedelta(days=7), tick=False):
        login_staff(client, approver)
        assert client.post(f"/staff/requests/{request_id}/nudge/{task.id}/").status_code == 404
    assert RequestEvent.objects.count() == 0
