"""The workbench home: its panels (待办 by kind, 待阅, the latest notices), panels of apps not merged
yet left out, and the page's queries, the same for more work and more notices."""

import uuid

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.notices import services as notice_services
from tongban.notices.types import NoticeDraft
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
        "meetings", "今日会议", "workbench/panels/to_read.html", lambda r: {}, ("meetings:today",)
    )
    monkeypatch.setattr(home_panels, "PANELS", (*home_panels.PANELS, panel))
    login_staff(client, clerk)
    body = client.get(reverse("workbench:home")).content.decode()
    assert "今日会议" not in body
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
    # navigation counts (6 for a clerk: test_nav); 待办 by kind (principals, roles, the UNION: 3); the
    # latest notices (1); the calendar banner's administrator check (1). 待阅 reuses the shell's counts.
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("workbench:home"))


HOME_QUERIES = 17
