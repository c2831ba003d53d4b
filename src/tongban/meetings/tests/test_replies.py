"""会议通知 and replies: the notice reaches people and departments' contacts; 参加 / 请假 (reason) /
指派他人 (a colleague), idempotent; a department names its attendees; 催报 reminds the silent ones."""

import pytest
from conftest import make_staff
from django.utils import timezone

from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError
from tongban.meetings.models import Invitation, Reply
from tongban.meetings.services import booking, replies
from tongban.meetings.tests.helpers import at, book, room
from tongban.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(organiser, department):
    return book(organiser, department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))


def _notified(meeting, django_capture_on_commit_callbacks, organiser):
    with django_capture_on_commit_callbacks(execute=True):
        return booking.send_notice(meeting_id=meeting.pk, user_id=organiser.id)


def test_the_notice_reaches_the_people_and_the_departments_contacts(
    meeting, organiser, colleague, other_clerk, other_department, django_capture_on_commit_callbacks
):
    booking.invite(
        meeting_id=meeting.pk, user_id=organiser.id, people=[colleague.id], departments=[other_department.pk]
    )
    told = _notified(meeting, django_capture_on_commit_callbacks, organiser)
    meeting.refresh_from_db()
    assert (told, meeting.status) == (2, "notified")
    assert sorted(Notification.objects.values_list("recipient_id", "title")) == sorted(
        [(colleague.id, "会议通知：营商环境工作推进会"), (other_clerk.id, "会议通知：营商环境工作推进会")]
    )
    # Sending again tells nobody twice.
    assert _notified(meeting, django_capture_on_commit_callbacks, organiser) == 0
    assert Notification.objects.count() == 2


def test_a_notice_without_invitees_is_refused(meeting, organiser):
    with pytest.raises(MeetingError, match="请先添加参会人员或参会部门"):
        booking.send_notice(meeting_id=meeting.pk, user_id=organiser.id)
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_only_the_organisers_side_sends_the_notice(meeting, colleague, other_clerk):
    booking.invite(meeting_id=meeting.pk, user_id=meeting.organiser_id, people=[colleague.id])
    with pytest.raises(MeetingNotFound):
        booking.send_notice(meeting_id=meeting.pk, user_id=colleague.id)  # an invitee, not a manager
    with pytest.raises(MeetingNotFound):
        booking.send_notice(meeting_id=meeting.pk, user_id=other_clerk.id)


def _invited(meeting, organiser, person, captured):
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, people=[person.id])
    _notified(meeting, captured, organiser)
    return Invitation.objects.get(meeting=meeting, user_id=person.id)


def test_attend_is_recorded_once(meeting, organiser, colleague, django_capture_on_commit_callbacks):
    invitation = _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    assert replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="attend") is True
    invitation.refresh_from_db()
    first = invitation.replied_at
    assert replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="attend") is False
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.replied_at) == (Reply.ATTEND, first)


def test_leave_needs_a_reason(meeting, organiser, colleague, django_capture_on_commit_callbacks):
    invitation = _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    with pytest.raises(MeetingError) as refused:
        replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="leave", reason="  ")
    assert (refused.value.message, refused.value.field) == ("请填写请假事由", "reason")
    invitation.refresh_from_db()
    assert invitation.reply == Reply.PENDING
    replies.reply(
        invitation_id=invitation.pk, user_id=colleague.id, answer="leave", reason="外出参加省厅培训"
    )
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reason) == (Reply.LEAVE, "外出参加省厅培训")


def test_delegating_passes_the_invitation_to_a_colleague(
    meeting, organiser, colleague, department, django_capture_on_commit_callbacks
):
    invitation = _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    stand_in = make_staff("stand_in", department, "reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply(
            invitation_id=invitation.pk, user_id=colleague.id, answer="delegated", delegate_id=stand_in.id
        )
    invitation.refresh_from_db()
    passed = Invitation.objects.get(meeting=meeting, user_id=stand_in.id)
    assert (invitation.reply, invitation.delegate_id) == (Reply.DELEGATED, stand_in.id)
    assert (passed.via_id, passed.reply, passed.department_id) == (
        invitation.pk,
        Reply.PENDING,
        department.pk,
    )
    assert (
        Notification.objects.filter(recipient_id=stand_in.id, title="会议通知：营商环境工作推进会").count()
        == 1
    )
    # A retried 指派 changes nothing; another answer is refused.
    assert not replies.reply(
        invitation_id=invitation.pk, user_id=colleague.id, answer="delegated", delegate_id=stand_in.id
    )
    with pytest.raises(MeetingStateError, match="您已指派stand_in参会，不能再回复"):
        replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="attend")
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_a_delegate_must_be_a_colleague_of_the_same_department(
    meeting, organiser, colleague, other_staff, django_capture_on_commit_callbacks
):
    invitation = _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    for delegate in (other_staff.id, colleague.id, None):
        with pytest.raises(MeetingError):
            replies.reply(
                invitation_id=invitation.pk, user_id=colleague.id, answer="delegated", delegate_id=delegate
            )
    invitation.refresh_from_db()
    assert invitation.reply == Reply.PENDING
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_nobody_replies_for_someone_else(meeting, organiser, colleague, django_capture_on_commit_callbacks):
    invitation = _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    with pytest.raises(MeetingNotFound):
        replies.reply(invitation_id=invitation.pk, user_id=organiser.id, answer="leave", reason="x")
    invitation.refresh_from_db()
    assert invitation.reply == Reply.PENDING


def test_no_reply_before_the_notice_or_after_the_meeting(
    meeting, organiser, colleague, django_capture_on_commit_callbacks, time_machine
):
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, people=[colleague.id])
    invitation = Invitation.objects.get(meeting=meeting, user_id=colleague.id)
    with pytest.raises(MeetingStateError, match="会议通知尚未发出"):
        replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="attend")
    _notified(meeting, django_capture_on_commit_callbacks, organiser)
    time_machine.move_to(at(1, 10, 1))
    with pytest.raises(MeetingStateError, match="会议已结束"):
        replies.reply(invitation_id=invitation.pk, user_id=colleague.id, answer="attend")


def test_a_department_names_its_attendees(
    meeting, organiser, other_department, other_clerk, other_staff, django_capture_on_commit_callbacks
):
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, departments=[other_department.pk])
    _notified(meeting, django_capture_on_commit_callbacks, organiser)
    invitation = Invitation.objects.get(meeting=meeting, is_department=True)
    with django_capture_on_commit_callbacks(execute=True):
        added = replies.name_attendees(
            invitation_id=invitation.pk, user_id=other_clerk.id, people=[other_staff.id]
        )
    invitation.refresh_from_db()
    named = Invitation.objects.get(meeting=meeting, user_id=other_staff.id)
    assert added == 1
    assert invitation.named_at is not None
    assert (named.via_id, named.department_id) == (invitation.pk, other_department.pk)
    assert Notification.objects.filter(recipient_id=other_staff.id).count() == 1
    # Naming the same person again adds nobody.
    assert (
        replies.name_attendees(invitation_id=invitation.pk, user_id=other_clerk.id, people=[other_staff.id])
        == 0
    )


def test_only_the_departments_contacts_name_and_only_its_staff(
    meeting,
    organiser,
    other_department,
    other_clerk,
    other_staff,
    colleague,
    django_capture_on_commit_callbacks,
):
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, departments=[other_department.pk])
    _notified(meeting, django_capture_on_commit_callbacks, organiser)
    invitation = Invitation.objects.get(meeting=meeting, is_department=True)
    with pytest.raises(MeetingNotFound):
        replies.name_attendees(invitation_id=invitation.pk, user_id=other_staff.id, people=[other_staff.id])
    with pytest.raises(MeetingError, match="请选择本部门的工作人员"):
        replies.name_attendees(invitation_id=invitation.pk, user_id=other_clerk.id, people=[colleague.id])
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_remind_tells_the_silent_once_a_day(
    meeting, organiser, colleague, department, django_capture_on_commit_callbacks
):
    answered = make_staff("answered", department, "reviewer")
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, people=[colleague.id, answered.id])
    _notified(meeting, django_capture_on_commit_callbacks, organiser)
    replies.reply(
        invitation_id=Invitation.objects.get(meeting=meeting, user_id=answered.id).pk,
        user_id=answered.id,
        answer="attend",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert booking.remind_unanswered(meeting_id=meeting.pk, user_id=organiser.id) == 1
    assert list(
        Notification.objects.filter(title__startswith="请回复").values_list("recipient_id", flat=True)
    ) == [colleague.id]
    with pytest.raises(MeetingStateError, match="没有需要催报的参会人员"):
        booking.remind_unanswered(meeting_id=meeting.pk, user_id=organiser.id)
    assert Invitation.objects.get(meeting=meeting, user_id=colleague.id).reminded_on == timezone.localdate()


def test_invitees_must_fit_the_room(organiser, department, colleague):
    small = room(department, name="小会议室", capacity=1)
    meeting = book(organiser, department, room_id=small.pk, start=at(1, 9), end=at(1, 10), attendees=1)
    booking.invite(meeting_id=meeting.pk, user_id=organiser.id, people=[colleague.id])
    extra = make_staff("extra", department, "reviewer")
    with pytest.raises(MeetingError, match="参会人员将超过会议室容纳人数（1人）"):
        booking.invite(meeting_id=meeting.pk, user_id=organiser.id, people=[extra.id])
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_cancelling_tells_those_notified(meeting, organiser, colleague, django_capture_on_commit_callbacks):
    _invited(meeting, organiser, colleague, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel_meeting(meeting_id=meeting.pk, user_id=organiser.id, reason="与市委会议冲突")
    message = Notification.objects.get(title="会议取消：营商环境工作推进会")
    assert message.recipient_id == colleague.id
    assert message.body.endswith("已取消。原因：与市委会议冲突")
