"""The meetings pages: booking with its error summary, the meeting page for each kind of viewer, the
reply form, department isolation (T-B3: 404 and an audit row), the room pages and the list's queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.meetings.models import Invitation, Meeting, MeetingRoom
from tongban.meetings.services import booking
from tongban.meetings.tests.helpers import at, book, room

pytestmark = pytest.mark.django_db


def summary_errors(response) -> list[str]:
    """The messages of the page's error summary, in order (prefixed forms' anchors contain "-")."""
    summary = response.content.decode().partition('class="error-summary"')[2].partition("</div>")[0]
    return re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', summary)


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def _form(department, hall, **changes):
    day = at(1, 9)
    data = {
        "title": "安全生产工作会",
        "department": department.pk,
        "host": "王局长",
        "day_0": str(day.year),
        "day_1": str(day.month),
        "day_2": str(day.day),
        "start": "09:00",
        "end": "10:30",
        "room": str(hall.pk),
        "place": "",
        "expected_attendees": "8",
        "agenda": "",
        "idempotency_key": "form-1",
    }
    data.update(changes)
    return data


def test_booking_from_the_page(organiser, department):
    hall = room(department)
    response = _client(organiser).post(reverse("meetings:new"), _form(department, hall))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    assert (meeting.title, meeting.host, meeting.expected_attendees, meeting.room_id) == (
        "安全生产工作会",
        "王局长",
        8,
        hall.pk,
    )


def test_the_booking_page_lists_every_problem_and_keeps_the_answers(organiser, department):
    hall = room(department)
    response = _client(organiser).post(
        reverse("meetings:new"), _form(department, hall, title="", start="9点", expected_attendees="x")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert summary_errors(response) == [
        "请输入会议名称",
        "开始时间须为24小时制时间，如 09:00",
        "参会人数须为整数，如 12",
    ]
    assert "<title>错误：" in body
    assert 'value="王局长"' in body
    assert not Meeting.objects.exists()


def test_a_taken_room_is_said_next_to_the_room(organiser, colleague, department):
    hall = room(department)
    book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    response = _client(colleague).post(reverse("meetings:new"), _form(department, hall, start="09:30"))
    assert response.status_code == 409
    assert summary_errors(response) == ["第一会议室在09:00至10:00已被预订，请选择其他时段或会议室"]
    assert Meeting.objects.count() == 1


def test_over_capacity_from_the_page(organiser, department):
    hall = room(department, capacity=5)
    response = _client(organiser).post(reverse("meetings:new"), _form(department, hall))
    assert response.status_code == 400
    assert summary_errors(response) == ["参会人数（8人）超过会议室容纳人数（5人），请选择更大的会议室"]


@pytest.fixture
def meeting(organiser, department, colleague, other_department):
    found = book(organiser, department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))
    booking.invite(
        meeting_id=found.pk, user_id=organiser.id, people=[colleague.id], departments=[other_department.pk]
    )
    booking.send_notice(meeting_id=found.pk, user_id=organiser.id)
    return found


def test_the_organiser_sees_the_reply_board(meeting, organiser):
    body = _client(organiser).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "回复情况" in body
    assert "参加 0 人，请假 0 人，未回复 2 个，已签到 0 人" in body
    assert "催报未回复人员" in body
    assert reverse("meetings:door_code", args=[meeting.pk]) in body


def test_an_invitee_replies_from_the_page(meeting, colleague):
    client = _client(colleague)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "我的回复" in page
    assert "回复情况" not in page
    response = client.post(
        reverse("meetings:reply", args=[meeting.pk]), {"reply-answer": "leave", "reply-reason": ""}
    )
    assert response.status_code == 400
    assert summary_errors(response) == ["请填写请假事由"]
    response = client.post(
        reverse("meetings:reply", args=[meeting.pk]), {"reply-answer": "leave", "reply-reason": "出差"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(user_id=colleague.id).reason == "出差"


def test_the_invited_departments_clerk_names_people_from_the_page(meeting, other_clerk, other_staff):
    client = _client(other_clerk)
    invitation = Invitation.objects.get(meeting=meeting, is_department=True)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "确定参会人员" in page
    url = reverse("meetings:name_attendees", args=[meeting.pk, invitation.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "请选择参会人员" in refused.content.decode()
    assert client.post(url, {f"name{invitation.pk}-people": [str(other_staff.id)]}).status_code == 302
    assert Invitation.objects.filter(meeting=meeting, user_id=other_staff.id).exists()


def test_T_B3_a_meeting_of_another_department_is_a_404_and_audited(meeting, outsider, other_staff):
    for person in (outsider, other_staff):  # other_staff: in an invited department, but not its clerk
        response = _client(person).get(reverse("meetings:meeting", args=[meeting.pk]))
        assert response.status_code == 404
        assert AuditEvent.objects.filter(
            actor_id=person.id, event="meeting.viewed", object_id=str(meeting.pk), result="denied"
        ).exists()
    response = _client(outsider).post(reverse("meetings:send_notice", args=[meeting.pk]))
    assert response.status_code == 404


def test_T_B3_the_list_shows_only_visible_meetings(meeting, outsider, colleague):
    assert "营商环境工作推进会" not in _client(outsider).get(reverse("meetings:list")).content.decode()
    assert "营商环境工作推进会" in _client(colleague).get(reverse("meetings:list")).content.decode()


def test_an_invitee_cannot_run_the_meeting(meeting, colleague):
    client = _client(colleague)
    assert client.post(reverse("meetings:remind", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:sign_in_sheet", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:door_code", args=[meeting.pk])).status_code == 404


def test_the_meeting_list_has_a_fixed_number_of_queries(organiser, department, django_assert_num_queries):
    hall = room(department)
    for n in range(3):
        book(organiser, department, room_id=hall.pk, start=at(1, 8 + n), end=at(1, 9 + n))
    client = _client(organiser)
    client.get(reverse("meetings:list"))  # warm the session and caches
    with django_assert_num_queries(11) as three:
        client.get(reverse("meetings:list"))
    for n in range(3):
        book(organiser, department, room_id=hall.pk, start=at(2, 8 + n), end=at(2, 9 + n))
    with django_assert_num_queries(len(three.captured_queries)):
        client.get(reverse("meetings:list"))


def test_the_availability_page_hides_others_titles(meeting, outsider, department):
    body = _client(outsider).get(reverse("meetings:rooms") + f"?date={at(1, 9):%Y-%m-%d}").content.decode()
    assert "09:00–10:00（锦江区市场监管局）" in body
    assert "营商环境工作推进会" not in body


def test_a_room_admin_adds_and_changes_rooms(department):
    from conftest import make_staff

    admin = make_staff("room_admin", department, "meeting_admin")
    client = _client(admin)
    data = {
        "name": "第三会议室",
        "location": "2号楼5楼",
        "capacity": "30",
        "equipment": ["projector", "video"],
        "department": department.pk,
        "is_active": "on",
    }
    assert client.post(reverse("meetings:new_room"), data).status_code == 302
    made = MeetingRoom.objects.get(name="第三会议室")
    assert (made.capacity, made.equipment, made.is_active) == (30, ["projector", "video"], True)
    response = client.post(
        reverse("meetings:edit_room", args=[made.pk]), data | {"capacity": "0", "name": ""}
    )
    assert response.status_code == 400
    assert summary_errors(response) == ["请输入会议室名称", "容纳人数须为1至2000的整数"]
    assert (
        client.post(reverse("meetings:edit_room", args=[made.pk]), data | {"is_active": ""}).status_code
        == 302
    )
    assert MeetingRoom.objects.get(pk=made.pk).is_active is False


def test_only_room_admins_manage_rooms(organiser, department):
    hall = room(department)
    client = _client(organiser)
    assert client.get(reverse("meetings:manage_rooms")).status_code == 404
    assert client.post(reverse("meetings:edit_room", args=[hall.pk]), {"name": "x"}).status_code == 404


def test_the_door_link_signs_in_by_post_only(meeting, colleague, time_machine):
    from tongban.meetings.services.signin import sign_in_token

    nine = at(1, 9)
    time_machine.move_to(nine, tick=False)
    client = _client(colleague)
    url = reverse("meetings:sign_in", args=[meeting.pk, sign_in_token(meeting.pk)])
    page = client.get(url)
    assert page.status_code == 200
    assert Invitation.objects.get(user_id=colleague.id).signed_in_at is None  # a GET changes nothing
    assert "签到成功" in client.post(url).content.decode()
    assert Invitation.objects.get(user_id=colleague.id).signed_in_at == nine
    wrong = reverse("meetings:sign_in", args=[meeting.pk, "x" * 27])
    assert client.post(wrong).status_code == 404


def test_a_stranger_scanning_the_code_is_told_and_nothing_changes(meeting, outsider, time_machine):
    from tongban.meetings.services.signin import sign_in_token

    time_machine.move_to(at(1, 9), tick=False)
    response = _client(outsider).post(
        reverse("meetings:sign_in", args=[meeting.pk, sign_in_token(meeting.pk)])
    )
    assert response.status_code == 400
    assert summary_errors(response) == ["您不在本次会议的参会名单中，请联系会议组织人"]
    assert not Invitation.objects.filter(signed_in_at__isnull=False).exists()


def test_attendees_see_the_decisions(meeting, organiser, colleague, department, time_machine):
    from tongban.meetings.services import minutes

    time_machine.move_to(at(1, 9, 30), tick=False)
    minutes.add_decision(
        meeting_id=meeting.pk,
        user_id=organiser.id,
        text="建立周调度机制",
        lead_department_id=department.pk,
        working_days=5,
    )
    body = _client(colleague).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "建立周调度机制" in body
    assert "记录决定事项" not in body
