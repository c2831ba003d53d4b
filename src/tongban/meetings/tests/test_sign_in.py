"""签到: the door code signs the scanning invitee in, within the window, once; staff sign people in by
hand; a wrong token, a stranger or the wrong time are refused."""

import pytest

from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError
from tongban.meetings.models import Invitation, Reply
from tongban.meetings.services import booking, replies, signin
from tongban.meetings.tests.helpers import at, book, room

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(organiser, department, colleague, django_capture_on_commit_callbacks):
    found = book(organiser, department, room_id=room(department).pk, start=at(1, 9), end=at(1, 10))
    booking.invite(meeting_id=found.pk, user_id=organiser.id, people=[colleague.id])
    booking.send_notice(meeting_id=found.pk, user_id=organiser.id)
    return found


def test_the_door_code_signs_the_invitee_in_once(meeting, colleague, time_machine):
    early, later = at(1, 8, 45), at(1, 9, 5)
    time_machine.move_to(early, tick=False)
    token = signin.sign_in_token(meeting.pk)
    first = signin.sign_in_with_code(meeting_id=meeting.pk, token=token, user_id=colleague.id)
    assert (first.sign_in_method, first.signed_in_by_id, first.signed_in_at) == ("qr", colleague.id, early)
    time_machine.move_to(later, tick=False)
    again = signin.sign_in_with_code(meeting_id=meeting.pk, token=token, user_id=colleague.id)
    assert again.signed_in_at == early


@pytest.mark.parametrize("when", [at(1, 8, 29), at(1, 10, 1)])
def test_the_code_works_only_around_the_meeting(meeting, colleague, time_machine, when):
    opens = at(1, 8, 30)
    time_machine.move_to(when, tick=False)
    with pytest.raises(MeetingStateError) as refused:
        signin.sign_in_with_code(
            meeting_id=meeting.pk, token=signin.sign_in_token(meeting.pk), user_id=colleague.id
        )
    assert refused.value.message == f"签到时间为{opens:%-m月%-d日} 08:30至10:00"
    assert Invitation.objects.get(user_id=colleague.id).signed_in_at is None


def test_a_wrong_token_or_a_stranger_is_refused(meeting, colleague, outsider, time_machine):
    time_machine.move_to(at(1, 9), tick=False)
    with pytest.raises(MeetingNotFound):
        signin.sign_in_with_code(
            meeting_id=meeting.pk, token=signin.sign_in_token(meeting.pk + 1), user_id=colleague.id
        )
    with pytest.raises(MeetingError, match="您不在本次会议的参会名单中"):
        signin.sign_in_with_code(
            meeting_id=meeting.pk, token=signin.sign_in_token(meeting.pk), user_id=outsider.id
        )
    assert not Invitation.objects.filter(signed_in_at__isnull=False).exists()


def test_a_delegator_cannot_sign_in_but_the_delegate_can(meeting, colleague, department, time_machine):
    from conftest import make_staff

    stand_in = make_staff("stand_in", department, "reviewer")
    invitation = Invitation.objects.get(user_id=colleague.id)
    replies.reply(
        invitation_id=invitation.pk, user_id=colleague.id, answer=Reply.DELEGATED, delegate_id=stand_in.id
    )
    nine = at(1, 9)
    time_machine.move_to(nine, tick=False)
    token = signin.sign_in_token(meeting.pk)
    with pytest.raises(MeetingError, match="您不在本次会议的参会名单中"):
        signin.sign_in_with_code(meeting_id=meeting.pk, token=token, user_id=colleague.id)
    assert (
        signin.sign_in_with_code(meeting_id=meeting.pk, token=token, user_id=stand_in.id).signed_in_at == nine
    )


def test_staff_sign_someone_in_by_hand(meeting, organiser, colleague, time_machine):
    invitation = Invitation.objects.get(user_id=colleague.id)
    with pytest.raises(MeetingStateError):
        signin.sign_in_for(meeting_id=meeting.pk, user_id=organiser.id, invitation_id=invitation.pk)
    ten_past = at(1, 9, 10)
    time_machine.move_to(ten_past, tick=False)
    assert (
        signin.sign_in_for(meeting_id=meeting.pk, user_id=organiser.id, invitation_id=invitation.pk) is True
    )
    assert (
        signin.sign_in_for(meeting_id=meeting.pk, user_id=organiser.id, invitation_id=invitation.pk) is False
    )
    invitation.refresh_from_db()
    assert (invitation.sign_in_method, invitation.signed_in_by_id, invitation.signed_in_at) == (
        "staff",
        organiser.id,
        ten_past,
    )


def test_an_invitee_cannot_sign_others_in(meeting, colleague, organiser, time_machine):
    time_machine.move_to(at(1, 9), tick=False)
    invitation = Invitation.objects.get(user_id=colleague.id)
    with pytest.raises(MeetingNotFound):
        signin.sign_in_for(meeting_id=meeting.pk, user_id=colleague.id, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.signed_in_at is None
