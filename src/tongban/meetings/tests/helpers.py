"""Rooms, meetings and people for the meetings tests, made through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tongban.meetings.models import Meeting, MeetingRoom
from tongban.meetings.services import booking
from tongban.meetings.services.booking import MeetingPlan

_keys = itertools.count(1)


def room(department, *, name: str = "第一会议室", capacity: int = 20, **extra) -> MeetingRoom:
    return MeetingRoom.objects.create(
        name=name, location="市政府1号楼3楼", capacity=capacity, department=department, **extra
    )


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def plan(
    department, *, room_id: int | None, start: dt.datetime, end: dt.datetime, attendees: int = 5, **extra
) -> MeetingPlan:
    values = {
        "title": "营商环境工作推进会",
        "department_id": department.pk,
        "host": "李副市长",
        "starts_at": start,
        "ends_at": end,
        "room_id": room_id,
        "place": "",
        "expected_attendees": attendees,
        "agenda": "一、通报进展；二、研究问题",
    }
    values.update(extra)
    return MeetingPlan(**values)


def book(user, department, *, room_id: int | None, start: dt.datetime, end: dt.datetime, **extra) -> Meeting:
    meeting_id = booking.book_meeting(
        user_id=user.id,
        plan=plan(department, room_id=room_id, start=start, end=end, **extra),
        idempotency_key=f"k{next(_keys)}",
    )
    return Meeting.objects.get(pk=meeting_id)
