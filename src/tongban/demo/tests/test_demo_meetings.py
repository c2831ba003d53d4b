"""The demo city's 会议: rooms and this week's meetings (one held, with replies, sign-ins and
decisions), loaded through the services and once."""

import pytest
from django.test import override_settings

from tongban.core.calendar import seed_coming_years
from tongban.demo.loader import load_accounts, load_organizations
from tongban.demo.meetings import load_meetings
from tongban.meetings.models import Decision, Invitation, Meeting, MeetingRoom

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_meetings_load_once():
    seed_coming_years()
    departments, _halls = load_organizations()
    load_accounts(departments)

    assert load_meetings() is True
    counts = (
        Meeting.objects.count(),
        Invitation.objects.count(),
        Decision.objects.count(),
    )
    assert load_meetings() is True
    assert (
        Meeting.objects.count(),
        Invitation.objects.count(),
        Decision.objects.count(),
    ) == counts
    assert MeetingRoom.objects.count() == 3
    assert sorted(Meeting.objects.values_list("title", "status")) == sorted(
        [
            ("市政府第29次常务会议", "notified"),
            ("全市优化营商环境工作推进会", "notified"),
            ("政务服务“一网通办”专题视频会", "notified"),
            ("办公室周例会", "scheduled"),
        ]
    )
    held = Meeting.objects.get(title="市政府第29次常务会议")
    assert held.invitations.filter(signed_in_at__isnull=False).count() == 3
    assert sorted(held.invitations.exclude(reply="pending").values_list("reply", flat=True)) == [
        "attend",
        "attend",
        "attend",
        "leave",
    ]
    assert held.decisions.count() == 2
    assert held.minutes_document_id is None  # no 公文 templates without the demo's documents
