"""退回 (send back, with 直送) and 撤回 (withdraw) on the shipped standard process."""

import pytest
from conftest import make_staff

from tongban.workflow import selectors, services
from tongban.workflow.errors import DefinitionError, TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import WorkTask
from tongban.workflow.tests.helpers import standard_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(department):
    return {role: make_staff(role, department, role) for role in ("clerk", "reviewer", "approver")}


def _start(department):
    return services.start_instance(
        definition_key="standard", subject="case:1", department_id=department.pk, data={}
    )


def _complete(task, user, data=None):
    return services.complete_task(
        task_id=task.id, user_id=user.id, action="ok", action_label="同意", opinion="", data=data or {}
    )


def _at_decide(department, people):
    [accept] = _start(department).opened
    [review] = _complete(accept, people["clerk"], {"accepted": True}).opened
    [decide] = _complete(review, people["reviewer"]).opened
    return decide


def test_the_approver_sends_back_to_review_with_a_reason_and_the_normal_path_follows(department, people):
    decide = _at_decide(department, people)
    assert services.return_targets(decide) == [("review", "审查"), ("accept", "受理")]

    [review] = services.send_back(
        task_id=decide.id, user_id=people["approver"].id, target_element_id="review", reason="请核实经营场所"
    ).opened
    row = WorkTask.objects.get(pk=review.id)
    assert (row.name, row.returned_from, row.return_reason, row.direct_return) == (
        "审查",
        "decide",
        "请核实经营场所",
        False,
    )
    assert WorkTask.objects.get(pk=decide.id).action_label == "退回至审查"

    [decide_again] = _complete(review, people["reviewer"]).opened
    assert decide_again.name == "决定"
    assert [(r.name, r.status) for r in selectors.process_record("case:1")] == [
        ("受理", "completed"),
        ("审查", "completed"),
        ("决定", "returned"),
        ("审查", "completed"),
        ("决定", "open"),
    ]


def test_direct_return_goes_straight_back_to_the_step_that_returned_it(department, people):
    decide = _at_decide(department, people)
    [accept] = services.send_back(
        task_id=decide.id,
        user_id=people["approver"].id,
        target_element_id="accept",
        reason="补充受理意见",
        direct=True,
    ).opened
    [next_step] = _complete(accept, people["clerk"], {"accepted": True}).opened
    assert next_step.name == "决定"  # 审查 skipped, recorded as such
    assert WorkTask.objects.filter(name="审查", action="direct_skip").count() == 1


def test_a_reason_is_required_and_only_allowed_steps_are_targets(department, people):
    decide = _at_decide(department, people)
    with pytest.raises(WorkflowError, match="请填写退回理由"):
        services.send_back(
            task_id=decide.id, user_id=people["approver"].id, target_element_id="review", reason=" "
        )
    with pytest.raises(WorkflowError, match="不能退回到所选环节"):
        services.send_back(
            task_id=decide.id, user_id=people["approver"].id, target_element_id="close", reason="x"
        )
    assert WorkTask.objects.get(pk=decide.id).status == "open"


def test_the_clerk_withdraws_intake_while_review_is_untouched(department, people):
    [accept] = _start(department).opened
    [review] = _complete(accept, people["clerk"], {"accepted": True}).opened
    [accept_again] = services.withdraw_task(task_id=accept.id, user_id=people["clerk"].id).opened
    assert (accept_again.name, accept_again.assignee_id) == ("受理", people["clerk"].id)
    assert WorkTask.objects.get(pk=review.id).status == "cancelled"
    assert WorkTask.objects.get(pk=accept.id).status == "withdrawn"


def test_withdraw_is_refused_once_the_next_step_is_claimed_and_claim_after_withdraw_is_refused(
    department, people
):
    [accept] = _start(department).opened
    [review] = _complete(accept, people["clerk"], {"accepted": True}).opened
    services.claim_task(task_id=review.id, user_id=people["reviewer"].id)
    with pytest.raises(TaskConflict, match="下一环节已签收或办理"):
        services.withdraw_task(task_id=accept.id, user_id=people["clerk"].id)

    # The other order: withdrawn first, the late claim is told the task is gone.
    WorkTask.objects.filter(pk=review.id).update(assignee=None, claimed_at=None)
    services.withdraw_task(task_id=accept.id, user_id=people["clerk"].id)
    with pytest.raises(TaskConflict):
        services.claim_task(task_id=review.id, user_id=people["reviewer"].id)


def test_someone_else_cannot_withdraw_my_step(department, people):
    [accept] = _start(department).opened
    _complete(accept, people["clerk"], {"accepted": True})
    other = make_staff("clerk2", department, "clerk")
    with pytest.raises(TaskNotFound):
        services.withdraw_task(task_id=accept.id, user_id=other.id)


@pytest.mark.parametrize(
    ("policy", "chosen", "straight_back"),
    [("always", False, True), ("never", True, False), ("ask", True, True), ("ask", False, False)],
)
def test_the_definition_decides_direct_return_unless_it_leaves_it_to_the_person(
    department, people, policy, chosen, straight_back
):
    decide_props = '<camunda:property name="decision" value="approved"/>'
    model = standard_with(
        decide_props, decide_props + f'<camunda:property name="direct_return" value="{policy}"/>'
    )
    services.upload_definition(key="returns", data=model, uploaded_by_id=people["clerk"].id)
    [accept] = services.start_instance(
        definition_key="returns", subject="case:r", department_id=department.pk, data={}
    ).opened
    [review] = _complete(accept, people["clerk"], {"accepted": True}).opened
    [decide] = _complete(review, people["reviewer"]).opened
    [accept] = services.send_back(
        task_id=decide.id,
        user_id=people["approver"].id,
        target_element_id="accept",
        reason="补充受理意见",
        direct=chosen,
    ).opened
    [next_step] = _complete(accept, people["clerk"], {"accepted": True}).opened
    assert next_step.name == ("决定" if straight_back else "审查")


def test_an_unknown_direct_return_policy_is_refused_at_upload_naming_the_step(people):
    model = standard_with(
        '<camunda:property name="decision" value="approved"/>',
        '<camunda:property name="decision" value="approved"/><camunda:property name="direct_return" value="sometimes"/>',
    )
    with pytest.raises(DefinitionError, match=r"决定.*属性 direct_return 须为 always、never、ask 之一"):
        services.upload_definition(key="returns", data=model, uploaded_by_id=people["clerk"].id)
