"""预订 and the 会议通知: book a room for a meeting (no double booking, within capacity), invite people
and departments, send the notice, 催报 those who have not replied, cancel. Each call owns its
transaction.

Double booking is refused twice over: the service locks the room row (``select_for_update``) and looks
for an overlapping meeting before it writes, on every database; on PostgreSQL the exclusion constraint
``room_booked_once`` (tstzrange overlap per room, btree_gist) refuses whatever slips past."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_user_ids
from tongban.meetings import access
from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError, RoomTaken
from tongban.meetings.models import Invitation, Meeting, MeetingRoom, MeetingStatus, Reply
from tongban.meetings.services.common import locked_meeting, meeting_link, notify_later, refuse_if_over, when
from tongban.organizations.selectors import departments_by_ids, roles_of, staff_ids_with_role

MAX_HOURS = 12  # a booking is one time range on one day


@dataclass(frozen=True)
class MeetingPlan:
    """What the booking page asks: the meeting, when, and where (a room, or another place)."""

    title: str
    department_id: int
    host: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None
    place: str
    expected_attendees: int
    agenda: str = ""


def _check_plan(plan: MeetingPlan, user_id: int) -> None:
    if not plan.title.strip():
        raise MeetingError(_("请输入会议名称"), field="title")
    if plan.department_id not in {d for d, _r in roles_of(user_id=user_id)}:
        raise MeetingError(_("请选择您所在的部门"), field="department")
    if not plan.host.strip():
        raise MeetingError(_("请输入主持人"), field="host")
    if plan.ends_at <= plan.starts_at:
        raise MeetingError(_("结束时间须晚于开始时间"), field="end")
    if plan.starts_at <= timezone.now():
        raise MeetingError(_("开始时间须晚于现在"), field="start")
    if timezone.localdate(plan.starts_at) != timezone.localdate(plan.ends_at) or (
        plan.ends_at - plan.starts_at > dt.timedelta(hours=MAX_HOURS)
    ):
        raise MeetingError(_("会议须在同一天内开始和结束"), field="end")
    if plan.expected_attendees < 1:
        raise MeetingError(_("参会人数须为大于0的整数"), field="expected_attendees")
    if plan.room_id is None and not plan.place.strip():
        raise MeetingError(_("请选择会议室，或填写其他会议地点"), field="room")


def _locked_room(room_id: int, expected: int) -> MeetingRoom:
    room = MeetingRoom.objects.select_for_update().filter(pk=room_id, is_active=True).first()
    if room is None:
        raise MeetingError(_("请选择可以使用的会议室"), field="room")
    if expected > room.capacity:
        raise MeetingError(
            _("参会人数（%(n)d人）超过会议室容纳人数（%(capacity)d人），请选择更大的会议室")
            % {"n": expected, "capacity": room.capacity},
            code="over_capacity",
            field="expected_attendees",
        )
    return room


def _refuse_overlap(room: MeetingRoom, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    clash = (
        Meeting.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise _taken(room, clash)


def _taken(room: MeetingRoom, clash: Meeting | None = None) -> RoomTaken:
    if clash is None:
        return RoomTaken(
            _("%(room)s在所选时段已被预订，请选择其他时段或会议室") % {"room": room.name}, field="room"
        )
    start, end = timezone.localtime(clash.starts_at), timezone.localtime(clash.ends_at)
    return RoomTaken(
        _("%(room)s在%(start)s至%(end)s已被预订，请选择其他时段或会议室")
        % {"room": room.name, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        code="room_taken",
        field="room",
    )


def book_meeting(*, user_id: int, plan: MeetingPlan, idempotency_key: str) -> int:
    """预订: a new meeting in the user's department, in a room (locked, free for the whole time, big
    enough for the expected attendees) or at another place. A retried submission (same key) returns
    the meeting it created. Raises MeetingError (400: the field it names), RoomTaken (409)."""
    if not idempotency_key:
        raise MeetingError(_("页面已过期，请重新打开预订页面"), code="no_key")
    existing = Meeting.objects.filter(organiser_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    _check_plan(plan, user_id)
    try:
        with transaction.atomic():
            room = None
            if plan.room_id is not None:
                room = _locked_room(plan.room_id, plan.expected_attendees)
                _refuse_overlap(room, plan.starts_at, plan.ends_at)
            meeting = Meeting.objects.create(
                title=" ".join(plan.title.split())[:200],
                department_id=plan.department_id,
                organiser_id=user_id,
                host=plan.host.strip()[:100],
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                room=room,
                place="" if room else plan.place.strip()[:200],
                agenda=plan.agenda.strip(),
                expected_attendees=plan.expected_attendees,
                idempotency_key=idempotency_key,
            )
            return meeting.pk
    except IntegrityError:
        winner = Meeting.objects.filter(organiser_id=user_id, idempotency_key=idempotency_key).first()
        if winner is not None:
            return winner.pk
        # The exclusion constraint (PostgreSQL): another booking of the room committed first.
        raise _taken(MeetingRoom.objects.get(pk=plan.room_id or 0)) from None


@transaction.atomic
def cancel_meeting(*, meeting_id: int, user_id: int, reason: str) -> None:
    """取消: the room is free again; the people already told get a message with the reason."""
    meeting = locked_meeting(meeting_id, user_id)
    refuse_if_over(meeting)
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("请填写取消原因"), field="reason")
    meeting.status, meeting.cancelled_at = MeetingStatus.CANCELLED, timezone.now()
    meeting.save(update_fields=["status", "cancelled_at"])
    told = list(
        meeting.invitations.filter(notified_at__isnull=False, is_department=False).values_list(
            "user_id", flat=True
        )
    )
    for invitation in meeting.invitations.filter(notified_at__isnull=False, is_department=True):
        told += _department_contacts(invitation.department_id)
    notify_later(
        user_ids=sorted(set(told)),
        title=_("会议取消：%(title)s") % {"title": meeting.title},
        body=_("原定%(when)s召开的“%(title)s”已取消。原因：%(reason)s")
        % {"when": when(meeting), "title": meeting.title, "reason": reason},
        link=meeting_link(meeting.pk),
        key=f"meeting:{meeting.pk}:cancel",
    )


# --- invitations and the notice ---------------------------------------------------------------------


def _department_contacts(department_id: int) -> list[int]:
    """Who acts for an invited department: its 文书人员 and 部门负责人."""
    return sorted(
        {
            u
            for role in access.CLERK_ROLES
            for u in staff_ids_with_role(department_id=department_id, role=role)
        }
    )


def _home_department(user_id: int, preferred: int | None = None) -> int | None:
    departments = sorted({d for d, _r in roles_of(user_id=user_id)})
    if preferred in departments:
        return preferred
    return departments[0] if departments else None


def _attending(meeting: Meeting) -> int:
    return (
        meeting.invitations.filter(is_department=False)
        .exclude(reply__in=(Reply.LEAVE, Reply.DELEGATED))
        .count()
    )


def refuse_over_capacity(meeting: Meeting, adding: int) -> None:
    """The people asked (not on leave, not delegated away) must fit in the room."""
    if meeting.room_id is None or adding == 0:
        return
    capacity = MeetingRoom.objects.values_list("capacity", flat=True).get(pk=meeting.room_id)
    if _attending(meeting) + adding > capacity:
        raise MeetingError(
            _("参会人员将超过会议室容纳人数（%(capacity)d人），请减少邀请人员或更换会议室")
            % {"capacity": capacity},
            code="over_capacity",
            field="people",
        )


@transaction.atomic
def invite(
    *, meeting_id: int, user_id: int, people: Iterable[int] = (), departments: Iterable[int] = ()
) -> int:
    """Add people (staff accounts) and whole departments to the meeting; those already invited are
    skipped. Once the notice is out, the new invitees are told at once. Returns how many were added."""
    meeting = locked_meeting(meeting_id, user_id)
    refuse_if_over(meeting)
    people_ids, department_ids = set(people), set(departments)
    if not people_ids and not department_ids:
        raise MeetingError(_("请选择参会人员或参会部门"), field="people")
    if people_ids - staff_user_ids(people_ids):
        raise MeetingError(_("所选人员不是工作人员"), field="people")
    if department_ids - set(departments_by_ids(department_ids)):
        raise MeetingError(_("所选部门不存在"), field="departments")
    already = set(meeting.invitations.filter(user_id__in=people_ids).values_list("user_id", flat=True))
    invited_departments = set(
        meeting.invitations.filter(is_department=True, department_id__in=department_ids).values_list(
            "department_id", flat=True
        )
    )
    new_people = sorted(people_ids - already)
    refuse_over_capacity(meeting, len(new_people))
    added = []
    for person in new_people:
        home = _home_department(person)
        if home is None:
            raise MeetingError(_("所选人员没有所在部门"), field="people")
        added.append(Invitation.objects.create(meeting=meeting, user_id=person, department_id=home))
    for department_id in sorted(department_ids - invited_departments):
        added.append(
            Invitation.objects.create(meeting=meeting, department_id=department_id, is_department=True)
        )
    if meeting.status == MeetingStatus.NOTIFIED:
        _send(meeting, added)
    return len(added)


@transaction.atomic
def uninvite(*, meeting_id: int, user_id: int, invitation_id: int) -> None:
    """Take back an invitation nobody acted on yet (no reply, not signed in, no one named or delegated)."""
    meeting = locked_meeting(meeting_id, user_id)
    invitation = meeting.invitations.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise MeetingNotFound(_("没有找到该参会邀请"), code="not_found")
    if invitation.reply != Reply.PENDING or invitation.signed_in_at or invitation.named_at:
        raise MeetingStateError(_("已回复或已签到的参会人员不能移除"), code="acted", field="people")
    invitation.delete()


def _send(meeting: Meeting, invitations: list[Invitation]) -> int:
    now = timezone.now()
    title = _("会议通知：%(title)s") % {"title": meeting.title}
    body = _("%(when)s，地点：%(where)s。主持人：%(host)s。请登录工作台回复是否参加。") % {
        "when": when(meeting),
        "where": meeting.where,
        "host": meeting.host,
    }
    people: list[int] = []
    for invitation in invitations:
        if invitation.is_department:
            people += _department_contacts(invitation.department_id)
        elif invitation.user_id is not None:
            people.append(invitation.user_id)
        invitation.notified_at = now
        invitation.save(update_fields=["notified_at"])
    notify_later(
        user_ids=sorted(set(people)),
        title=title,
        body=body,
        link=meeting_link(meeting.pk),
        key=f"meeting:{meeting.pk}:notice",
    )
    return len(set(people))


@transaction.atomic
def send_notice(*, meeting_id: int, user_id: int) -> int:
    """发送会议通知: every invitee not told yet gets the notice (a person in their inbox, a department
    through its 文书人员 and 部门负责人, who name the attendees). Sending again tells only those added
    since. Returns how many people were told now."""
    meeting = locked_meeting(meeting_id, user_id)
    refuse_if_over(meeting)
    pending = list(meeting.invitations.filter(notified_at__isnull=True).exclude(via__isnull=False))
    if meeting.status == MeetingStatus.SCHEDULED and not meeting.invitations.exists():
        raise MeetingError(_("请先添加参会人员或参会部门"), code="nobody", field="people")
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status, meeting.notice_sent_at = MeetingStatus.NOTIFIED, timezone.now()
        meeting.save(update_fields=["status", "notice_sent_at"])
    return _send(meeting, pending)


@transaction.atomic
def remind_unanswered(*, meeting_id: int, user_id: int) -> int:
    """催报: a reminder to each invitee who has not replied (a department: not named its people), at
    most once a day each. Returns how many people were reminded; none left to remind is refused."""
    meeting = locked_meeting(meeting_id, user_id)
    refuse_if_over(meeting)
    if meeting.status != MeetingStatus.NOTIFIED:
        raise MeetingStateError(_("请先发送会议通知"), code="not_notified")
    today = timezone.localdate()
    waiting = (
        meeting.invitations.select_for_update().filter(notified_at__isnull=False).exclude(reminded_on=today)
    )
    waiting = waiting.filter(is_department=False, reply=Reply.PENDING) | waiting.filter(
        is_department=True, named_at__isnull=True
    )
    people: list[int] = []
    for invitation in waiting:
        people += (
            _department_contacts(invitation.department_id)
            if invitation.is_department
            else [invitation.user_id or 0]
        )
        invitation.reminded_on = today
        invitation.save(update_fields=["reminded_on"])
    people = sorted({p for p in people if p})
    if not people:
        raise MeetingStateError(
            _("没有需要催报的参会人员（均已回复，或今天已催报）"), code="nothing_to_remind"
        )
    notify_later(
        user_ids=people,
        title=_("请回复会议通知：%(title)s") % {"title": meeting.title},
        body=_("%(when)s召开的“%(title)s”尚未收到您的回复，请尽快回复是否参加。")
        % {"when": when(meeting), "title": meeting.title},
        link=meeting_link(meeting.pk),
        key=f"meeting:{meeting.pk}:remind:{today:%Y%m%d}",
    )
    return len(people)
