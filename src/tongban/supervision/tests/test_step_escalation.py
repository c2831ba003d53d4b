"""Per-step time limits: a 催办提醒 on the definition's reminder day, and a 系统自动督办 to the step
department's supervisors once the step is overdue by the definition's grace days; working days
only, each once per task.

The case: submitted and accepted Mon 2026-11-02; its 审查 step has 5 working days (the item's
limit), so it is due Mon 11-09. The shipped standard model reminds 1 working day before and
escalates to ``supervisor`` after 1 working day of grace (so on Wed 11-11).
"""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.db import connection
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services as applications
from tongban.applications.models import Application
from tongban.applications.services.bindings import bind_item_process
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.types import ProcessStepData
from tongban.core.calendar import seed_year, set_calendar_day
from tongban.supervision import selectors, services
from tongban.supervision.events import staff_alerted
from tongban.supervision.models import Intervention
from tongban.workflow import services as workflow
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.tests.helpers import shipped

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
REVIEW_DUE = dt.date(2026, 11, 9)
STEPS = tuple(
    ProcessStepData(name=name, limit=limit)
    for name, limit in (("受理", 1), ("审核", 5), ("审批", 2), ("办结", 1), ("送达", 1))
)
SHIPPED_REVIEW_TIMERS = (
    '<camunda:property name="remind_before_days" value="1"/>\n'
    '          <camunda:property name="escalate" value="supervisor"/>\n'
    '          <camunda:property name="escalate_after_days" value="1"/>\n'
)


@pytest.fixture
def open_case(department, publish_item, editor):
    """open_case(review_timers=None): a case accepted on MONDAY; ``review_timers`` replaces the
    shipped 审查 step's timer properties (its item is bound to that variant of the model)."""
    seed_year(2026)

    def _open(review_timers: str | None = None, *, before=lambda: None) -> int:
        before()
        with time_machine.travel(MONDAY, tick=False):
            item = publish_item(department, promised_limit=10, steps=STEPS)
            if review_timers is not None:
                text = shipped("standard").decode()
                assert SHIPPED_REVIEW_TIMERS in text
                workflow.upload_definition(
                    key="timers",
                    data=text.replace(SHIPPED_REVIEW_TIMERS, review_timers).encode(),
                    uploaded_by_id=editor.id,
                )
                bind_item_process(item_id=item.item_id, definition_key="timers", lane_departments={})
            citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
            application_id = draft_with_materials(applicant_id=citizen.id, item=item)
            applications.submit_application(application_id=application_id, applicant_id=citizen.id)
            clerk = make_staff("market_clerk", department, role="clerk")
            [accept] = open_tasks_of(subject_of(application_id))
            applications.handle_task(task_id=accept.id, staff_id=clerk.id, action="accept")
        return application_id

    return _open


@pytest.fixture
def alerts():
    """Every staff_alerted signal sent: (title, recipient ids, body)."""
    sent: list[tuple[str, list[int], str]] = []

    def receive(sender, *, title, recipient_ids, body, **kwargs):
        sent.append((title, recipient_ids, body))

    staff_alerted.connect(receive, dispatch_uid="test-step-alerts")
    yield sent
    staff_alerted.disconnect(dispatch_uid="test-step-alerts")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The periodic job on a given day, with its after-commit alerts delivered."""

    def _run(day: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_deadline_warnings(today=day)

    return _run


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer1", department, role="reviewer")


@pytest.fixture
def supervisor(department):
    return make_staff("market_supervisor", department, role="supervisor")


def test_the_reminder_comes_on_the_working_day_before_the_due_date_not_the_weekend_day(
    open_case, reviewer, run, alerts
):
    case = open_case()  # shipped: remind_before_days=1, due Monday 11-09
    [review] = open_tasks_of(subject_of(case))
    assert review.due_date == REVIEW_DUE

    assert run(dt.date(2026, 11, 5)) == 0  # Thursday: 2 working days left
    assert alerts == []
    assert run(dt.date(2026, 11, 6)) == 1  # Friday: 1 working day left (Sunday in calendar days)

    [(title, recipients, body)] = alerts
    assert (title, recipients) == ("催办提醒", [reviewer.id])
    assert body.endswith("的“审查”环节将于2026年11月9日到期，请及时办理。")
    assert run(dt.date(2026, 11, 7)) == 0  # the weekend sends nothing more


def test_remind_before_days_replaces_the_eighty_percent_rule_and_an_assignee_alone_is_reminded(
    open_case, department, reviewer, run, alerts
):
    case = open_case('<camunda:property name="remind_before_days" value="3"/>\n')
    make_staff("reviewer2", department, role="reviewer")
    [review] = open_tasks_of(subject_of(case))
    workflow.claim_task(task_id=review.id, user_id=reviewer.id)

    assert run(dt.date(2026, 11, 3)) == 0  # Tuesday: 4 working days left
    assert run(dt.date(2026, 11, 4)) == 1  # Wednesday: 3 left (the 80 % rule would wait for Friday)
    assert [(title, recipients) for title, recipients, _body in alerts] == [("催办提醒", [reviewer.id])]
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    [row] = selectors.board(supervisor.id, today=dt.date(2026, 11, 4))
    assert [t.level.value for t in row.tasks] == ["yellow"]


def test_an_overdue_step_is_escalated_to_its_departments_supervisor_once(
    open_case, department, other_department, reviewer, supervisor, run, alerts
):
    other_supervisor = make_staff("civil_supervisor", other_department, role="supervisor")
    case = open_case()
    [review] = open_tasks_of(subject_of(case))
    run(dt.date(2026, 11, 6))  # the reminder
    alerts.clear()

    assert run(dt.date(2026, 11, 10)) == 1  # overdue 1 working day: the red card, no escalation yet
    assert [title for title, _r, _b in alerts] == ["红牌超期"]
    assert not Intervention.objects.exists()

    assert run(dt.date(2026, 11, 11)) == 1  # overdue 2 working days: past the 1 day of grace
    assert alerts[1:] == [
        ("系统自动督办", [reviewer.id], alerts[1][2]),
        ("系统自动督办", [supervisor.id], alerts[2][2]),
    ]
    number = alerts[1][2].split("的")[0].removeprefix("办件")
    assert alerts[1][2] == f"办件{number}的“审查”环节已超期2个工作日（期限2026年11月9日），请尽快办理。"
    assert alerts[2][2] == (
        f"办件{number}的“审查”环节已超期2个工作日（期限2026年11月9日），已自动督办承办人，请跟进。"
    )
    assert other_supervisor.id not in {user_id for _t, recipients, _b in alerts for user_id in recipients}
    order = Intervention.objects.get()
    assert (order.application_id, order.kind, order.issued_by_id, order.task_id, order.label) == (
        case,
        "order",
        None,
        review.id,
        "系统自动督办",
    )
    assert order.message == "“审查”环节超期2个工作日（期限2026年11月9日），系统自动督办。"
    assert order.recipient_ids == sorted([reviewer.id, supervisor.id])

    assert run(dt.date(2026, 11, 11)) == 0  # the same day again
    run(dt.date(2026, 11, 12))  # the next day: only the case's own yellow card (8 of 10 days)
    assert [title for title, _r, _b in alerts[3:]] == ["黄牌预警"]
    assert "承诺时限" in alerts[3][2]
    assert Intervention.objects.count() == 1


def test_the_automatic_order_shows_on_the_board_and_the_case_page(open_case, supervisor, run, client):
    case = open_case()
    run(dt.date(2026, 11, 11))
    [row] = selectors.board(supervisor.id, today=dt.date(2026, 11, 11))
    assert (row.interventions, row.automatic_orders) == (1, 1)

    login_staff(client, supervisor)
    board = client.get(reverse("supervision:board")).content.decode()
    assert '<span class="tag level-red">系统自动督办</span>' in board
    page = client.get(reverse("applications:staff_case", args=[case])).content.decode()
    assert "系统自动督办</span>：“审查”环节超期2个工作日（期限2026年11月9日），系统自动督办。" in page


def test_without_escalate_in_the_definition_an_overdue_step_only_gets_its_red_card(
    open_case, reviewer, supervisor, run, alerts
):
    open_case("")  # the 审查 step without reminder or escalation properties

    assert run(dt.date(2026, 11, 20)) == 2  # the step's red card and the case's red card
    assert [(title, recipients) for title, recipients, _b in alerts] == [
        ("红牌超期", [reviewer.id]),
        ("红牌超期", [reviewer.id]),
    ]
    assert not Intervention.objects.exists()


def test_escalate_after_days_counts_working_days_across_a_holiday(open_case, reviewer, supervisor, run):
    case = open_case()
    set_calendar_day(dt.date(2026, 11, 11), is_working_day=False, name="本地假日")

    assert run(dt.date(2026, 11, 10)) == 1  # the step's red card
    assert run(dt.date(2026, 11, 11)) == 0  # a holiday: still 1 working day overdue
    assert not Intervention.objects.exists()
    assert run(dt.date(2026, 11, 12)) == 1  # Thursday: 2 working days overdue
    order = Intervention.objects.get()
    assert (order.application_id, order.message) == (
        case,
        "“审查”环节超期2个工作日（期限2026年11月9日），系统自动督办。",
    )


def test_the_reminder_day_moves_with_a_holiday_in_the_calendar_table(open_case, reviewer, run, alerts):
    # Friday 11-06 made a holiday before the case: 审查 is due Tue 11-10, reminded Mon 11-09.
    case = open_case(before=lambda: set_calendar_day(dt.date(2026, 11, 6), is_working_day=False))
    [review] = open_tasks_of(subject_of(case))
    assert review.due_date == dt.date(2026, 11, 10)

    assert run(dt.date(2026, 11, 6)) == 0
    assert run(dt.date(2026, 11, 8)) == 0  # Sunday: still 2 working days left
    assert run(dt.date(2026, 11, 9)) == 1
    assert [title for title, _r, _b in alerts] == ["催办提醒"]


def test_a_step_sent_back_and_reopened_is_reminded_again(open_case, department, reviewer, run, alerts):
    case = open_case()
    run(dt.date(2026, 11, 6))
    [review] = open_tasks_of(subject_of(case))
    approver = make_staff("market_approver", department, role="approver")
    with time_machine.travel(dt.datetime(2026, 11, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        applications.handle_task(task_id=review.id, staff_id=reviewer.id, action="pass", opinion="同意")
        [decide] = open_tasks_of(subject_of(case))
        workflow.send_back(
            task_id=decide.id, user_id=approver.id, target_element_id="review", reason="补充核查"
        )
    [again] = open_tasks_of(subject_of(case))
    assert (again.element_id, again.id != review.id) == ("review", True)
    alerts.clear()

    assert run(dt.date(2026, 11, 11)) == 0  # due 11-13 (5 working days from 11-06)
    run(dt.date(2026, 11, 12))
    assert [(title, recipients) for title, recipients, _b in alerts if title == "催办提醒"] == [
        ("催办提醒", [reviewer.id])
    ]
    assert "将于2026年11月13日到期" in alerts[0][2]


def test_a_step_waiting_for_a_correction_is_not_escalated(open_case, reviewer, supervisor, run):
    case = open_case()
    material = Application.objects.get(pk=case).materials.first()
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        applications.request_correction(
            application_id=case,
            staff_id=reviewer.id,
            reason="材料不清晰",
            fields=[],
            material_ids=[material.requirement_id],
        )

    run(dt.date(2026, 11, 11))
    assert not Intervention.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_escalate_once(open_case, reviewer, supervisor, alerts):
    case = open_case()
    barrier = threading.Barrier(2)
    sent = []

    def job() -> None:
        try:
            barrier.wait()
            sent.append(services.send_deadline_warnings(today=dt.date(2026, 11, 11)))
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) in ([0, 2], [1, 1])  # the step's red card and its escalation, once each
    assert sorted(title for title, _r, _b in alerts) == ["系统自动督办", "系统自动督办", "红牌超期"]
    assert Intervention.objects.get().application_id == case


def test_timeout_action_escalate_is_the_same_escalation_after_timeout_after_days(
    open_case, reviewer, supervisor, run
):
    # Issue 14's name for it: timeout_action=escalate (to supervisor) after 1 working day of grace.
    case = open_case(
        '<camunda:property name="timeout_action" value="escalate"/>\n'
        '          <camunda:property name="timeout_after_days" value="1"/>\n'
    )

    assert run(dt.date(2026, 11, 10)) == 1  # the step's red card only: 1 working day overdue
    assert not Intervention.objects.exists()
    assert run(dt.date(2026, 11, 11)) == 1  # 2 working days overdue: escalated
    assert run(dt.date(2026, 11, 11)) == 0  # once
    order = Intervention.objects.get()
    assert (order.application_id, order.message) == (
        case,
        "“审查”环节超期2个工作日（期限2026年11月9日），系统自动督办。",
    )
    assert supervisor.id in order.recipient_ids
