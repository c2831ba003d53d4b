"""Case handling through the services: the standard flow, joint approval, and the clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import selectors, services
from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.events import application_closed
from tongban.applications.models import Application, ProcessBinding
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.types import ProcessStepData, SpecialProcedureData
from tongban.core.calendar import seed_year
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow.errors import WorkflowError
from tongban.workflow.selectors import instance_of, open_tasks_of, process_record, task_for
from tongban.workflow.services import terminate_instance, upload_definition
from tongban.workflow.subjects import on_hold
from tongban.workflow.tests.helpers import miwg

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


@pytest.fixture
def staff(department):
    return {
        role: make_staff(f"market_{role}", department, role=role)
        for role in ("clerk", "reviewer", "approver")
    }


def _submitted(citizen, item) -> int:
    application_id = draft_with_materials(
        applicant_id=citizen.id, item=item, answers={"address": "滨江路1号"}
    )
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return application_id


def _act(application_id, user, step, action, opinion="同意", **extra):
    mine = [
        t for t in open_tasks_of(subject_of(application_id)) if t.step == step and task_for(user.id, t.id)
    ]
    [task] = mine or [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
    return services.handle_task(task_id=task.id, staff_id=user.id, action=action, opinion=opinion, **extra)


def test_the_standard_flow_from_intake_to_delivery(
    citizen, department, publish_item, staff, django_capture_on_commit_callbacks
):
    item = publish_item(department)
    application_id = _submitted(citizen, item)
    closed = []
    application_closed.connect(lambda **kw: closed.append(kw), weak=False, dispatch_uid="test-closed")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _act(application_id, staff["clerk"], "accept", "accept", "材料齐全，予以受理")
            _act(application_id, staff["reviewer"], "review", "pass", "符合法定条件")
            _act(application_id, staff["approver"], "decide", "approve", "同意")
            _act(application_id, staff["clerk"], "close", "close", "")
            finished = _act(
                application_id, staff["clerk"], "deliver", "deliver", "", delivery_method="electronic"
            )
    finally:
        application_closed.disconnect(dispatch_uid="test-closed")

    assert finished.finished
    application = Application.objects.get(pk=application_id)
    assert (application.status, application.result, application.delivery_method) == (
        "closed",
        "approved",
        "electronic",
    )
    assert application.accepted_at <= application.closed_at <= application.delivered_at
    assert [(r.name, r.action_label, r.opinion) for r in process_record(subject_of(application_id))] == [
        ("受理", "受理", "材料齐全，予以受理"),
        ("审查", "审查通过", "符合法定条件"),
        ("决定", "准予", "同意"),
        ("办结", "办结", ""),
        ("送达", "送达", ""),
    ]
    assert [(c["application_id"], c["result"]) for c in closed] == [(application_id, "approved")]
    assert list(application.events.values_list("to_status", flat=True)) == ["submitted", "accepted", "closed"]


def test_a_denial_needs_a_reason_and_closes_as_denied(citizen, department, publish_item, staff):
    application_id = _submitted(citizen, publish_item(department))
    _act(application_id, staff["clerk"], "accept", "accept")
    _act(application_id, staff["reviewer"], "review", "pass")
    with pytest.raises(ApplicationError, match="请填写办理意见"):
        _act(application_id, staff["approver"], "decide", "deny", opinion="  ")
    _act(application_id, staff["approver"], "decide", "deny", opinion="不符合《条例》第十条规定的条件")
    _act(application_id, staff["clerk"], "close", "close")
    assert Application.objects.get(pk=application_id).result == "denied"


def test_T_H1_a_reviewer_cannot_take_the_approvers_decision(citizen, department, publish_item, staff):
    application_id = _submitted(citizen, publish_item(department))
    _act(application_id, staff["clerk"], "accept", "accept")
    _act(application_id, staff["reviewer"], "review", "pass")
    with pytest.raises(ApplicationError) as refused:
        _act(application_id, staff["reviewer"], "decide", "approve")
    assert refused.value.status == 404
    assert Application.objects.get(pk=application_id).status == "accepted"


def test_an_instant_item_is_accepted_and_closed_by_the_clerk(citizen, department, publish_item, staff):
    item = publish_item(department, is_instant=True, promised_limit=0)
    application_id = _submitted(citizen, item)
    _act(application_id, staff["clerk"], "accept", "accept")
    finished = _act(application_id, staff["clerk"], "close", "approve", "")
    assert finished.finished
    assert Application.objects.get(pk=application_id).result == "approved"


def test_joint_approval_waits_for_every_department_and_one_denial_ends_in_denied(
    citizen, department, publish_item
):
    tax, social, police = (DepartmentFactory(name=n, short_name=n) for n in ("税务局", "人社局", "公安局"))
    item = publish_item(department)
    ProcessBinding.objects.create(
        item_id=item.item_id,
        definition_key="joint_startup",
        lane_departments={"税务": tax.pk, "社保": social.pk, "公章刻制": police.pk},
    )
    clerk = make_staff("hall_clerk", department, role="clerk")
    approvers = {
        "市场监管登记": make_staff("market_approver", department, role="approver"),
        "税务登记": make_staff("tax_approver", tax, role="approver"),
        "社保登记": make_staff("social_approver", social, role="approver"),
        "公章刻制备案": make_staff("police_approver", police, role="approver"),
    }
    application_id = _submitted(citizen, item)
    _act(application_id, clerk, "accept", "accept")
    parallel = open_tasks_of(subject_of(application_id))
    assert sorted(t.name for t in parallel) == sorted(approvers)

    for task in sorted(parallel, key=lambda t: t.name):
        deny = task.name == "税务登记"
        services.handle_task(
            task_id=task.id,
            staff_id=approvers[task.name].id,
            action="deny" if deny else "approve",
            opinion="存在欠税记录" if deny else "同意",
        )
        remaining = open_tasks_of(subject_of(application_id))
        if remaining and remaining[0].step == "decide":
            assert Application.objects.get(pk=application_id).status == "accepted"  # waits for all
    [close] = open_tasks_of(subject_of(application_id))
    assert close.name == "办结（不予）"
    services.handle_task(task_id=close.id, staff_id=clerk.id, action="close", opinion="")
    assert Application.objects.get(pk=application_id).result == "denied"


@time_machine.travel(dt.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_correction_across_national_day_pauses_the_clock(citizen, department, publish_item, staff):
    seed_year(2026)
    item = publish_item(department, promised_limit=10)
    application_id = _submitted(citizen, item)
    # Receipt Mon 9-28 is not counted: 9-29, 9-30, (10-01..10-07 国庆), 10-08, 10-09, 10-10 (调休 Sat),
    # 10-12, 10-13, 10-14, 10-15, 10-16.
    assert Application.objects.get(pk=application_id).promised_finish_date == dt.date(2026, 10, 16)
    _act(application_id, staff["clerk"], "accept", "accept")

    with time_machine.travel(dt.datetime(2026, 9, 29, 14, 0, tzinfo=SHANGHAI), tick=False):
        services.request_correction(
            application_id=application_id,
            staff_id=staff["reviewer"].id,
            reason="地址不完整",
            fields=["address"],
            material_ids=[],
        )
        with pytest.raises(ApplicationStateError, match="等待申请人补正"):
            _act(application_id, staff["reviewer"], "review", "pass")
    with time_machine.travel(dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.save_correction_answers(
            application_id=application_id, applicant_id=citizen.id, answers={"address": "滨江路1号3栋201室"}
        )
        services.resubmit_correction(application_id=application_id, applicant_id=citizen.id)
    application = Application.objects.get(pk=application_id)
    # Paused working days after 9-29 up to the resubmission: 9-30, 10-08, 10-09 → 3 more: 10-19..10-21.
    assert application.promised_finish_date == dt.date(2026, 10, 21)
    assert application.status == "accepted"  # back to review, where the correction was asked
    _act(application_id, staff["reviewer"], "review", "pass")


@time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_special_procedure_pauses_the_clock_and_needs_a_reason(citizen, department, publish_item, staff):
    seed_year(2026)
    item = publish_item(
        department,
        promised_limit=5,
        steps=tuple(
            ProcessStepData(name=name, limit=limit)
            for name, limit in (("受理", 1), ("审核", 3), ("审批", 1), ("办结", 0), ("送达", 0))
        ),
        special_procedures=(SpecialProcedureData(kind="专家评审", limit=10, limit_unit="working_day"),),
    )
    application_id = _submitted(citizen, item)
    _act(application_id, staff["clerk"], "accept", "accept")
    [review] = open_tasks_of(subject_of(application_id))
    assert review.due_date == dt.date(2026, 11, 5)  # the item's 审查 step: 3 working days
    reviewer = staff["reviewer"].id
    with pytest.raises(ApplicationError, match="请输入启动特别程序的理由"):
        services.start_special_procedure(
            application_id=application_id, staff_id=reviewer, kind="专家评审", reason=""
        )
    assert not on_hold([subject_of(application_id)])
    services.start_special_procedure(
        application_id=application_id, staff_id=reviewer, kind="专家评审", reason="技术复杂"
    )
    # While it runs, no timeout action of the workflow acts on the case.
    assert on_hold([subject_of(application_id), "application:0"]) == {subject_of(application_id)}
    with time_machine.travel(dt.datetime(2026, 11, 9, 9, 0, tzinfo=SHANGHAI), tick=False):
        new_date = services.end_special_procedure(
            application_id=application_id, staff_id=reviewer, outcome="通过"
        )
    assert not on_hold([subject_of(application_id)])
    # 5 working days from Mon 11-02 is Mon 11-09; paused 11-03..11-09 = 5 working days → Mon 11-16.
    assert new_date == dt.date(2026, 11, 16)


def test_T_B3_a_joint_department_reads_the_case_only_while_its_task_is_open(
    citizen, department, publish_item
):
    tax = DepartmentFactory(name="税务局", short_name="税务局")
    item = publish_item(department)
    services.bind_item_process(
        item_id=item.item_id, definition_key="joint_startup", lane_departments={"税务": tax.pk}
    )
    clerk = make_staff("hall_clerk", department, role="clerk")
    tax_approver = make_staff("tax_approver", tax, role="approver")
    application_id = _submitted(citizen, item)
    other_case = _submitted(
        ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD),
        publish_item(department),
    )
    assert selectors.get_application_for_staff(tax_approver.id, application_id) is None  # not yet involved

    _act(application_id, clerk, "accept", "accept")
    assert selectors.get_application_for_staff(tax_approver.id, application_id) is not None
    assert selectors.get_application_for_staff(tax_approver.id, other_case) is None
    _act(application_id, tax_approver, "decide", "approve")
    assert selectors.get_application_for_staff(tax_approver.id, application_id) is None


def test_binding_refuses_a_lane_the_process_does_not_have(department, publish_item):
    item = publish_item(department)
    with pytest.raises(ApplicationError, match="没有泳道：海关"):
        services.bind_item_process(
            item_id=item.item_id, definition_key="joint_startup", lane_departments={"海关": department.pk}
        )
    assert not ProcessBinding.objects.exists()


def test_binding_refuses_a_view_only_definition_and_nothing_is_bound(department, publish_item, editor):
    item = publish_item(department)
    upload_definition(
        key="drawn",
        data=miwg("A.1.0"),
        uploaded_by_id=editor.id,
        view_only_if_not_runnable=True,
    )
    with pytest.raises(WorkflowError, match="仅供查看（不可运行），不能用于办件"):
        services.bind_item_process(item_id=item.item_id, definition_key="drawn", lane_departments={})
    assert not ProcessBinding.objects.exists()


def test_sending_back_to_intake_makes_the_case_wait_for_intake_again(
    citizen, department, publish_item, staff
):
    application_id = _submitted(citizen, publish_item(department))
    _act(application_id, staff["clerk"], "accept", "accept")
    [review] = open_tasks_of(subject_of(application_id))
    services.send_back_task(
        task_id=review.id, staff_id=staff["reviewer"].id, target_element_id="accept", reason="受理意见不完整"
    )
    application = selectors.get_application_for_staff(staff["clerk"].id, application_id)
    assert application.status == "submitted"
    assert application.events.last().note == "受理意见不完整"
    [accept] = open_tasks_of(subject_of(application_id))
    assert (accept.step, accept.return_reason) == ("accept", "受理意见不完整")


def test_a_closed_case_cannot_be_withdrawn(citizen, department, publish_item, staff):
    application_id = _submitted(citizen, publish_item(department))
    _act(application_id, staff["clerk"], "accept", "accept")
    _act(application_id, staff["reviewer"], "review", "pass")
    _act(application_id, staff["approver"], "decide", "approve")
    [close] = open_tasks_of(subject_of(application_id))
    services.handle_task(task_id=close.id, staff_id=staff["clerk"].id, action="close")
    with pytest.raises(ApplicationStateError, match="不能撤回"):
        services.withdraw_task(task_id=close.id, staff_id=staff["clerk"].id)


def test_direct_return_keeps_the_skipped_decision(citizen, department, publish_item, staff):
    """直送 from 办结 to 审查: 决定 is skipped on the way back and its 准予 still stands."""
    application_id = _submitted(citizen, publish_item(department))
    _act(application_id, staff["clerk"], "accept", "accept")
    _act(application_id, staff["reviewer"], "review", "pass")
    _act(application_id, staff["approver"], "decide", "approve")
    [close] = open_tasks_of(subject_of(application_id))
    services.send_back_task(
        task_id=close.id,
        staff_id=staff["clerk"].id,
        target_element_id="review",
        reason="证明过期",
        direct=True,
    )
    _act(application_id, staff["reviewer"], "review", "pass")
    [close_again] = open_tasks_of(subject_of(application_id))
    services.handle_task(task_id=close_again.id, staff_id=staff["clerk"].id, action="close")
    assert selectors.get_application_for_staff(staff["clerk"].id, application_id).result == "approved"


def test_a_terminated_process_closes_the_application_as_voided(
    citizen, department, publish_item, staff, django_capture_on_commit_callbacks
):

    application_id = _submitted(citizen, publish_item(department))
    admin = make_staff("dept_admin", department, role="department_admin")
    with django_capture_on_commit_callbacks(execute=True):
        terminate_instance(
            instance_id=instance_of(subject_of(application_id)).pk, admin_id=admin.id, reason="重复申请"
        )
    application = selectors.get_application_for_staff(staff["clerk"].id, application_id)
    assert (application.status, application.result) == ("closed", "voided")
    assert application.events.last().note == "重复申请"
