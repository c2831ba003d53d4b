"""决定事项 and 起草纪要 (a 公文 of 文种 纪要 through the documents services), and 日程: the week view, the
.ics export and the private subscription URL."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tongban.accounts.tests.helpers import login_staff
from tongban.core.calendar import add_working_days
from tongban.documents.models import OfficialDocument
from tongban.documents.services.body import current_html
from tongban.documents.tests.factories import DocumentTemplateFactory, IssuingBodyFactory
from tongban.meetings.errors import MeetingError, MeetingStateError
from tongban.meetings.models import CalendarFeed, Decision, Invitation
from tongban.meetings.services import booking, minutes, replies
from tongban.meetings.tests.helpers import at, book, room

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(organiser, department, colleague):
    found = book(organiser, department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))
    booking.invite(meeting_id=found.pk, user_id=organiser.id, people=[colleague.id])
    booking.send_notice(meeting_id=found.pk, user_id=organiser.id)
    replies.reply(
        invitation_id=Invitation.objects.get(user_id=colleague.id).pk, user_id=colleague.id, answer="attend"
    )
    return found


def test_decisions_wait_for_the_meeting_and_count_working_days(meeting, organiser, department, time_machine):
    with pytest.raises(MeetingStateError, match="会议开始后才能记录决定事项"):
        minutes.add_decision(
            meeting_id=meeting.pk,
            user_id=organiser.id,
            text="x",
            lead_department_id=department.pk,
            working_days=5,
        )
    time_machine.move_to(at(1, 9, 30), tick=False)
    decision_id = minutes.add_decision(
        meeting_id=meeting.pk,
        user_id=organiser.id,
        text="一个月内完成营商环境问题清单整改",
        lead_department_id=department.pk,
        working_days=10,
    )
    decision = Decision.objects.get(pk=decision_id)
    assert (decision.position, decision.lead_department_id, decision.working_days) == (1, department.pk, 10)
    assert decision.due_on == add_working_days(meeting.starts_at, 10)
    with pytest.raises(MeetingError, match="办理时限须为1至250个工作日"):
        minutes.add_decision(
            meeting_id=meeting.pk,
            user_id=organiser.id,
            text="y",
            lead_department_id=department.pk,
            working_days=0,
        )
    assert Decision.objects.count() == 1


def test_draft_minutes_makes_a_minutes_document_once(meeting, organiser, department, time_machine):
    DocumentTemplateFactory(
        kind="minutes", name="纪要", issuing_body=IssuingBodyFactory(department=department)
    )
    time_machine.move_to(at(1, 10, 30), tick=False)
    minutes.add_decision(
        meeting_id=meeting.pk,
        user_id=organiser.id,
        text="建立周调度机制",
        lead_department_id=department.pk,
        working_days=5,
    )
    document_id = minutes.draft_minutes(meeting_id=meeting.pk, user_id=organiser.id)
    assert minutes.draft_minutes(meeting_id=meeting.pk, user_id=organiser.id) == document_id
    document = OfficialDocument.objects.get(pk=document_id)
    assert (document.kind, document.title, document.drafter_id) == (
        "minutes",
        "营商环境工作推进会纪要",
        organiser.id,
    )
    html = current_html(document_id)
    assert "李副市长在第一会议室（市政府1号楼3楼）主持召开营商环境工作推进会" in html
    assert "1. 建立周调度机制（牵头部门：云州市锦江区市场监督管理局" in html
    assert "出席：colleague" in html
    meeting.refresh_from_db()
    assert meeting.minutes_document_id == document_id


def test_draft_minutes_without_a_template_says_whom_to_ask(meeting, organiser, time_machine):
    time_machine.move_to(at(1, 10, 30), tick=False)
    with pytest.raises(MeetingError, match="没有您可以使用的纪要模板"):
        minutes.draft_minutes(meeting_id=meeting.pk, user_id=organiser.id)
    meeting.refresh_from_db()
    assert meeting.minutes_document_id is None


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_my_week_shows_my_meetings_with_my_reply(meeting, colleague):
    monday = meeting.starts_at.date() - dt.timedelta(days=meeting.starts_at.weekday())
    body = _client(colleague).get(reverse("meetings:calendar") + f"?week={monday:%Y-%m-%d}").content.decode()
    assert "09:00–10:00 营商环境工作推进会" in body
    assert "我的回复：参加" in body


def test_the_ics_export_holds_my_meetings(meeting, colleague, organiser, department):
    book(
        organiser, department, room_id=None, place="视频会议", start=at(2, 9), end=at(2, 10), title="别人的会"
    )
    response = _client(colleague).get(reverse("meetings:calendar_ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert [(str(e["summary"]), str(e["uid"]), str(e["location"])) for e in events] == [
        ("营商环境工作推进会", f"meeting-{meeting.pk}@tongban", "第一会议室（市政府1号楼3楼）")
    ]
    assert events[0].decoded("dtstart") == meeting.starts_at


def test_the_subscription_url_works_without_a_session_until_renewed(meeting, colleague):
    client = _client(colleague)
    client.post(reverse("meetings:renew_feed"))
    token = CalendarFeed.objects.get(user_id=colleague.id).token
    anonymous = Client()
    assert b"SUMMARY:" in anonymous.get(reverse("meetings:feed", args=[token])).content
    client.post(reverse("meetings:renew_feed"))
    assert anonymous.get(reverse("meetings:feed", args=[token])).status_code == 404
    new_token = CalendarFeed.objects.get(user_id=colleague.id).token
    assert anonymous.get(reverse("meetings:feed", args=[new_token])).status_code == 200
    client.post(reverse("meetings:stop_feed"))
    assert anonymous.get(reverse("meetings:feed", args=[new_token])).status_code == 404
    assert not CalendarFeed.objects.exists()
