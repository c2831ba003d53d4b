"""E-supervision: levels from stored dates, reminders and orders reaching handlers, scope, the job."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import selectors as application_selectors
from tongban.applications import services as applications
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.types import ProcessStepData
from tongban.core.calendar import seed_year
from tongban.supervision import selectors, services
from tongban.supervision.events import staff_alerted
from tongban.supervision.services import SupervisionError
from tongban.workflow.selectors import open_tasks_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
STEPS = tuple(
    ProcessStepData(name=name, limit=limit)
    for name, limit in (("受理", 1), ("审核", 5), ("审批", 2), ("办结", 1), ("送达", 1))
)


@pytest.fixture
def case(department, publish_item, django_capture_on_commit_callbacks):
    """A case submitted Mon 2026-11-02 (promised 10 working days → 11-16), accepted the same day."""
    seed_year(2026)
    with time_machine.travel(MONDAY, tick=False):
        item = publish_item(department, promised_limit=10, steps=STEPS)
        citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
        application_id = draft_with_materials(applicant_id=citizen.id, item=item)
        applications.submit_application(application_id=application_id, applicant_id=citizen.id)
        clerk = make_staff("market_clerk", department, role="clerk")
        [accept] = open_tasks_of(subject_of(application_id))
        applications.handle_task(task_id=accept.id, staff_id=clerk.id, action="accept")
    return application_id


@pytest.fixture
def alerts():
    """Every staff_alerted signal sent (notifications delivers them; tested there)."""
    sent: list[dict] = []

    def receive(sender, **kwargs):
        sent.append(kwargs)

    staff_alerted.connect(receive, dispatch_uid="test-alerts")
    yield sent
    staff_alerted.disconnect(dispatch_uid="test-alerts")


@pytest.fixture
def supervisor(department):
    return make_staff("market_supervisor", department, role="supervisor")


@pytest.mark.parametrize(
    ("today", "case_level", "task_level"),
    [
        (dt.date(2026, 11, 3), "normal", "normal"),  # 1 of 10 days; review 1 of 5
        (dt.date(2026, 11, 6), "normal", "yellow"),  # review: 4 of 5 days used = 80 %
        (dt.date(2026, 11, 10), "normal", "red"),  # review was due 11-09
        (dt.date(2026, 11, 12), "yellow", "red"),  # case: 8 of 10 days
        (dt.date(2026, 11, 17), "red", "red"),  # case was due 11-16
    ],
)
def test_levels_come_from_stored_dates_without_any_job(case, supervisor, today, case_level, task_level):
    [row] = selectors.board(supervisor.id, today=today)
    assert row.case.due_date == dt.date(2026, 11, 16)
    assert [(t.task.name, t.task.due_date, t.level.value) for t in row.tasks] == [
        ("审查", dt.date(2026, 11, 9), task_level)
    ]
    assert selectors.case_level(row.case, today).value == case_level
    levels = {case_level, task_level}
    assert row.level.value == ("red" if "red" in levels else "yellow" if "yellow" in levels else "normal")


def test_a_reminder_reaches_everyone_who_may_take_the_open_task(
    case, supervisor, department, django_capture_on_commit_callbacks, alerts
):
    reviewers = [make_staff(f"reviewer{n}", department, role="reviewer") for n in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.intervene(
            application_id=case, supervisor_id=supervisor.id, kind="reminder", message="请尽快审查"
        )
    [alert] = alerts
    assert alert["title"] == "催办"
    assert alert["recipient_ids"] == sorted(r.id for r in reviewers)
    assert "请尽快审查" in alert["body"]


def test_a_reminder_reaches_a_case_beyond_the_oldest_the_board_shows(
    case, supervisor, department, publish_item, monkeypatch, django_capture_on_commit_callbacks, alerts
):
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        item = publish_item(department, promised_limit=10, steps=STEPS)
        citizen = ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)
        newer = draft_with_materials(applicant_id=citizen.id, item=item)
        applications.submit_application(application_id=newer, applicant_id=citizen.id)
    monkeypatch.setattr(application_selectors, "BOARD_LIMIT", 1)  # the board shows only the older case
    assert [row.case.id for row in selectors.board(supervisor.id, today=MONDAY.date())] == [case]

    with django_capture_on_commit_callbacks(execute=True):
        services.intervene(
            application_id=newer, supervisor_id=supervisor.id, kind="reminder", message="请尽快受理"
        )

    [alert] = alerts
    assert (alert["title"], "请尽快受理" in alert["body"]) == ("催办", True)


def test_an_order_needs_a_reply_date_and_goes_to_the_assignee_only(
    case, supervisor, department, django_capture_on_commit_callbacks, alerts
):
    first, _second = (make_staff(f"reviewer{n}", department, role="reviewer") for n in (1, 2))
    [review] = open_tasks_of(subject_of(case))
    from tongban.workflow.services import claim_task

    claim_task(task_id=review.id, user_id=first.id)
    with pytest.raises(SupervisionError, match="反馈期限"):
        services.intervene(
            application_id=case, supervisor_id=supervisor.id, kind="order", message="说明超期原因"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.intervene(
            application_id=case,
            supervisor_id=supervisor.id,
            kind="order",
            message="说明超期原因",
            reply_due=timezone.localdate() + dt.timedelta(days=3),
        )
    assert [(a["title"], a["recipient_ids"]) for a in alerts] == [("督办", [first.id])]


def test_scope_department_supervisor_city_supervisor_and_outsider(case, supervisor, other_department, client):
    outsider = make_staff("civil_supervisor", other_department, role="supervisor")
    city = make_staff("city_supervisor", other_department, role="city_supervisor")
    assert [r.case.id for r in selectors.board(supervisor.id)] == [case]
    assert selectors.board(outsider.id) == []
    assert [r.case.id for r in selectors.board(city.id)] == [case]
    with pytest.raises(SupervisionError):
        services.intervene(application_id=case, supervisor_id=outsider.id, kind="reminder", message="x")
    login_staff(client, outsider)
    assert (
        client.post(
            reverse("supervision:intervene", args=[case]), {"kind": "reminder", "message": "x"}
        ).status_code
        == 404
    )
    clerk = make_staff("plain_clerk", other_department, role="clerk")
    login_staff(client, clerk)
    assert client.get(reverse("supervision:board")).status_code == 404


def test_the_board_page_lists_the_case_with_its_card(case, supervisor, client):
    login_staff(client, supervisor)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        body = client.get(reverse("supervision:board")).content.decode()
    assert "红牌超期" in body
    assert "审查（11月9日前，红牌超期）" in body


def test_the_warning_job_sends_each_warning_once(
    case, department, django_capture_on_commit_callbacks, alerts
):
    reviewer = make_staff("reviewer1", department, role="reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_deadline_warnings(today=dt.date(2026, 11, 10))
        again = services.send_deadline_warnings(today=dt.date(2026, 11, 10))
    assert (first, again) == (1, 0)
    [alert] = alerts
    assert (alert["title"], alert["recipient_ids"]) == ("红牌超期", [reviewer.id])
    assert "审查" in alert["body"]
