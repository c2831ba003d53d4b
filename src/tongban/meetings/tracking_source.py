"""A meeting's 决定事项 as a 督办来源 (tracking.sources): 立项督办 from a decision is prefilled with its
text, lead department and working days, and links back to the meeting. Only someone who may open the
meeting sees the decision through it (meetings.access); for anyone else it does not exist."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.meetings import access
from tongban.meetings.models import Decision
from tongban.tracking import sources

MEETING_DECISION = "meeting_decision"


def resolve_decision(viewer_id: int, source_id: str) -> sources.Source | None:
    if not source_id.isdigit():
        return None
    decision = Decision.objects.filter(pk=int(source_id)).first()
    meeting = access.get_meeting_for(viewer_id, decision.meeting_id) if decision else None
    if decision is None or meeting is None:
        return None
    return sources.Source(
        kind=MEETING_DECISION,
        id=source_id,
        label=_("%(meeting)s第%(n)s项决定事项") % {"meeting": meeting.title, "n": decision.position},
        title=decision.text.splitlines()[0][:200] if decision.text.strip() else meeting.title,
        url=reverse("meetings:meeting", args=[meeting.pk]),
        requirement=decision.text,
        lead_department_id=decision.lead_department_id,
        deadline_days=decision.working_days,
    )


def register() -> None:
    sources.register(MEETING_DECISION, gettext_lazy("会议决定事项"), resolve_decision)
