"""签到: by the QR code on the door (a signed per-meeting token; the scanning person signs themselves in)
or by the organiser's staff for someone present. Only invitees, only within the window around the
meeting, once (a second sign-in changes nothing and keeps the first time)."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError
from tongban.meetings.models import Invitation, Meeting, MeetingStatus, Reply, SignInMethod
from tongban.meetings.services.common import locked_meeting

SALT = "tongban.meetings.sign-in"
OPENS_BEFORE = dt.timedelta(minutes=30)  # the door code works from 30 minutes before the start …
CLOSES_AFTER = dt.timedelta(minutes=0)  # … until the meeting ends


def sign_in_token(meeting_id: int) -> str:
    """The door code's token: an HMAC of the meeting id under the site's secret (nothing stored)."""
    return signing.Signer(salt=SALT).signature(str(meeting_id))


def token_matches(meeting_id: int, token: str) -> bool:
    return constant_time_compare(sign_in_token(meeting_id), token)


def window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    return meeting.starts_at - OPENS_BEFORE, meeting.ends_at + CLOSES_AFTER


def is_open(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    opens, closes = window(meeting)
    return opens <= (now or timezone.now()) <= closes


def _refuse_outside_window(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingStateError(_("会议已取消"), code="cancelled")
    if not is_open(meeting):
        opens, closes = (timezone.localtime(t) for t in window(meeting))
        raise MeetingStateError(
            _("签到时间为%(opens)s至%(closes)s")
            % {"opens": f"{opens:%-m月%-d日 %H:%M}", "closes": f"{closes:%H:%M}"},
            code="closed",
        )


def _sign(invitation: Invitation, *, by: int, method: str) -> bool:
    if invitation.signed_in_at is not None:
        return False
    invitation.signed_in_at, invitation.signed_in_by_id, invitation.sign_in_method = (
        timezone.now(),
        by,
        method,
    )
    invitation.save(update_fields=["signed_in_at", "signed_in_by", "sign_in_method"])
    return True


@transaction.atomic
def sign_in_with_code(*, meeting_id: int, token: str, user_id: int) -> Invitation:
    """Scanning the door code: the logged-in invitee signs in. A wrong token is a 404 (as if there were
    no such meeting); a person not invited (or who delegated the invitation) is refused."""
    if not token_matches(meeting_id, token):
        raise MeetingNotFound(_("没有找到该会议"), code="not_found")
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise MeetingNotFound(_("没有找到该会议"), code="not_found")
    _refuse_outside_window(meeting)
    invitation = (
        meeting.invitations.select_for_update().filter(user_id=user_id).exclude(reply=Reply.DELEGATED).first()
    )
    if invitation is None:
        raise MeetingError(_("您不在本次会议的参会名单中，请联系会议组织人"), code="not_invited")
    _sign(invitation, by=user_id, method=SignInMethod.QR)
    return invitation


@transaction.atomic
def sign_in_for(*, meeting_id: int, user_id: int, invitation_id: int) -> bool:
    """代为签到 by the organiser's staff (the organiser, the department's 文书人员 or 部门负责人) for an
    invitee who is present. Returns whether the person was signed in now."""
    meeting = locked_meeting(meeting_id, user_id)
    _refuse_outside_window(meeting)
    invitation = (
        meeting.invitations.select_for_update()
        .filter(pk=invitation_id, is_department=False)
        .exclude(reply=Reply.DELEGATED)
        .first()
    )
    if invitation is None:
        raise MeetingNotFound(_("没有找到该参会人员"), code="not_found")
    return _sign(invitation, by=user_id, method=SignInMethod.STAFF)
