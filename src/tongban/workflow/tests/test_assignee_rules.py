"""Who handles a step (issue 14): each assignee rule, nobody found (→ the department's process
administrators, flagged), candidates in the inbox and only them, claiming and handling, 自动去重."""

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors, services
from tongban.workflow.errors import TaskNotFound
from tongban.workflow.models import ProcessInstance, TaskCandidate, TaskOperation, WorkTask
from tongban.workflow.tests.helpers import chain

pytestmark = pytest.mark.django_db

APPROVE = {"role": "department_head", "step": "approve"}


def _upload(data: bytes, key: str = "internal_chain") -> str:
    uploader = ensure_user(username="uploader", full_name="上传人", kind="staff", password="x")
    services.upload_definition(key=key, data=data, uploaded_by_id=uploader.id, family="internal")
    return key


def _one_step(props: dict[str, str]) -> str:
    return _upload(chain([("approval", "审批", {**APPROVE, **props})]))


def _start(key, department, subject="internal:1", **kwargs):
    return services.start_instance(
        definition_key=key,
        subject=subject,
        department_id=department.pk,
        data=kwargs.pop("data", {}),
        **kwargs,
    )


def _candidates(task) -> list[int]:
    return sorted(TaskCandidate.objects.filter(task_id=task.id).values_list("user_id", flat=True))


def _inbox(user) -> list[str]:
    return [t.name for t in selectors.inbox_tasks(user.id)]


def _approve(task, user, **kwargs):
    return services.complete_task(
        task_id=task.id,
        user_id=user.id,
        action="approve",
        action_label="同意",
        opinion="同意",
        data={},
        **kwargs,
    )


def test_the_role_rule_keeps_today_s_behaviour_without_candidate_rows(department):
    head = make_staff("head", department, "department_head")
    key = _one_step({})
    [task] = _start(key, department).opened
    assert (task.assignee_rule, task.unassigned, _candidates(task)) == ("role", False, [])
    assert _inbox(head) == ["审批"]


def test_users_rule_gives_the_task_to_the_named_people_only(department):
    zhang = make_staff("zhang", department, "clerk")
    li = make_staff("li", department, "clerk")
    head = make_staff("head", department, "department_head")
    key = _one_step({"assignee": "users", "assignee_users": "zhang, li"})
    [task] = _start(key, department).opened
    assert (task.assignee_rule, task.unassigned) == ("users", False)
    assert _candidates(task) == sorted([zhang.id, li.id])
    assert _inbox(zhang) == ["审批"]
    assert _inbox(li) == ["审批"]
    # The role named on the step does not bring it to its holders.
    assert _inbox(head) == []
    assert selectors.task_for(head.id, task.id) is None
    with pytest.raises(TaskNotFound):
        services.claim_task(task_id=task.id, user_id=head.id)
    # A candidate claims it: the other no longer sees it; the claimer completes it.
    services.claim_task(task_id=task.id, user_id=li.id)
    assert _inbox(zhang) == []
    assert _inbox(li) == ["审批"]
    assert _approve(task, li).finished


def test_department_head_rule_takes_the_heads_of_the_instance_s_department(department, other_department):
    head = make_staff("head", department, "department_head")
    make_staff("other_head", other_department, "department_head")
    key = _one_step({"assignee": "department_head"})
    [task] = _start(key, department).opened
    assert _candidates(task) == [head.id]
    assert selectors.task_for(head.id, task.id) is not None


def test_leader_rule_climbs_the_department_tree(department):
    bureau = DepartmentFactory(name="云州市财政局", short_name="财政局")
    office = DepartmentFactory(name="云州市财政局办公室", short_name="财政办", parent=bureau)
    section = DepartmentFactory(name="云州市财政局办公室文书科", short_name="文书科", parent=office)
    make_staff("section_head", section, "department_head")
    office_head = make_staff("office_head", office, "department_head")
    bureau_head = make_staff("bureau_head", bureau, "department_head")
    one_up = _upload(chain([("a", "分管领导审批", {**APPROVE, "assignee": "leader"})]), key="one_up")
    two_up = _upload(
        chain([("a", "主要领导审批", {**APPROVE, "assignee": "leader", "leader_levels": "2"})]), "two_up"
    )
    [first] = _start(one_up, section, subject="internal:1").opened
    [second] = _start(two_up, section, subject="internal:2").opened
    assert (_candidates(first), _candidates(second)) == ([office_head.id], [bureau_head.id])
    assert not first.unassigned
    assert not second.unassigned


def test_initiator_choice_takes_the_people_chosen_at_start(department):
    wang = make_staff("wang", department, "clerk")
    zhao = make_staff("zhao", department, "clerk")
    key = _one_step({"assignee": "initiator_choice"})
    [step] = selectors.initiator_choice_steps(key)
    assert (step.element_id, step.name) == ("approval", "审批")
    [task] = _start(key, department, chosen_assignees={"approval": [zhao.id]}).opened
    assert _candidates(task) == [zhao.id]
    assert _inbox(zhao) == ["审批"]
    assert _inbox(wang) == []
    assert ProcessInstance.objects.get(subject="internal:1").chosen_assignees == {"approval": [zhao.id]}


def test_previous_choice_takes_the_people_the_previous_handler_chose(department):
    head = make_staff("head", department, "department_head")
    chosen = make_staff("chosen", department, "clerk")
    key = _upload(
        chain(
            [
                ("first", "部门负责人审批", {**APPROVE, "assignee": "department_head"}),
                ("second", "经办", {**APPROVE, "assignee": "previous_choice"}),
            ]
        )
    )
    [first] = _start(key, department).opened
    assert [(s.element_id, s.name) for s in selectors.next_choice_steps(first)] == [("second", "经办")]
    [second] = _approve(first, head, chosen_assignees={"second": [chosen.id]}).opened
    assert (_candidates(second), second.unassigned) == ([chosen.id], False)
    assert _inbox(chosen) == ["经办"]


def test_next_choice_steps_looks_through_gateways_at_every_branch(department):
    make_staff("head", department, "department_head")
    key = _upload(
        chain(
            [
                ("first", "拟稿", {**APPROVE, "assignee": "department_head"}),
                ("big", "主要领导审批", {**APPROVE, "assignee": "previous_choice"}),
                ("small", "分管领导审批", APPROVE),
            ],
            branch_after_first="amount > 10000",
        )
    )
    [first] = _start(key, department, data={"amount": 5}).opened
    # Only the step of the previous_choice rule is offered, whichever branch the data will take.
    assert [s.element_id for s in selectors.next_choice_steps(first)] == ["big"]


def test_form_field_takes_the_staff_member_named_in_the_process_data(department):
    picked = make_staff("picked", department, "clerk")
    key = _one_step({"assignee": "form_field", "assignee_field": "handler"})
    [task] = _start(key, department, data={"handler": "picked"}).opened
    assert _candidates(task) == [picked.id]


@pytest.mark.parametrize(
    ("props", "kwargs"),
    [
        ({"assignee": "users", "assignee_users": "nobody_here"}, {}),
        ({"assignee": "department_head"}, {}),
        ({"assignee": "leader", "leader_levels": "3"}, {}),
        ({"assignee": "initiator_choice"}, {"chosen_assignees": {"approval": []}}),
        ({"assignee": "initiator_choice"}, {}),
        ({"assignee": "form_field", "assignee_field": "handler"}, {"data": {"handler": "unknown_user"}}),
        ({"assignee": "form_field", "assignee_field": "handler"}, {}),
    ],
    ids=[
        "unknown-user",
        "no-head",
        "no-ancestor",
        "empty-choice",
        "no-choice",
        "unknown-in-field",
        "no-field",
    ],
)
def test_a_rule_that_finds_nobody_sends_the_task_to_the_process_administrators_flagged(
    department, props, kwargs
):
    admin = make_staff("dept_admin", department, "department_admin")
    bystander = make_staff("bystander", department, "clerk")
    key = _one_step(props)
    [task] = _start(key, department, **kwargs).opened
    assert task.unassigned is True
    assert _candidates(task) == [admin.id]
    assert _inbox(admin) == ["审批"]
    assert _inbox(bystander) == []
    [row] = selectors.monitored_instances(admin.id)
    assert [t.unassigned for t in row.open_tasks] == [True]

    # 重置处理人 gives it to someone of the department and clears the flag.
    services.reassign_task(task_id=task.id, admin_id=admin.id, to_user_id=bystander.id, reason="由其经办")
    stored = WorkTask.objects.get(pk=task.id)
    assert (stored.assignee_id, stored.unassigned) == (bystander.id, False)
    assert TaskOperation.objects.get(task_id=task.id).kind == "reassign"
    assert _inbox(bystander) == ["审批"]


def test_the_flagged_task_is_shown_in_the_inbox_and_the_monitor(client, department):
    from tongban.accounts.tests.helpers import login_staff

    admin = make_staff("dept_admin", department, "department_admin")
    key = _one_step({"assignee": "department_head"})
    _start(key, department)
    login_staff(client, admin)
    assert "未找到办理人" in client.get(reverse("applications:staff_inbox")).content.decode()
    assert "未找到办理人，待重新指定" in client.get(reverse("workflow:monitor")).content.decode()


def test_an_agent_sees_and_handles_a_candidate_s_task(department):
    import datetime as dt

    from django.utils import timezone

    zhang = make_staff("zhang", department, "clerk")
    agent = make_staff("agent", department, "reviewer")
    today = timezone.localdate()
    services.set_out_of_office(
        user_id=zhang.id, agent_id=agent.id, starts_on=today, ends_on=today + dt.timedelta(days=2)
    )
    key = _one_step({"assignee": "users", "assignee_users": "zhang"})
    [task] = _start(key, department).opened
    assert _inbox(agent) == ["审批"]
    assert _approve(task, agent).finished


def test_dedupe_completes_a_step_its_single_handler_already_approved(department):
    head = make_staff("head", department, "department_head")
    clerk = make_staff("clerk", department, "clerk")
    key = _upload(
        chain(
            [
                ("head_approval", "部门负责人审批", {**APPROVE, "assignee": "department_head"}),
                ("again", "复核", {**APPROVE, "assignee": "users", "assignee_users": "head"}),
                ("third", "会计审批", {**APPROVE, "assignee": "users", "assignee_users": "head"}),
                ("handling", "经办", {**APPROVE, "assignee": "users", "assignee_users": "clerk"}),
            ],
            process={"dedupe": "true"},
        )
    )
    [first] = _start(key, department).opened
    [handling] = _approve(first, head).opened
    assert handling.name == "经办"
    skipped = WorkTask.objects.filter(element_id__in=["again", "third"]).order_by("created_at")
    assert [(t.status, t.assignee_id, t.action, t.opinion) for t in skipped] == [
        ("completed", head.id, "approve", "自动去重：已在“部门负责人审批”环节同意"),
        ("completed", head.id, "approve", "自动去重：已在“部门负责人审批”环节同意"),
    ]
    assert _approve(handling, clerk).finished


def test_without_dedupe_the_same_person_approves_again(department):
    head = make_staff("head", department, "department_head")
    key = _upload(
        chain(
            [
                ("head_approval", "部门负责人审批", {**APPROVE, "assignee": "department_head"}),
                ("again", "复核", {**APPROVE, "assignee": "users", "assignee_users": "head"}),
            ]
        )
    )
    [first] = _start(key, department).opened
    [again] = _approve(first, head).opened
    assert (again.name, again.status) == ("复核", "open")
