"""Who may see and run a meeting (T-B3): its organiser department's staff, its invitees, and the 文书人员
and 部门负责人 of the departments invited (they name or follow their people). Every page reaches
meetings through these functions; the views audit each view and each refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tongban.documents.roles import DOCUMENT_CLERK
from tongban.meetings.models import Invitation, Meeting
from tongban.meetings.roles import MEETING_ADMIN
from tongban.organizations.selectors import roles_of

DEPARTMENT_HEAD = "department_head"
# Who acts for a department in meetings: names its attendees, runs the meetings it organises.
CLERK_ROLES = frozenset({DOCUMENT_CLERK, DEPARTMENT_HEAD})


@dataclass(frozen=True)
class Standing:
    """The departments a user works in, those they act for (文书人员, 部门负责人) and those whose rooms
    they manage (会议室管理员)."""

    user_id: int
    departments: frozenset[int]
    clerk_of: frozenset[int]
    room_admin_of: frozenset[int]


def standing_of(user_id: int) -> Standing:
    roles = roles_of(user_id=user_id)
    return Standing(
        user_id=user_id,
        departments=frozenset(d for d, _r in roles),
        clerk_of=frozenset(d for d, r in roles if r in CLERK_ROLES),
        room_admin_of=frozenset(d for d, r in roles if r == MEETING_ADMIN),
    )


def visible_meetings(standing: Standing) -> QuerySet[Meeting]:
    """Every meeting the user may open: organised by one of their departments or by them, inviting
    them, or inviting a department they act for."""
    invited = Invitation.objects.filter(meeting=OuterRef("pk"))
    return Meeting.objects.filter(
        Q(department_id__in=standing.departments)
        | Q(organiser_id=standing.user_id)
        | Exists(invited.filter(user_id=standing.user_id))
        | Exists(invited.filter(department_id__in=standing.clerk_of))
    )


def get_meeting_for(user_id: int, meeting_id: int) -> Meeting | None:
    return visible_meetings(standing_of(user_id)).select_related("room").filter(pk=meeting_id).first()


def may_manage(standing: Standing, meeting: Meeting) -> bool:
    """The organiser, and the 文书人员 and 部门负责人 of the organiser department, send the notice,
    follow the replies, sign people in, record decisions and draft the minutes."""
    return meeting.organiser_id == standing.user_id or meeting.department_id in standing.clerk_of
