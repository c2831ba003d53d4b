"""The red cards the workbench shows beside 电子监察: counted in a few queries, the same number as the
board's red rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import services as applications
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.types import ProcessStepData
from tongban.core.calendar import seed_year
from tongban.supervision import selectors
from tongban.workflow.selectors import open_tasks_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
STEPS = tuple(
    ProcessStepData(name=name, limit=limit)
    for name, limit in (("受理", 1), ("审核", 5), ("审批", 2), ("办结", 1), ("送达", 1))
)


@pytest.fixture
def cases(department, publish_item):
    """Two cases submitted Mon 2026-11-02 (promised 10 working days → 11-16): one accepted the same
    day (审查 due 11-09), one left waiting for 受理 (due 11-03)."""
    seed_year(2026)
    with time_machine.travel(MONDAY, tick=False):
        item = publish_item(department, promised_limit=10, steps=STEPS)
        citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
        ids = []
        for _ in range(2):
            application_id = draft_with_materials(applicant_id=citizen.id, item=item)
            applications.submit_application(application_id=application_id, applicant_id=citizen.id)
            ids.append(application_id)
        clerk = make_staff("market_clerk", department, role="clerk")
        [accept] = open_tasks_of(subject_of(ids[0]))
        applications.handle_task(task_id=accept.id, staff_id=clerk.id, action="accept")
    return ids


@pytest.mark.parametrize(
    ("today", "red"),
    [
        (dt.date(2026, 11, 3), 0),  # 受理 of the second case is due today
        (dt.date(2026, 11, 4), 1),  # ... and overdue tomorrow
        (dt.date(2026, 11, 10), 2),  # 审查 of the first was due 11-09
        (dt.date(2026, 11, 17), 2),  # both cases were due 11-16
    ],
)
def test_the_count_is_the_boards_red_rows(cases, department, today, red):
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    assert selectors.summary(selectors.board(supervisor.id, today=today))["red"] == red
    assert selectors.red_card_count(supervisor.id, today=today) == red


def test_a_case_past_its_promised_date_is_red_once(cases, department):
    """On 11-17 both cases move on: no step is due after the case (11-16), so the new steps are late
    too, and each case counts once, not once for itself and once for its step."""
    reviewer = make_staff("market_reviewer", department, role="reviewer")
    clerk = make_staff("market_clerk_2", department, role="clerk")
    with time_machine.travel(dt.datetime(2026, 11, 17, 9, 0, tzinfo=SHANGHAI), tick=False):
        [review] = open_tasks_of(subject_of(cases[0]))
        applications.handle_task(task_id=review.id, staff_id=reviewer.id, action="pass", opinion="符合条件")
        [accept] = open_tasks_of(subject_of(cases[1]))
        applications.handle_task(task_id=accept.id, staff_id=clerk.id, action="accept")
    today = dt.date(2026, 11, 17)
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    promised = dt.date(2026, 11, 16)
    assert [t.due_date for c in cases for t in open_tasks_of(subject_of(c))] == [promised, promised]
    assert selectors.summary(selectors.board(supervisor.id, today=today))["red"] == 2
    assert selectors.red_card_count(supervisor.id, today=today) == 2


def test_other_departments_and_other_staff_count_nothing(cases, other_department, department):
    civil = make_staff("civil_supervisor", other_department, role="supervisor")
    clerk = make_staff("someone", department, role="clerk")
    city = make_staff("city_supervisor", other_department, role="city_supervisor")
    today = dt.date(2026, 11, 17)
    assert selectors.red_card_count(civil.id, today=today) == 0
    assert selectors.red_card_count(clerk.id, today=today) == 0
    assert selectors.red_card_count(city.id, today=today) == 2


def test_counting_stops_at_the_limit(cases, department):
    """The navigation asks for at most 100: both red cases counted with a limit of 1 give 1."""
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    today = dt.date(2026, 11, 17)
    assert selectors.red_card_count(supervisor.id, 1, today=today) == 1
    assert selectors.red_card_count(supervisor.id, 3, today=today) == 2


def test_subjects_beyond_the_rows_read_are_counted_exactly(cases, department, monkeypatch):
    """When the overdue rows read run out of distinct cases (many late steps of one case), the exact
    DISTINCT query decides; with no rows read at all, it alone counts."""
    from tongban.workflow import selectors as workflow_selectors

    monkeypatch.setattr(workflow_selectors, "OVERDUE_ROWS_PER_SUBJECT", 0)
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    assert selectors.red_card_count(supervisor.id, 3, today=dt.date(2026, 11, 10)) == 2
