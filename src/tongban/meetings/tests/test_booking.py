"""预订: a room is booked once per time (overlap refused, back-to-back allowed), within its capacity;
retries and cancellation."""

import pytest
from django.db import connection

from tongban.meetings.errors import MeetingError, RoomTaken
from tongban.meetings.models import Meeting, MeetingStatus
from tongban.meetings.services import booking
from tongban.meetings.tests.helpers import at, book, plan, room

pytestmark = pytest.mark.django_db


def test_a_room_is_booked_for_a_meeting(organiser, department):
    hall = room(department)
    meeting = book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10, 30))
    assert (meeting.room_id, meeting.status, meeting.organiser_id) == (hall.pk, "scheduled", organiser.id)
    assert (meeting.starts_at, meeting.ends_at) == (at(1, 9), at(1, 10, 30))
    assert meeting.where == "第一会议室（市政府1号楼3楼）"


def test_an_overlapping_booking_of_the_same_room_is_refused(organiser, colleague, department):
    hall = room(department)
    book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10, 30))
    with pytest.raises(RoomTaken) as refused:
        book(colleague, department, room_id=hall.pk, start=at(1, 10), end=at(1, 11))
    assert refused.value.message == "第一会议室在09:00至10:30已被预订，请选择其他时段或会议室"
    assert refused.value.status == 409
    assert Meeting.objects.count() == 1


def test_back_to_back_bookings_and_other_rooms_are_fine(organiser, department):
    hall, small = room(department), room(department, name="第二会议室")
    book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    book(organiser, department, room_id=hall.pk, start=at(1, 10), end=at(1, 11))
    book(organiser, department, room_id=small.pk, start=at(1, 9), end=at(1, 10))
    assert Meeting.objects.count() == 3


def test_a_cancelled_meeting_frees_its_room(organiser, department):
    hall = room(department)
    first = book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    booking.cancel_meeting(meeting_id=first.pk, user_id=organiser.id, reason="领导另有安排")
    again = book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    assert Meeting.objects.get(pk=first.pk).status == MeetingStatus.CANCELLED
    assert again.status == MeetingStatus.SCHEDULED


def test_a_booking_beyond_the_rooms_capacity_is_refused(organiser, department):
    hall = room(department, capacity=10)
    with pytest.raises(MeetingError) as refused:
        book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10), attendees=11)
    assert refused.value.message == "参会人数（11人）超过会议室容纳人数（10人），请选择更大的会议室"
    assert refused.value.field == "expected_attendees"
    assert not Meeting.objects.exists()


def test_an_inactive_room_cannot_be_booked(organiser, department):
    hall = room(department, is_active=False)
    with pytest.raises(MeetingError, match="请选择可以使用的会议室"):
        book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(1, 10), at(1, 9), "结束时间须晚于开始时间"),
        (at(-1, 9), at(-1, 10), "开始时间须晚于现在"),
        (at(1, 20), at(2, 9), "会议须在同一天内开始和结束"),
    ],
)
def test_the_time_must_be_a_coming_range_on_one_day(organiser, department, start, end, message):
    with pytest.raises(MeetingError, match=message):
        book(organiser, department, room_id=room(department).pk, start=start, end=end)
    assert not Meeting.objects.exists()


def test_a_meeting_elsewhere_needs_a_place(organiser, department):
    with pytest.raises(MeetingError, match="请选择会议室，或填写其他会议地点"):
        book(organiser, department, room_id=None, start=at(1, 9), end=at(1, 10))
    online = book(organiser, department, room_id=None, start=at(1, 9), end=at(1, 10), place="视频会议")
    assert online.where == "视频会议"


def test_only_a_department_of_the_organiser(organiser, department, other_department):
    with pytest.raises(MeetingError, match="请选择您所在的部门"):
        book(organiser, other_department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))


def test_a_retried_booking_returns_the_same_meeting(organiser, department):
    hall = room(department)
    made = plan(department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    first = booking.book_meeting(user_id=organiser.id, plan=made, idempotency_key="same")
    second = booking.book_meeting(user_id=organiser.id, plan=made, idempotency_key="same")
    assert first == second
    assert Meeting.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_T_H6_the_database_refuses_an_overlap_that_skips_the_service(organiser, department):
    """Even a write around the service (the admin, a script) cannot double-book on PostgreSQL."""
    from django.db import IntegrityError, transaction

    hall = room(department)
    first = book(organiser, department, room_id=hall.pk, start=at(1, 9), end=at(1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            title="插队",
            department=department,
            organiser_id=organiser.id,
            host="某",
            starts_at=at(1, 9, 30),
            ends_at=at(1, 11),
            room=hall,
            expected_attendees=1,
            idempotency_key="x",
        )
    assert list(Meeting.objects.values_list("pk", flat=True)) == [first.pk]
