"""Meetings reads: rooms and their free time, the meetings a person sees, the reply board, the sign-in
sheet, my week (日程) and its iCalendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from tongban.accounts.selectors import names_of
from tongban.core.counting import Rows, first_rows
from tongban.meetings import access
from tongban.meetings.models import CalendarFeed, Invitation, Meeting, MeetingRoom, MeetingStatus, Reply
from tongban.organizations.selectors import departments_by_ids, staff_ids_in_department

LIST_LIMIT = 100


def active_rooms() -> list[MeetingRoom]:
    return list(MeetingRoom.objects.filter(is_active=True).order_by("name", "id"))


def managed_rooms(standing: access.Standing) -> list[MeetingRoom]:
    return list(MeetingRoom.objects.filter(department_id__in=standing.room_admin_of).order_by("name", "id"))


def managed_room(standing: access.Standing, room_id: int) -> MeetingRoom | None:
    return MeetingRoom.objects.filter(pk=room_id, department_id__in=standing.room_admin_of).first()


@dataclass(frozen=True)
class Busy:
    starts_at: dt.datetime
    ends_at: dt.datetime
    department: str  # the organiser department's short name (titles stay with those who may see them)
    meeting_id: int | None  # set when the viewer may open the meeting


@dataclass
class RoomDay:
    day: dt.date
    busy: list[Busy] = field(default_factory=list)


@dataclass
class RoomRow:
    room: MeetingRoom
    days: list[RoomDay]


def local_bounds(first: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(first + dt.timedelta(days=days), dt.time.min, tzinfo=tz)


def availability(user_id: int, first: dt.date, days: int) -> list[RoomRow]:
    """占用情况: every active room with its bookings on each day from ``first``. Others' meetings show
    only their time and department; the viewer's own link to their page. Three queries."""
    start, end = local_bounds(first, days)
    rooms = active_rooms()
    booked = list(
        Meeting.objects.filter(room__in=rooms, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values("pk", "room_id", "starts_at", "ends_at", "department_id")
    )
    visible = set(
        access.visible_meetings(access.standing_of(user_id))
        .filter(pk__in=[b["pk"] for b in booked])
        .values_list("pk", flat=True)
    )
    departments = departments_by_ids({b["department_id"] for b in booked})
    rows = [RoomRow(room=r, days=[RoomDay(first + dt.timedelta(days=n)) for n in range(days)]) for r in rooms]
    by_room = {row.room.pk: row for row in rows}
    for b in booked:
        index = (timezone.localdate(b["starts_at"]) - first).days
        if 0 <= index < days:
            by_room[b["room_id"]].days[index].busy.append(
                Busy(
                    starts_at=b["starts_at"],
                    ends_at=b["ends_at"],
                    department=departments[b["department_id"]].short_name,
                    meeting_id=b["pk"] if b["pk"] in visible else None,
                )
            )
    return rows


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    department: str
    my_reply: str  # the label of my reply, "" when not invited in person
    to_name: bool  # an invited department of mine still has to name its people


def meetings_for(user_id: int, *, upcoming: bool = True) -> list[MeetingRow]:
    """会议 list: the meetings the user sees, coming ones first (or past ones, latest first)."""
    standing = access.standing_of(user_id)
    now = timezone.now()
    found: QuerySet[Meeting] = access.visible_meetings(standing).select_related("room")
    found = (
        found.filter(ends_at__gt=now).order_by("starts_at", "id")
        if upcoming
        else found.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    )
    meetings = list(found[:LIST_LIMIT])
    ids = [m.pk for m in meetings]
    mine = dict(
        Invitation.objects.filter(meeting_id__in=ids, user_id=user_id).values_list("meeting_id", "reply")
    )
    unnamed = set(
        Invitation.objects.filter(
            meeting_id__in=ids, is_department=True, named_at__isnull=True, department_id__in=standing.clerk_of
        ).values_list("meeting_id", flat=True)
    )
    departments = departments_by_ids({m.department_id for m in meetings})
    labels = dict(Reply.choices)
    return [
        MeetingRow(
            meeting=m,
            department=departments[m.department_id].short_name,
            my_reply=str(labels[mine[m.pk]]) if m.pk in mine else "",
            to_name=m.pk in unnamed and m.status == MeetingStatus.NOTIFIED,
        )
        for m in meetings
    ]


def unanswered_rows(user_id: int, limit: int) -> Rows:
    """Navigation: invitations waiting for the user's reply (coming meetings whose notice is out)."""
    waiting = Invitation.objects.filter(
        user_id=user_id,
        reply=Reply.PENDING,
        meeting__status=MeetingStatus.NOTIFIED,
        meeting__ends_at__gt=timezone.now(),
    )
    return first_rows(waiting, limit)


def my_invitation(meeting: Meeting, user_id: int) -> Invitation | None:
    return meeting.invitations.filter(user_id=user_id).first()


def departments_to_name(meeting: Meeting, standing: access.Standing) -> list[Invitation]:
    """The meeting's department invitations the user acts for (names the people of)."""
    return list(meeting.invitations.filter(is_department=True, department_id__in=standing.clerk_of))


@dataclass(frozen=True)
class BoardRow:
    invitation: Invitation
    name: str  # the person, or the department for a department invitation
    department: str
    via: str  # "由某部门确定" / "由某人指派"
    delegate: str
    signed_in_by: str


@dataclass(frozen=True)
class ReplyBoard:
    rows: list[BoardRow]
    attending: int
    on_leave: int
    pending: int
    signed_in: int


def reply_board(meeting: Meeting) -> ReplyBoard:
    """回复情况 (and the sign-in sheet): every invitation with its reply and sign-in. Three queries
    whatever the number of invitees."""
    invitations = list(meeting.invitations.order_by("is_department", "department_id", "created_at", "id"))
    people = names_of(
        {i.user_id for i in invitations if i.user_id}
        | {i.delegate_id for i in invitations if i.delegate_id}
        | {i.signed_in_by_id for i in invitations if i.signed_in_by_id}
    )
    departments = departments_by_ids({i.department_id for i in invitations})
    by_id = {i.pk: i for i in invitations}
    rows = []
    for i in invitations:
        via = ""
        if i.via_id and (source := by_id.get(i.via_id)) is not None:
            via = (
                departments[source.department_id].short_name
                if source.is_department
                else people.get(source.user_id or 0, "")
            )
        rows.append(
            BoardRow(
                invitation=i,
                name=departments[i.department_id].name if i.is_department else people.get(i.user_id or 0, ""),
                department=departments[i.department_id].short_name,
                via=via,
                delegate=people.get(i.delegate_id or 0, ""),
                signed_in_by=people.get(i.signed_in_by_id or 0, "") if i.signed_in_by_id != i.user_id else "",
            )
        )
    persons = [i for i in invitations if not i.is_department]
    return ReplyBoard(
        rows=rows,
        attending=sum(1 for i in persons if i.reply == Reply.ATTEND),
        on_leave=sum(1 for i in persons if i.reply == Reply.LEAVE),
        pending=sum(1 for i in persons if i.reply == Reply.PENDING)
        + sum(1 for i in invitations if i.is_department and i.named_at is None),
        signed_in=sum(1 for i in persons if i.signed_in_at),
    )


def colleagues(department_id: int, *, excluding: set[int]) -> list[tuple[int, str]]:
    """Staff of a department (a delegate, the people a department names), by name."""
    ids = staff_ids_in_department(department_id) - excluding
    names = names_of(ids)
    return sorted(((i, names.get(i, "")) for i in ids), key=lambda p: (p[1], p[0]))


# --- 日程 -------------------------------------------------------------------------------------------


def _my_meetings(user_id: int) -> QuerySet[Meeting]:
    """The meetings in a person's calendar: those they are invited to in person (not delegated away)
    or organise, not cancelled."""
    invited = Invitation.objects.filter(user_id=user_id).exclude(reply=Reply.DELEGATED).values("meeting_id")
    return (
        Meeting.objects.filter(Q(pk__in=invited) | Q(organiser_id=user_id))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("room")
    )


@dataclass
class CalendarDay:
    day: dt.date
    meetings: list[tuple[Meeting, str]]  # with my reply's label ("" as organiser only)


def week_of(user_id: int, monday: dt.date) -> list[CalendarDay]:
    """我的日程: the seven days from ``monday`` with the person's meetings on each."""
    return days_of(user_id, monday, 7)


def days_of(user_id: int, first: dt.date, count: int) -> list[CalendarDay]:
    """``count`` days from ``first`` with the person's meetings on each (one query when there are
    none, two otherwise)."""
    start, end = local_bounds(first, count)
    meetings = list(
        _my_meetings(user_id).filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")
    )
    replies = (
        dict(
            Invitation.objects.filter(user_id=user_id, meeting__in=meetings).values_list(
                "meeting_id", "reply"
            )
        )
        if meetings
        else {}
    )
    labels = dict(Reply.choices)
    days = [CalendarDay(first + dt.timedelta(days=n), []) for n in range(count)]
    for m in meetings:
        index = (timezone.localdate(m.starts_at) - first).days
        if 0 <= index < count:
            days[index].meetings.append((m, str(labels[replies[m.pk]]) if m.pk in replies else ""))
    return days


def calendar_meetings(user_id: int, *, since: dt.datetime) -> list[Meeting]:
    """The meetings of the .ics export and subscription: from ``since`` on, at most 500."""
    return list(_my_meetings(user_id).filter(ends_at__gte=since).order_by("starts_at", "id")[:500])


def user_of_feed(token: str) -> int | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.filter(token=token).values_list("user_id", flat=True).first()


def feed_exists(user_id: int) -> bool:
    return CalendarFeed.objects.filter(user_id=user_id).exists()
