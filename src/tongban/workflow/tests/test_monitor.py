"""流程监控: department administrators list instances, suspend/resume, terminate with a reason and
reset a task's handler; each refused without a reason, and out of their departments nothing is found."""

import datetime as dt

import pytest
from conftest import make_staff
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow import selectors, services
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import ProcessInstance, TaskOperation, WorkTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(department):
    return services.start_instance(
        definition_key="standard", subject="case:m1", department_id=department.pk, data={}
    )


def test_suspended_tasks_cannot_be_completed_until_resumed(department, running):
    admin = make_staff("admin", department, "department_admin")
    clerk = make_staff("clerk", department, "clerk")
    with pytest.raises(WorkflowError, match="请填写理由"):
        services.suspend_instance(instance_id=running.instance_id, admin_id=admin.id, reason="")
    services.suspend_instance(instance_id=running.instance_id, admin_id=admin.id, reason="等待司法机关协查")
    [accept] = running.opened
    with pytest.raises(TaskConflict, match="流程已挂起"):
        services.complete_task(
            task_id=accept.id,
            user_id=clerk.id,
            action="accept",
            action_label="受理",
            opinion="",
            data={"accepted": True},
        )
    services.resume_instance(instance_id=running.instance_id, admin_id=admin.id)
    services.complete_task(
        task_id=accept.id,
        user_id=clerk.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    )


def test_terminate_cancels_open_tasks_and_an_outsider_finds_nothing(department, other_department, running):
    admin = make_staff("admin", department, "department_admin")
    outsider = make_staff("outsider", other_department, "department_admin")
    with pytest.raises(TaskNotFound):
        services.terminate_instance(instance_id=running.instance_id, admin_id=outsider.id, reason="x")
    assert selectors.monitored_instances(outsider.id) == []
    services.terminate_instance(
        instance_id=running.instance_id, admin_id=admin.id, reason="申请人死亡，依法终止"
    )
    instance = ProcessInstance.objects.get(pk=running.instance_id)
    assert (instance.status, instance.status_reason) == ("terminated", "申请人死亡，依法终止")
    assert list(WorkTask.objects.values_list("status", flat=True)) == ["cancelled"]


def test_reset_handler_only_to_a_holder_of_the_role_and_recorded(department, running):
    admin = make_staff("admin", department, "department_admin")
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    [accept] = running.opened
    with pytest.raises(WorkflowError, match="同一岗位"):
        services.reassign_task(task_id=accept.id, admin_id=admin.id, to_user_id=reviewer.id, reason="调整")
    services.reassign_task(task_id=accept.id, admin_id=admin.id, to_user_id=clerk.id, reason="原经办人离职")
    assert WorkTask.objects.get(pk=accept.id).assignee_id == clerk.id
    [op] = TaskOperation.objects.all()
    assert (op.kind, op.to_user_id, op.reason) == ("reassign", clerk.id, "原经办人离职")


def test_the_monitor_page_lists_instances_for_administrators_only(client, department, running):
    login_staff(client, make_staff("clerk", department, "clerk"))
    assert client.get(reverse("workflow:monitor")).status_code == 404
    login_staff(client, make_staff("admin", department, "department_admin"))
    page = client.get(reverse("workflow:monitor")).content.decode()
    assert "case:m1（一般事项标准流程 v1）" in page
    response = client.post(
        reverse("workflow:monitor_action", args=[running.instance_id]),
        {"action": "suspend", "reason": "协查"},
    )
    assert response.status_code == 302
    assert ProcessInstance.objects.get(pk=running.instance_id).status == "suspended"


def test_instances_filter_by_department_and_minimum_age(department, other_department, running):
    admin = make_staff("admin", department, "department_admin")
    make_staff("admin", other_department, "department_admin")  # the same person, for a second department
    services.start_instance(
        definition_key="standard", subject="case:m2", department_id=other_department.pk, data={}
    )
    ProcessInstance.objects.filter(subject="case:m1").update(
        started_at=timezone.now() - dt.timedelta(days=10)
    )
    assert {r.subject for r in selectors.monitored_instances(admin.id)} == {"case:m1", "case:m2"}
    assert [
        r.subject for r in selectors.monitored_instances(admin.id, department_id=other_department.pk)
    ] == ["case:m2"]
    old = selectors.monitored_instances(admin.id, min_age_days=7)
    assert [(r.subject, r.age_days) for r in old] == [("case:m1", 10)]


def test_the_monitor_page_filters_by_department(client, department, other_department, running):
    admin = make_staff("admin", department, "department_admin")
    make_staff("admin", other_department, "department_admin")
    login_staff(client, admin)
    page = client.get(reverse("workflow:monitor"), {"department": other_department.pk}).content.decode()
    assert "case:m1" not in page
    assert 'id="f-department"' in page
    assert "case:m1" in client.get(reverse("workflow:monitor"), {"min_age": "0"}).content.decode()


@pytest.fixture
def joint_case(department, other_department):
    """A joint approval led by ``department`` whose 税务 lane is handled in ``other_department``."""
    started = services.start_instance(
        definition_key="joint_startup",
        subject="case:j1",
        department_id=department.pk,
        data={},
        lane_departments={"税务": other_department.pk},
    )
    clerk = make_staff("clerk", department, "clerk")
    [accept] = started.opened
    services.claim_task(task_id=accept.id, user_id=clerk.id)
    services.complete_task(
        task_id=accept.id,
        user_id=clerk.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    )
    return ProcessInstance.objects.get(subject="case:j1")


def test_a_lane_departments_administrator_monitors_the_case_and_resets_only_its_steps(
    client, department, other_department, joint_case
):
    tax_admin = make_staff("tax_admin", other_department, "department_admin")
    tax_approver = make_staff("tax_approver", other_department, "approver")
    [row] = selectors.monitored_instances(tax_admin.id)
    assert row.subject == "case:j1"
    assert [r.subject for r in selectors.monitored_instances(tax_admin.id, department_id=department.pk)] == []
    tax_step = WorkTask.objects.get(instance=joint_case, name="税务登记")
    market_step = WorkTask.objects.get(instance=joint_case, name="市场监管登记")

    services.reassign_task(
        task_id=tax_step.id, admin_id=tax_admin.id, to_user_id=tax_approver.id, reason="专人办理"
    )
    assert WorkTask.objects.get(pk=tax_step.id).assignee_id == tax_approver.id
    with pytest.raises(TaskNotFound):
        services.reassign_task(task_id=market_step.id, admin_id=tax_admin.id, to_user_id=None, reason="x")
    with pytest.raises(TaskNotFound):
        services.suspend_instance(instance_id=joint_case.pk, admin_id=tax_admin.id, reason="x")
    assert ProcessInstance.objects.get(pk=joint_case.pk).status == "running"
    assert WorkTask.objects.get(pk=market_step.id).assignee_id is None

    login_staff(client, tax_admin)
    page = client.get(reverse("workflow:monitor")).content.decode()
    assert f"您管理的部门：{other_department.name}。" in page
    assert "case:j1（企业开办并联审批 v1）" in page
    assert page.count('name="action" value="reassign"') == 1  # its own lane's step only
    assert 'value="suspend"' not in page


def test_the_monitor_names_every_department_administered(client, department, other_department):
    admin = make_staff("admin", department, "department_admin")
    make_staff("admin", other_department, "department_admin")
    login_staff(client, admin)
    page = client.get(reverse("workflow:monitor")).content.decode()
    names = sorted([department, other_department], key=lambda d: d.short_name)
    assert f"您管理的部门：{names[0].name}、{names[1].name}。" in page


# Measured: session, user, the administered departments, the instances, their open tasks in one
# query, the holders of their steps once per role, and the navigation's counts (待办, 抄送, 待阅,
# 通知公告).
MONITOR_QUERIES = 21  # issue 16: the navigation's 信息待阅, 通知公告 and 会议 counts


def test_the_monitor_page_costs_the_same_queries_for_three_instances_as_for_six(
    client, department, django_assert_max_num_queries
):
    login_staff(client, make_staff("admin", department, "department_admin"))
    for batch in (range(3), range(3, 6)):
        for n in batch:
            services.start_instance(
                definition_key="standard", subject=f"case:q{n}", department_id=department.pk, data={}
            )
        with django_assert_max_num_queries(MONITOR_QUERIES):
            response = client.get(reverse("workflow:monitor"))
        assert response.content.decode().count("（一般事项标准流程 v1）") == len(batch) + batch.start
