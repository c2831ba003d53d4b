"""A meeting's 决定事项 becomes a 督办事项 (issue 16): a 督查人员 who may open the meeting starts 立项 from
the decision, prefilled; the meeting then shows the item's number and the decision can no longer be
deleted. Someone who may not open the meeting cannot use the decision as a source."""

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.meetings.errors import MeetingStateError
from tongban.meetings.models import Decision
from tongban.meetings.services import minutes
from tongban.meetings.tests.helpers import at, book, room
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.tracking.models import TrackingItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(organiser, department, other_department, time_machine) -> Decision:
    meeting = book(organiser, department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))
    time_machine.move_to(at(1, 9, 30), tick=False)
    decision_id = minutes.add_decision(
        meeting_id=meeting.pk,
        user_id=organiser.id,
        text="两周内完成营商环境问题清单整改",
        lead_department_id=other_department.pk,
        working_days=10,
    )
    return Decision.objects.get(pk=decision_id)


@pytest.fixture
def officer(department):
    return make_staff("officer", department, "tracking_officer")


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_an_officer_opens_a_tracking_item_from_a_decision(
    decision, officer, organiser, department, other_department
):
    client = _client(officer)
    meeting_url = reverse("meetings:meeting", args=[decision.meeting_id])
    source = f"meeting_decision:{decision.pk}"
    assert f"/staff/tracking/new/?source={source}" in client.get(meeting_url).content.decode()

    form = client.get(reverse("tracking:new") + f"?source={source}").content.decode()
    assert "两周内完成营商环境问题清单整改" in form
    response = client.post(
        reverse("tracking:new") + f"?source={source}",
        {
            "source": source,
            "office_department": department.pk,
            "title": "营商环境问题清单整改",
            "requirement": decision.text,
            "lead_department": other_department.pk,
            "level": "ordinary",
            "deadline_days": "10",
            "cycle": "weekly",
        },
    )
    assert response.status_code == 302
    item = TrackingItem.objects.get()
    assert (item.source_kind, item.source_id, item.lead_department_id, item.deadline_days) == (
        "meeting_decision",
        str(decision.pk),
        other_department.pk,
        10,
    )
    assert item.source_label.endswith("第1项决定事项")

    page = client.get(meeting_url).content.decode()
    assert f'已立项督办：<a href="/staff/tracking/{item.pk}/">{item.number}</a>' in page
    assert f"/staff/tracking/new/?source={source}" not in page
    with pytest.raises(MeetingStateError, match="已立项督办"):
        minutes.remove_decision(meeting_id=decision.meeting_id, user_id=organiser.id, decision_id=decision.pk)
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_decision_of_a_meeting_the_officer_may_not_open_is_no_source(decision):
    elsewhere = DepartmentFactory(name="云州市外事办公室", short_name="市外办")
    stranger = make_staff("stranger_officer", elsewhere, "tracking_officer")
    response = _client(stranger).get(reverse("tracking:new") + f"?source=meeting_decision:{decision.pk}")
    assert response.status_code == 404
    assert TrackingItem.objects.count() == 0
