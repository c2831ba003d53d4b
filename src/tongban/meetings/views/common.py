"""What the meetings pages share: the meeting a viewer may see (audited), week arithmetic."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone

from tongban.core.audit import record_request
from tongban.meetings import access
from tongban.meetings.models import Meeting


def visible_meeting(request: HttpRequest, meeting_id: int, event: str = "meeting.viewed") -> Meeting:
    """The meeting when the viewer may see it (access.visible_meetings); otherwise a 404, audited as
    a refusal (T-B3)."""
    found = access.get_meeting_for(request.user.pk, meeting_id)
    record_request(request, event=event, object_type="meeting", object_id=meeting_id, denied=found is None)
    if found is None:
        raise Http404
    return found


def day_from(request: HttpRequest, name: str = "date") -> dt.date:
    """The ``?date=YYYY-MM-DD`` of a page, or today."""
    try:
        return dt.date.fromisoformat(request.GET.get(name, "")[:10])
    except ValueError:
        return timezone.localdate()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
