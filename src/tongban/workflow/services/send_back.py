"""退回 (send a step back to an earlier one, optionally 直送) and 撤回 (withdraw one's own completion)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.workflow import engine
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import (
    InstanceStatus,
    Signer,
    SignerKind,
    SignerStatus,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.selectors import task_ref
from tongban.workflow.services.handling import (
    _locked_task,
    _refuse_if_signing,
    refuse_if_countersign,
    refuse_if_delegated,
    refuse_if_suspended,
)
from tongban.workflow.services.instances import _locked_instance, _save_and_sync
from tongban.workflow.types import Completion, TaskRef


def return_targets(task: TaskRef) -> list[tuple[str, str]]:
    """(element id, name) of the earlier steps this task may send the case back to, nearest first.

    The model's ``return_to`` property on the step decides: ``previous`` (the last step done before
    it), ``intake`` (the first step), ``any`` (every earlier step), or a comma list of element ids;
    without it, the previous step and the intake step."""
    done = list(
        WorkTask.objects.filter(instance_id=task.instance_id, status=TaskStatus.COMPLETED)
        .exclude(action="direct_skip")
        .order_by("completed_at", "created_at")
        .values_list("element_id", "name")
    )
    earlier: list[tuple[str, str]] = []
    for element_id, name in reversed(done):
        if element_id != task.element_id and element_id not in [e for e, _n in earlier]:
            earlier.append((element_id, name))
    if not earlier:
        return []
    rule = task.properties.get("return_to", "previous,intake")
    wanted: set[str] = set()
    for part in (p.strip() for p in rule.split(",")):
        if part == "any":
            wanted |= {e for e, _n in earlier}
        elif part == "previous":
            wanted.add(earlier[0][0])
        elif part == "intake":
            wanted.add(earlier[-1][0])
        elif part:
            wanted.add(part)
    return [(e, n) for e, n in earlier if e in wanted]


def direct_return_of(properties: dict[str, str], *, chosen: bool) -> bool:
    """Whether a case sent back from a step with these properties goes straight back (直送)."""
    policy = properties.get("direct_return", "ask")
    return policy == "always" or (policy == "ask" and chosen)


@transaction.atomic
def send_back(
    *, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str, direct: bool = False
) -> Completion:
    """退回: send the case back to an earlier step the model allows, with a reason the returned step
    sees. With ``direct`` (直送) the fixed step goes straight back to this one; otherwise the case
    runs the normal path again. The step's ``direct_return`` property may decide instead of the
    person: ``always`` or ``never`` (``ask``, the default, leaves it to them). Refused while
    parallel steps are open (并联审批 in progress)."""
    task = _locked_task(task_id, user_id)
    refuse_if_delegated(task)
    refuse_if_suspended(task)
    refuse_if_countersign(task)
    _refuse_if_signing(task)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("请填写退回理由"), code="reason_required")
    allowed = dict(return_targets(task_ref(task)))
    if target_element_id not in allowed:
        raise WorkflowError(_("不能退回到所选环节"), code="target_not_allowed")
    instance = _locked_instance(task.instance_id)
    if instance.tasks.filter(status=TaskStatus.OPEN).exclude(pk=task.pk).exists():
        raise TaskConflict(_("并联环节正在办理，暂不能退回"), code="parallel_open")
    workflow = engine.load(instance.definition.spec, instance.state)
    direct = direct_return_of(task.properties, chosen=direct)
    outputs = engine.step_outputs(workflow) if direct else {}
    engine.reset_to(workflow, target_element_id)
    now = timezone.now()
    task.status = TaskStatus.RETURNED
    task.assignee_id = user_id
    task.claimed_at = task.claimed_at or now
    task.completed_at = now
    task.action = "send_back"
    task.action_label = _("退回至%(step)s") % {"step": allowed[target_element_id]}
    task.opinion = reason
    task.save(
        update_fields=[
            "status",
            "assignee",
            "claimed_at",
            "completed_at",
            "action",
            "action_label",
            "opinion",
        ]
    )
    return _save_and_sync(
        instance,
        workflow,
        marks={
            "returned_from": task.element_id,
            "return_reason": reason,
            "direct_return": direct,
            "skip_data": {k: v for k, v in outputs.items() if k not in (target_element_id, task.element_id)},
        },
    )


@transaction.atomic
def withdraw_task(*, task_id: uuid.UUID, user_id: int) -> Completion:
    """撤回: whoever completed a step takes it back while the steps it opened are untouched (open and
    unclaimed). Racing the next person's claim has one winner: both lock those rows; the loser gets
    a conflict with a clear message. The step comes back to the same person."""
    done = WorkTask.objects.select_for_update().filter(pk=task_id, assignee_id=user_id).first()
    if done is None or done.status != TaskStatus.COMPLETED or done.action == "direct_skip":
        raise TaskNotFound(_("没有找到可撤回的已办事项"), code="not_found")
    if done.signers.exists():
        raise TaskConflict(_("多人签署的环节不能撤回"), code="signed_by_several")
    instance = _locked_instance(done.instance_id)
    assert done.completed_at
    later = list(
        instance.tasks.select_for_update().filter(created_at__gte=done.completed_at).exclude(pk=done.pk)
    )
    opened_by_it = [t for t in later if t.status == TaskStatus.OPEN]
    if instance.status != InstanceStatus.RUNNING or not opened_by_it:
        raise TaskConflict(_("流程已结束或已继续办理，不能撤回"), code="moved_on")
    signed = (
        Signer.objects.filter(task__in=opened_by_it)
        .exclude(kind=SignerKind.COUNTERSIGN, status=SignerStatus.PENDING)
        .exists()
    )  # a 会签 step is acted on once anyone signed it or added a signer
    if any(t.assignee_id for t in opened_by_it) or any(t.status != TaskStatus.OPEN for t in later) or signed:
        raise TaskConflict(_("下一环节已签收或办理，不能撤回"), code="next_acted")
    workflow = engine.load(instance.definition.spec, instance.state)
    engine.reset_to(workflow, done.element_id)
    done.status = TaskStatus.WITHDRAWN
    done.save(update_fields=["status"])
    # The step comes back to the person who withdrew it (it is the only task reopened).
    return _save_and_sync(instance, workflow, marks={"assignee_id": user_id, "claimed_at": timezone.now()})
