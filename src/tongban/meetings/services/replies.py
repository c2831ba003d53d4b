"""Replies to the 会议通知: a person answers 参加, 请假 (with a reason) or 指派他人 (a colleague of the
department they attend for, who then gets the invitation); a department's 文书人员 or 部门负责人 names
who attends. Replies are idempotent: the same answer twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.meetings import access
from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError
from tongban.meetings.models import Invitation, MeetingStatus, Reply
from tongban.meetings.services.booking import refuse_over_capacity
from tongban.meetings.services.common import meeting_link, notify_later, refuse_if_over, when
from tongban.organizations.selectors import staff_ids_in_department

ANSWERS = (Reply.ATTEND, Reply.LEAVE, Reply.DELEGATED)


def _locked_invitation(invitation_id: int, user_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=invitation_id, user_id=user_id, is_department=False)
        .first()
    )
    if invitation is None:
        raise MeetingNotFound(_("没有找到该参会邀请"), code="not_found")
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingStateError(_("会议已取消"), code="cancelled")
    if meeting.status != MeetingStatus.NOTIFIED:
        raise MeetingStateError(_("会议通知尚未发出"), code="not_notified")
    refuse_if_over(meeting)
    return invitation


def _invite_in_place(invitation: Invitation, person_id: int) -> Invitation:
    """The person gets their own invitation (for the same department), told at once."""
    meeting = invitation.meeting
    refuse_over_capacity(meeting, 1)
    created = Invitation.objects.create(
        meeting=meeting,
        user_id=person_id,
        department_id=invitation.department_id,
        via=invitation,
        notified_at=timezone.now(),
    )
    notify_later(
        user_ids=[person_id],
        title=_("会议通知：%(title)s") % {"title": meeting.title},
        body=_("%(when)s，地点：%(where)s。请登录工作台回复是否参加。")
        % {"when": when(meeting), "where": meeting.where},
        link=meeting_link(meeting.pk),
        key=f"meeting:{meeting.pk}:notice",
    )
    return created


@transaction.atomic
def reply(
    *, invitation_id: int, user_id: int, answer: str, reason: str = "", delegate_id: int | None = None
) -> bool:
    """回复: 参加, 请假 (a reason is required) or 指派他人 (a colleague of the invitation's department,
    not invited yet; the invitation passes to them and cannot be answered again by this person).
    Until the meeting ends the answer can change (参加 ↔ 请假). Returns whether anything changed."""
    invitation = _locked_invitation(invitation_id, user_id)
    if answer not in ANSWERS:
        raise MeetingError(_("请选择是否参加"), field="answer")
    reason = reason.strip()
    if invitation.reply == Reply.DELEGATED:
        if answer == Reply.DELEGATED and delegate_id == invitation.delegate_id:
            return False  # a retried 指派
        name = (
            names_of({invitation.delegate_id}).get(invitation.delegate_id, "")
            if invitation.delegate_id
            else ""
        )
        raise MeetingStateError(_("您已指派%(name)s参会，不能再回复") % {"name": name}, code="delegated")
    if answer == Reply.LEAVE and not reason:
        raise MeetingError(_("请填写请假事由"), field="reason")
    if answer == Reply.DELEGATED:
        if delegate_id is None:
            raise MeetingError(_("请选择指派参会的同事"), field="delegate")
        if delegate_id == user_id or delegate_id not in staff_ids_in_department(invitation.department_id):
            raise MeetingError(_("请选择本部门的其他同事"), field="delegate")
        if invitation.meeting.invitations.filter(user_id=delegate_id).exists():
            raise MeetingError(_("该同事已在参会名单中，请选择其他同事"), field="delegate")
    if invitation.reply == answer and (answer != Reply.LEAVE or invitation.reason == reason):
        return False
    if answer == Reply.ATTEND and invitation.reply == Reply.LEAVE:
        refuse_over_capacity(invitation.meeting, 1)  # back from 请假: a seat again
    invitation.reply = answer
    invitation.reason = reason if answer == Reply.LEAVE else ""
    invitation.delegate_id = delegate_id if answer == Reply.DELEGATED else None
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "reason", "delegate", "replied_at"])
    if answer == Reply.DELEGATED and delegate_id is not None:
        _invite_in_place(invitation, delegate_id)  # the seat passes on
    return True


@transaction.atomic
def name_attendees(*, invitation_id: int, user_id: int, people: Iterable[int]) -> int:
    """确定参会人员 for an invited department, by its 文书人员 or 部门负责人: each person (staff of the
    department) gets an invitation of their own and the notice. People named before are skipped.
    Returns how many were added."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=invitation_id, is_department=True)
        .first()
    )
    if invitation is None or invitation.department_id not in access.standing_of(user_id).clerk_of:
        raise MeetingNotFound(_("没有找到该参会邀请"), code="not_found")
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingStateError(_("会议已取消"), code="cancelled")
    refuse_if_over(meeting)
    chosen = set(people)
    if not chosen:
        raise MeetingError(_("请选择参会人员"), field="people")
    if chosen - staff_ids_in_department(invitation.department_id):
        raise MeetingError(_("请选择本部门的工作人员"), field="people")
    already = set(meeting.invitations.filter(user_id__in=chosen).values_list("user_id", flat=True))
    new = sorted(chosen - already)
    refuse_over_capacity(meeting, len(new))
    for person in new:
        _invite_in_place(invitation, person)
    if invitation.named_at is None:
        invitation.named_at = timezone.now()
        invitation.save(update_fields=["named_at"])
    return len(new)
