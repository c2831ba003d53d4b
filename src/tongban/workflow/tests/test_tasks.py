"""Claiming and completing tasks through the workflow services (no application domain)."""

import uuid

import pytest
from conftest import make_staff

from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors, services
from tongban.workflow.errors import TaskConflict, TaskNotFound
from tongban.workflow.models import ProcessInstance, WorkTask

pytestmark = pytest.mark.django_db


def _start(department, subject="case:1", **kwargs):
    return services.start_instance(
        definition_key="standard", subject=subject, department_id=department.pk, data={}, **kwargs
    )


def _complete(task_id, user, data, action="ok"):
    return services.complete_task(
        task_id=task_id, user_id=user.id, action=action, action_label=action, opinion="", data=data
    )


def test_the_standard_flow_opens_each_step_for_its_role_until_the_end(department):
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    approver = make_staff("approver", department, "approver")
    started = _start(department, step_limits={"审查": 5})
    [accept] = started.opened
    assert (accept.name, accept.role, accept.department_id) == ("受理", "clerk", department.pk)
    assert [t.name for t in selectors.inbox_tasks(reviewer.id)] == []

    [review] = _complete(accept.id, clerk, {"accepted": True}).opened
    assert review.due_date is not None
    [decide] = _complete(review.id, reviewer, {}).opened
    [close] = _complete(decide.id, approver, {"approved": True}).opened
    [deliver] = _complete(close.id, clerk, {}).opened
    finished = _complete(deliver.id, clerk, {})

    assert finished.finished
    assert finished.opened == []
    assert finished.variables["approved"] is True
    assert [r.name for r in selectors.process_record("case:1")] == ["受理", "审查", "决定", "办结", "送达"]
    assert ProcessInstance.objects.get(subject="case:1").status == "completed"


def test_declining_at_intake_ends_the_process(department):
    clerk = make_staff("clerk", department, "clerk")
    [accept] = _start(department).opened
    assert _complete(accept.id, clerk, {"accepted": False}).finished


def test_joint_approval_sends_one_task_to_each_lane_department(department):
    tax, social, police = (DepartmentFactory(name=n, short_name=n) for n in ("税务局", "人社局", "公安局"))
    clerk = make_staff("clerk", department, "clerk")
    started = services.start_instance(
        definition_key="joint_startup",
        subject="case:joint",
        department_id=department.pk,
        data={},
        lane_departments={"税务": tax.pk, "社保": social.pk, "公章刻制": police.pk},
    )
    parallel = _complete(started.opened[0].id, clerk, {"accepted": True}).opened
    assert {(t.name, t.department_id) for t in parallel} == {
        ("市场监管登记", department.pk),
        ("税务登记", tax.pk),
        ("社保登记", social.pk),
        ("公章刻制备案", police.pk),
    }


def test_T_H1_staff_of_another_department_cannot_see_or_complete_the_task(department, other_department):
    make_staff("clerk", department, "clerk")
    stranger = make_staff("stranger", other_department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")  # same department, wrong role
    [accept] = _start(department).opened
    for outsider in (stranger, reviewer):
        assert selectors.task_for(outsider.id, accept.id) is None
        with pytest.raises(TaskNotFound):
            _complete(accept.id, outsider, {"accepted": True})
    assert WorkTask.objects.get(pk=accept.id).status == "open"


def test_a_claimed_task_leaves_the_other_clerks_inbox(department):
    first = make_staff("first", department, "clerk")
    second = make_staff("second", department, "clerk")
    [accept] = _start(department).opened
    services.claim_task(task_id=accept.id, user_id=first.id)
    assert [t.pk for t in selectors.inbox_tasks(first.id)] == [accept.id]
    assert list(selectors.inbox_tasks(second.id)) == []
    with pytest.raises(TaskConflict, match="已由他人签收"):
        services.claim_task(task_id=accept.id, user_id=second.id)


def test_T_H2_completing_a_task_twice_is_a_conflict_and_opens_nothing_more(department):
    clerk = make_staff("clerk", department, "clerk")
    [accept] = _start(department).opened
    _complete(accept.id, clerk, {"accepted": True})
    with pytest.raises(TaskConflict):
        _complete(accept.id, clerk, {"accepted": True})
    assert WorkTask.objects.filter(name="审查").count() == 1


def test_an_unknown_task_is_not_found(department):
    clerk = make_staff("clerk", department, "clerk")
    with pytest.raises(TaskNotFound):
        _complete(uuid.uuid4(), clerk, {})


def test_the_diagram_marks_done_and_current_elements(department):
    clerk = make_staff("clerk", department, "clerk")
    [accept] = _start(department).opened
    _complete(accept.id, clerk, {"accepted": True})
    diagram = selectors.diagram_state("case:1")
    assert diagram.current == ["review"]
    assert {"submitted", "accept", "accepted_gateway"} <= set(diagram.done)
    assert [(s["name"], s["state"]) for s in diagram.steps][:3] == [
        ("受理", "done"),
        ("审查", "current"),
        ("决定", "pending"),
    ]


def test_a_second_start_for_the_subject_is_refused_and_changes_nothing(department):
    """One instance per subject: the second start breaks the unique subject, and its own writes
    are rolled back with it (the first instance and its task stay as they were)."""
    first = _start(department)

    with pytest.raises(TaskConflict) as refused:
        _start(department)

    assert refused.value.code == "already_started"
    instance = ProcessInstance.objects.get(subject="case:1")
    assert (instance.pk, instance.revision, instance.status) == (first.instance_id, 1, "running")
    assert list(WorkTask.objects.values_list("pk", flat=True)) == [first.opened[0].id]
