"""Per-step timeout actions: approve / reject complete an overdue step as the system with a recorded
opinion, through the normal completion path (the next step opens, or the process ends), once, on a
working day after the deadline; remind / escalate are supervision's reminders and 督办.

The clock: the 审批 step opens on Mon 2026-11-02 with 1 working day, so it is due Tue 11-03."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff

from tongban.core.calendar import seed_year
from tongban.workflow import countersign, engine, services, subjects
from tongban.workflow.models import ProcessInstance, TaskStatus, WorkTask
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.tests.bpmn_builders import approval_with_timeout
from tongban.workflow.timers import StepTimers, step_timers

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
DUE = dt.date(2026, 11, 3)


@pytest.fixture
def started(db, editor, department):
    seed_year(2026)
    make_staff("approver", department, "approver")

    def _start(action: str, **options: str):
        services.upload_definition(
            key="times_out", data=approval_with_timeout(action, **options), uploaded_by_id=editor.id
        )
        with time_machine.travel(MONDAY, tick=False):
            [decide] = services.start_instance(
                definition_key="times_out", subject="req:1", department_id=department.pk, data={}
            ).opened
        assert decide.due_date == DUE
        return decide

    return _start


def test_an_overdue_step_is_approved_by_the_system_on_the_next_working_day(started):
    decide = started("approve")
    assert services.apply_timeout_actions(today=DUE) == 0  # due today: not yet
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 1
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 0  # once

    task = WorkTask.objects.get(pk=decide.id)
    assert (task.status, task.action, task.action_label, task.opinion, task.assignee_id) == (
        TaskStatus.COMPLETED,
        "approve",
        "超时自动通过",
        "超时自动通过",
        None,
    )
    assert [t.name for t in open_tasks_of("req:1")] == ["办理"]
    instance = ProcessInstance.objects.get(subject="req:1")
    assert engine.variables(engine.load(instance.definition.spec, instance.state))["approved"] is True


def test_an_overdue_step_is_rejected_by_the_system_and_the_process_ends(started):
    decide = started("reject")
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 1
    task = WorkTask.objects.get(pk=decide.id)
    assert (task.action, task.action_label, task.opinion) == ("reject", "超时自动不通过", "超时自动不通过")
    instance = ProcessInstance.objects.get(subject="req:1")
    assert instance.status == "completed"
    assert engine.load(instance.definition.spec, instance.state).data["approved"] is False
    assert open_tasks_of("req:1") == []


def test_the_grace_days_are_working_days_and_nothing_happens_on_a_weekend(started):
    started("approve", after_days="3")  # due Tue 11-03; 3 working days later is Fri 11-06
    assert services.apply_timeout_actions(today=dt.date(2026, 11, 6)) == 0
    assert services.apply_timeout_actions(today=dt.date(2026, 11, 7)) == 0  # Saturday
    assert services.apply_timeout_actions(today=dt.date(2026, 11, 8)) == 0  # Sunday
    assert services.apply_timeout_actions(today=dt.date(2026, 11, 9)) == 1  # Monday


def test_a_suspended_instance_is_skipped_until_it_is_resumed(started, department):
    decide = started("approve")
    admin = make_staff("admin", department, "department_admin")
    instance = ProcessInstance.objects.get(subject="req:1")
    services.suspend_instance(instance_id=instance.pk, admin_id=admin.id, reason="核实")
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 0
    assert WorkTask.objects.get(pk=decide.id).status == TaskStatus.OPEN
    services.resume_instance(instance_id=instance.pk, admin_id=admin.id)
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 1


def test_a_subject_on_hold_is_skipped_until_its_owner_releases_it(started):
    """An application waiting for 补正 is on hold (its owner says so through subjects.register_hold)."""
    decide = started("approve")
    held = {"req:1"}
    subjects.register_hold("req:", lambda asked: held & set(asked))
    try:
        assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 0
        assert WorkTask.objects.get(pk=decide.id).status == TaskStatus.OPEN
        held.clear()
        assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 1
    finally:
        subjects.unregister_hold("req:")


def test_a_step_being_signed_is_skipped(started, department):
    decide = started("approve")
    approver = make_staff("approver_b", department, "approver")
    countersign.add_signers(
        task_id=decide.id,
        user_id=make_staff("approver_a", department, "approver").id,
        signer_ids=[approver.id],
        before=True,
        reason="请先会商",
    )
    assert services.apply_timeout_actions(today=DUE + dt.timedelta(days=1)) == 0
    assert WorkTask.objects.get(pk=decide.id).status == TaskStatus.OPEN


def test_escalate_and_remind_are_supervisions_escalation_and_reminder():
    assert step_timers({"timeout_action": "escalate", "timeout_after_days": "2"}) == StepTimers(
        remind_before_days=None,
        escalate_to="supervisor",
        escalate_after_days=2,
        timeout_action="escalate",
        timeout_after_days=2,
    )
    assert step_timers({"timeout_action": "escalate", "escalate": "department_admin"}).escalate_to == (
        "department_admin"
    )
    assert step_timers({"timeout_action": "remind"}).escalate_to == ""
