"""The supervision board's queries do not grow with its rows; the deadline job reads cases in batches."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.tests.factories import submitted_applications
from tongban.core.calendar import seed_year
from tongban.supervision import services
from tongban.supervision.models import WarningNotice

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def submit(department, publish_item):
    """submit(n) → n cases submitted on Monday 2026-11-02 (promised in 2 working days), each waiting
    for 受理."""
    seed_year(2026)
    with time_machine.travel(MONDAY, tick=False):
        item = publish_item(department, promised_limit=2)
    citizen = ensure_user(username="13800000009", full_name="张三", kind="citizen", password=PASSWORD)

    def _submit(n: int) -> list[int]:
        with time_machine.travel(MONDAY, tick=False):
            return submitted_applications(applicant_id=citizen.id, item=item, count=n)

    return _submit


# Measured: session, user, scope, calendar, cases, limits, pauses (2), published years, departments,
# interventions, open tasks, the other cards (差评整改; 督办事项超期 and its calendar since issue 16),
# and the navigation's counts (信息待阅, 通知公告 and 会议 since issue 16), the cards 依申请公开超期 and
# 12345工单超期 (issue 17).
DEPARTMENT_BOARD_QUERIES = 35
CITY_BOARD_QUERIES = 33


@pytest.mark.parametrize(
    ("role", "queries"), [("supervisor", DEPARTMENT_BOARD_QUERIES), ("city_supervisor", CITY_BOARD_QUERIES)]
)
def test_the_board_costs_the_same_queries_for_three_cases_as_for_six(
    client, department, submit, role, queries, django_assert_max_num_queries
):
    login_staff(client, make_staff("watcher", department, role=role))
    for n in (3, 3):
        submit(n)
        with django_assert_max_num_queries(queries):
            response = client.get(reverse("supervision:board"))
        assert response.status_code == 200
        assert len(response.context["rows"]) in (3, 6)


def test_the_deadline_job_reads_cases_in_batches_and_warns_each_once(department, submit, monkeypatch):
    monkeypatch.setattr(services, "WARNING_BATCH", 2)
    make_staff("market_clerk", department, role="clerk")
    cases = submit(5)
    friday = dt.date(2026, 11, 6)  # every case is past its promised date (Wed 11-04)

    first = services.send_deadline_warnings(today=friday)
    again = services.send_deadline_warnings(today=friday)

    # Each case and its overdue 受理 step: one red card each, across three batches; none the second time.
    warned = set(WarningNotice.objects.values_list("key", "level"))
    assert {key for key, _level in warned if key.startswith("application:")} == {
        f"application:{case}" for case in cases
    }
    assert (first, again) == (len(warned), 0)
    assert len(warned) == 10
