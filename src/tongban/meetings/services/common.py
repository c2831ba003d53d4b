"""What the meetings services share: the locked meeting a manager acts on, and notifications sent
once the transaction commits."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.meetings import access
from tongban.meetings.errors import MeetingNotFound, MeetingStateError
from tongban.meetings.models import Meeting, MeetingStatus
from tongban.notifications.services import notify


def locked_meeting(meeting_id: int, user_id: int, *, manage: bool = True) -> Meeting:
    """The meeting row locked for a read-modify-write: 404 unless the user may see it (and, with
    ``manage``, run it), 409 once cancelled."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None or access.get_meeting_for(user_id, meeting_id) is None:
        raise MeetingNotFound(_("没有找到该会议"), code="not_found")
    if manage and not access.may_manage(access.standing_of(user_id), meeting):
        raise MeetingNotFound(_("没有找到该会议"), code="not_found")
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingStateError(_("会议已取消"), code="cancelled")
    return meeting


def refuse_if_over(meeting: Meeting) -> None:
    if meeting.ends_at <= timezone.now():
        raise MeetingStateError(_("会议已结束"), code="over")


def meeting_link(meeting_id: int) -> str:
    return reverse("meetings:meeting", args=[meeting_id])


def notify_later(*, user_ids: list[int], title: str, body: str, link: str, key: str) -> None:
    """Messages sent once the transaction commits, each once per ``key`` and person."""

    def send() -> None:
        for user_id in user_ids:
            notify(user_id=user_id, title=title[:100], body=body, link=link, key=f"{key}:{user_id}"[:64])

    transaction.on_commit(send)


def when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{start:%Y年%-m月%-d日 %H:%M}–{end:%H:%M}"
