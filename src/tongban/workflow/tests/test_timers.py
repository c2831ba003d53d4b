"""BPMN timers fire: an intermediate timer after its duration, a boundary timer on a human step
after 2 working days (the calendar's weekend and a holiday skipped), interrupting or not; each
once, however often the periodic job runs (and on PostgreSQL when two runs race).

The clock: the 审批 step opens on Fri 2026-11-06 at 10:00 (Beijing). Mon 11-09 is made a holiday
in the calendar table, so 2 working days later is Wed 11-11 at 10:00; 2 natural days would be
Sun 11-08."""

import datetime as dt
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff
from django.core.management import call_command
from django.db import connection

from tongban.core.calendar import seed_year, set_calendar_day
from tongban.workflow import engine, services, tasks
from tongban.workflow.models import ProcessInstance, TaskStatus, WorkTask
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.tests.bpmn_builders import boundary_escalation, timer_then_review

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = dt.datetime(2026, 11, 6, 10, 0, tzinfo=SHANGHAI)
HOLIDAY = dt.date(2026, 11, 9)
DUE = dt.datetime(2026, 11, 11, 10, 0, tzinfo=SHANGHAI)


def _fire_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return services.fire_due_timers()


def _start(key: str, data: bytes, editor, department, subject: str = "req:1"):
    services.upload_definition(key=key, data=data, uploaded_by_id=editor.id)
    return services.start_instance(definition_key=key, subject=subject, department_id=department.pk, data={})


@pytest.fixture
def calendar(db):
    seed_year(2026)
    set_calendar_day(HOLIDAY, is_working_day=False, name="测试假日")


@pytest.mark.django_db
def test_an_intermediate_timer_fires_once_after_its_duration(editor, department):
    with time_machine.travel(FRIDAY, tick=False):
        started = _start("waits", timer_then_review('"PT2H"'), editor, department)
    assert started.opened == []
    instance = ProcessInstance.objects.get(subject="req:1")
    assert instance.next_timer_at == FRIDAY + dt.timedelta(hours=2)

    assert _fire_at(FRIDAY + dt.timedelta(hours=1, minutes=59)) == 0
    assert open_tasks_of("req:1") == []
    assert _fire_at(FRIDAY + dt.timedelta(hours=2, seconds=1)) == 1
    assert [task.name for task in open_tasks_of("req:1")] == ["审查"]
    assert ProcessInstance.objects.get(subject="req:1").next_timer_at is None
    assert _fire_at(FRIDAY + dt.timedelta(hours=3)) == 0
    assert WorkTask.objects.filter(instance__subject="req:1").count() == 1


def test_working_day_due_skips_the_weekend_and_the_holiday_of_the_calendar(calendar):
    assert engine.working_day_due(FRIDAY, "P2D") == DUE
    assert engine.working_day_due(FRIDAY, "P1DT2H") == dt.datetime(2026, 11, 10, 12, 0, tzinfo=SHANGHAI)
    assert engine.working_day_due(FRIDAY, "P1W") == dt.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("interrupting", [True, False])
def test_a_boundary_timer_escalates_after_two_working_days(calendar, editor, department, interrupting):
    make_staff("approver", department, "approver")
    make_staff("supervisor", department, "supervisor")
    with time_machine.travel(FRIDAY, tick=False):
        [approve] = _start(
            "escalates", boundary_escalation(interrupting=interrupting), editor, department
        ).opened
    assert ProcessInstance.objects.get(subject="req:1").next_timer_at == DUE

    # Sunday (2 natural days) and Tuesday (the holiday Monday is not counted): nothing yet.
    assert _fire_at(dt.datetime(2026, 11, 8, 11, 0, tzinfo=SHANGHAI)) == 0
    assert _fire_at(dt.datetime(2026, 11, 10, 10, 30, tzinfo=SHANGHAI)) == 0
    assert [task.name for task in open_tasks_of("req:1")] == ["审批"]

    assert _fire_at(DUE + dt.timedelta(minutes=1)) == 1
    assert _fire_at(DUE + dt.timedelta(minutes=2)) == 0  # once

    original = WorkTask.objects.get(pk=approve.id)
    [escalation] = WorkTask.objects.filter(instance__subject="req:1", element_id="escalation")
    assert (escalation.status, escalation.role, escalation.department_id) == (
        "open",
        "supervisor",
        department.pk,
    )
    if interrupting:
        assert (original.status, original.action, original.action_label) == (
            TaskStatus.CANCELLED,
            "timer_cancelled",
            "定时器到期，环节已取消",
        )
        assert [task.name for task in open_tasks_of("req:1")] == ["督办"]
    else:
        assert original.status == TaskStatus.OPEN
        assert sorted(task.name for task in open_tasks_of("req:1")) == ["审批", "督办"]


def test_a_boundary_timer_does_not_fire_once_its_step_is_done(calendar, editor, department):
    approver = make_staff("approver", department, "approver")
    with time_machine.travel(FRIDAY, tick=False):
        [approve] = _start("escalates", boundary_escalation(interrupting=True), editor, department).opened
        services.complete_task(
            task_id=approve.id, user_id=approver.id, action="pass", action_label="通过", opinion="", data={}
        )
    instance = ProcessInstance.objects.get(subject="req:1")
    assert (instance.status, instance.next_timer_at) == ("completed", None)
    assert _fire_at(DUE + dt.timedelta(days=1)) == 0


def test_a_suspended_instance_waits_and_fires_after_it_is_resumed(calendar, editor, department):
    admin = make_staff("admin", department, "department_admin")
    with time_machine.travel(FRIDAY, tick=False):
        _start("escalates", boundary_escalation(interrupting=True), editor, department)
    instance = ProcessInstance.objects.get(subject="req:1")
    services.suspend_instance(instance_id=instance.pk, admin_id=admin.id, reason="核实情况")
    assert _fire_at(DUE + dt.timedelta(minutes=1)) == 0
    services.resume_instance(instance_id=instance.pk, admin_id=admin.id)
    assert _fire_at(DUE + dt.timedelta(minutes=2)) == 1
    assert [task.name for task in open_tasks_of("req:1")] == ["督办"]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_job_runs_fire_a_timer_once(editor, department):
    seed_year(2026)
    set_calendar_day(HOLIDAY, is_working_day=False, name="测试假日")
    with time_machine.travel(FRIDAY, tick=False):
        for number in range(5):
            _start(
                "escalates",
                boundary_escalation(interrupting=True),
                editor,
                department,
                subject=f"req:{number}",
            )
    barrier = threading.Barrier(2)
    fired = [0, 0]

    def run(index: int) -> None:
        try:
            barrier.wait()
            fired[index] = services.fire_due_timers(now=DUE + dt.timedelta(minutes=1))
        finally:
            connection.close()

    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sum(fired) == 5
    assert WorkTask.objects.filter(element_id="escalation").count() == 5
    assert WorkTask.objects.filter(element_id="approve", status=TaskStatus.CANCELLED).count() == 5
    assert not ProcessInstance.objects.filter(next_timer_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_jobs_are_scheduled_with_celery_beat_and_run_as_celery_tasks(settings, editor, department):
    assert settings.CELERY_BEAT_SCHEDULE["fire-due-timers"] == {
        "task": tasks.fire_due_timers.name,
        "schedule": 60,
    }
    assert settings.CELERY_BEAT_SCHEDULE["step-timeout-actions"]["task"] == tasks.apply_timeout_actions.name
    with time_machine.travel(FRIDAY, tick=False):
        _start("waits", timer_then_review('"PT1H"'), editor, department)
    with time_machine.travel(FRIDAY + dt.timedelta(hours=2), tick=False):
        assert tasks.fire_due_timers.apply().get() == 1
        assert tasks.fire_due_timers.apply().get() == 0


@pytest.mark.django_db
def test_a_timer_date_fires_at_that_time(editor, department):
    data = timer_then_review('"2026-11-06T15:00:00+08:00"').replace(b"timeDuration", b"timeDate")
    with time_machine.travel(FRIDAY, tick=False):
        _start("waits", data, editor, department)
    fires_at = dt.datetime(2026, 11, 6, 15, 0, tzinfo=SHANGHAI)
    assert ProcessInstance.objects.get(subject="req:1").next_timer_at == fires_at
    assert _fire_at(fires_at - dt.timedelta(minutes=1)) == 0
    assert _fire_at(fires_at + dt.timedelta(minutes=1)) == 1
    assert [task.name for task in open_tasks_of("req:1")] == ["审查"]


@pytest.mark.django_db
def test_make_run_runs_the_beat_schedule_in_process(settings, editor, department):
    settings.CELERY_BEAT_SCHEDULE = {"fire-due-timers": settings.CELERY_BEAT_SCHEDULE["fire-due-timers"]}
    with time_machine.travel(FRIDAY, tick=False):
        _start("waits", timer_then_review('"PT1H"'), editor, department)
    out = io.StringIO()
    with time_machine.travel(FRIDAY + dt.timedelta(hours=2), tick=False):
        call_command("run_periodic_jobs", "--once", stdout=out)
    assert out.getvalue() == "fire-due-timers: 1\n"
    assert [task.name for task in open_tasks_of("req:1")] == ["审查"]
