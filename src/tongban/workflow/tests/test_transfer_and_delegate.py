"""转办 (transfer) and 委派 (delegate, returning to the delegator for the final decision)."""

import pytest
from conftest import make_staff

from tongban.workflow import selectors, services
from tongban.workflow.errors import TaskConflict, WorkflowError
from tongban.workflow.models import TaskOperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def accept(department):
    [task] = services.start_instance(
        definition_key="standard", subject="case:1", department_id=department.pk, data={}
    ).opened
    return task


def test_transfer_moves_the_task_to_a_colleague_and_is_recorded(department, other_department, accept):
    first, second = (make_staff(name, department, "clerk") for name in ("first", "second"))
    outsider = make_staff("outsider", other_department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    for wrong in (outsider, reviewer):
        with pytest.raises(WorkflowError, match="只能转办给本部门同一岗位的人员"):
            services.transfer_task(task_id=accept.id, user_id=first.id, to_user_id=wrong.id, reason="休假")
    with pytest.raises(WorkflowError, match="请填写转办理由"):
        services.transfer_task(task_id=accept.id, user_id=first.id, to_user_id=second.id, reason="")

    moved = services.transfer_task(
        task_id=accept.id, user_id=first.id, to_user_id=second.id, reason="本人休假"
    )
    assert moved.assignee_id == second.id
    assert [t.pk for t in selectors.inbox_tasks(second.id)] == [accept.id]
    assert list(selectors.inbox_tasks(first.id)) == []
    [op] = TaskOperation.objects.all()
    assert (op.kind, op.actor_id, op.from_user_id, op.to_user_id, op.reason) == (
        "transfer",
        first.id,
        first.id,
        second.id,
        "本人休假",
    )


def test_delegate_gives_an_opinion_and_the_delegator_decides(department, accept):
    first, second = (make_staff(name, department, "clerk") for name in ("first", "second"))
    services.delegate_task(task_id=accept.id, user_id=first.id, to_user_id=second.id, reason="请核对材料原件")
    with pytest.raises(TaskConflict, match="委派中的待办"):
        services.complete_task(
            task_id=accept.id,
            user_id=second.id,
            action="accept",
            action_label="受理",
            opinion="",
            data={"accepted": True},
        )
    with pytest.raises(TaskConflict, match="已由他人签收"):  # the delegator does not hold it meanwhile
        services.complete_task(
            task_id=accept.id,
            user_id=first.id,
            action="accept",
            action_label="受理",
            opinion="",
            data={"accepted": True},
        )
    back = services.return_delegated_task(task_id=accept.id, user_id=second.id, opinion="原件核对无误")
    assert (back.assignee_id, back.delegated_by_id) == (first.id, None)
    services.complete_task(
        task_id=accept.id,
        user_id=first.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    )
    assert [(o.kind, o.reason) for o in selectors.operations_of("case:1")] == [
        ("delegate", "请核对材料原件"),
        ("delegate_done", "原件核对无误"),
    ]
