"""The workbench home: its panels (待办 by kind, 待阅, the latest notices), panels of apps not merged
yet left out, and the page's queries, the same for more work and more notices."""

import datetime as dt
import uuid

import pytest
from conftest import make_staff
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff
from tongban.meetings.tests import helpers as meeting_helpers
from tongban.notices import services as notice_services
from tongban.notices.types import NoticeDraft
from tongban.tracking.tests import helpers as tracking_helpers
from tongban.workbench import home_panels
from tongban.workbench.home_panels import HomePanel


def _notice(publisher, department, title: str, *, receipt: bool = True) -> int:
    notice_id = notice_services.create_notice(
        actor_id=publisher.id,
        draft=NoticeDraft(
            title=title,
            body="正文",
            department_id=department.pk,
            is_citywide=False,
            audience_ids=(department.pk,),
            requires_receipt=receipt,
        ),
        idempotency_key=uuid.uuid4().hex,
    )
    notice_services.publish_notice(actor_id=publisher.id, notice_id=notice_id)
    return notice_id


@pytest.fixture
def publisher(department):
    return make_staff("market_pub", department, role="notice_publisher")


def _section(body: str, key: str) -> str:
    return body.split(f'<section class="wb-panel" aria-labelledby="panel-{key}">')[1].split("</section>")[0]


def test_the_home_shows_waiting_work_notices_to_read_and_the_latest_notices(
    client, department, clerk, publisher, submit
):
    submit(2)
    first = _notice(publisher, department, "关于节前安全检查的通知")
    second = _notice(publisher, department, "关于召开全局大会的通知", receipt=False)
    notice_services.open_notice(reader_id=clerk.id, notice_id=second)
    login_staff(client, clerk)
    body = client.get(reverse("workbench:home")).content.decode()
    assert '<span class="wb-counts-label">办件</span> <span class="wb-counts-number">2件</span>' in _section(
        body, "todo"
    )
    to_read = _section(body, "to_read")
    assert (
        '<span class="wb-counts-label">待阅知的通知</span> <span class="wb-counts-number">1件</span>'
        in to_read
    )
    notices = _section(body, "notices")
    assert (
        f'<li class="unread"><a href="/staff/notices/{first}/"><span class="tag tag-inactive">待阅知</span>'
        in notices
    )
    assert f'<li><a href="/staff/notices/{second}/">关于召开全局大会的通知</a>' in notices


def test_a_panel_whose_page_is_not_merged_is_left_out(client, clerk, monkeypatch):
    panel = HomePanel(
        "unmerged", "尚未合并的面板", "workbench/panels/to_read.html", lambda r: {}, ("nowhere:page",)
    )
    monkeypatch.setattr(home_panels, "PANELS", (*home_panels.PANELS, panel))
    login_staff(client, clerk)
    body = client.get(reverse("workbench:home")).content.decode()
    assert "尚未合并的面板" not in body
    assert 'aria-labelledby="panel-notices"' in body


def test_the_home_costs_the_same_queries_for_more_work_and_notices(
    client, department, clerk, publisher, submit, django_assert_num_queries
):
    login_staff(client, clerk)
    submit(1)
    _notice(publisher, department, "通知一")
    client.get(reverse("workbench:home"))
    submit(3)
    for n in range(6):
        _notice(publisher, department, f"通知{n + 2}")
    # Session and user (2); which departments the user administers (3); the shell's roles (1) and
    # navigation counts (3 for a clerk: test_nav); 待办 by kind (principals, roles, the UNION: 3); today's
    # meetings (1 when there are none); the latest notices (1); the calendar banner's administrator check
    # (1). 待阅 reuses the shell's counts; 督办到期 is not a clerk's panel.
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("workbench:home"))


HOME_QUERIES = 15


def test_the_home_lists_todays_meetings_of_the_user(client, department, clerk, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC), tick=False)  # Monday 08:30 in Beijing
    room = meeting_helpers.room(department)
    today = meeting_helpers.book(
        clerk,
        department,
        room_id=room.pk,
        start=_local(2026, 3, 2, 15),
        end=_local(2026, 3, 2, 16),
        title="周例会",
    )
    meeting_helpers.book(
        clerk,
        department,
        room_id=room.pk,
        start=_local(2026, 3, 3, 9),
        end=_local(2026, 3, 3, 10),
        title="明天的会",
    )
    login_staff(client, clerk)
    panel = _section(client.get(reverse("workbench:home")).content.decode(), "meetings_today")
    assert f'<a href="/staff/meetings/{today.pk}/">15:00–16:00 周例会</a>' in panel
    assert "明天的会" not in panel


def test_the_home_lists_the_tracking_items_due_within_five_working_days(client, db, time_machine):
    c = tracking_helpers.city()
    soon = tracking_helpers.in_progress(c, title="五日内到期的督办事项", deadline_days=3)
    tracking_helpers.in_progress(c, title="下月到期的督办事项", deadline_days=30)
    time_machine.move_to(tracking_helpers.MONDAY + dt.timedelta(hours=1), tick=False)
    login_staff(client, c.lead_clerk)
    panel = _section(client.get(reverse("workbench:home")).content.decode(), "tracking_due")
    assert f'<a href="/staff/tracking/{soon}/">' in panel
    assert "五日内到期的督办事项" in panel
    assert "下月到期的督办事项" not in panel
    login_staff(client, c.outsider)
    assert "五日内到期的督办事项" not in client.get(reverse("workbench:home")).content.decode()


def _local(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
