"""日程 as iCalendar (RFC 5545): one VEVENT per meeting, with a stable UID, so a calendar client that
subscribes updates the events in place (and drops cancelled ones)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tongban.meetings.models import Meeting


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, link_of) -> bytes:  # type: ignore[no-untyped-def]
    calendar = Calendar()
    calendar.add("prodid", "-//Tongban//meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@tongban")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.title)
        event.add("location", meeting.where)
        description = f"主持人：{meeting.host}"
        if meeting.agenda:
            description += f"\n议程：{meeting.agenda}"
        event.add("description", description)
        event.add("url", link_of(meeting.pk))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
