"""Who may act on a task, claiming (签收) and completing it (办理), 直送 after a send-back."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.organizations.selectors import department_ids_for
from tongban.workflow import engine
from tongban.workflow.errors import TaskConflict, TaskNotFound
from tongban.workflow.models import (
    InstanceStatus,
    ProcessInstance,
    SignerKind,
    SignerStatus,
    TaskCandidate,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.selectors import principals_of, task_ref
from tongban.workflow.services.assignees import ROLE, remember_choices
from tongban.workflow.services.instances import _department_for, _locked_instance, _save_and_sync
from tongban.workflow.types import Completion, TaskRef


def refuse_if_suspended(task: WorkTask) -> None:
    if task.instance.status == InstanceStatus.SUSPENDED:
        raise TaskConflict(_("流程已挂起，恢复后才能办理"), code="suspended")


def refuse_if_delegated(task: WorkTask) -> None:
    if task.delegated_by_id:
        raise TaskConflict(_("委派中的待办：请填写意见后交回委派人，由其办理"), code="delegated")


def refuse_if_countersign(task: WorkTask) -> None:
    if task.properties.get("countersign"):
        raise TaskConflict(_("会签环节由各签署人分别签署意见"), code="countersign")


def _refuse_if_signing(task: WorkTask) -> None:
    if task.signers.filter(status=SignerStatus.PENDING).exists():
        raise TaskConflict(_("加签人尚未签署完毕，暂不能转交或退回"), code="signing")


def may_act(task: WorkTask, user_id: int) -> bool:
    """The assignee, or — while nobody has claimed it — staff holding the task's role in its
    department (T-H1), or its candidates when another assignee rule resolved them
    (``assignees``); or the agent of any of them while they are away (代理)."""
    if task.assignee_id is not None and task.assignee_id == user_id:
        return True
    if task.assignee_id is None and _holds_role(task, user_id):
        return True
    return _principal_for(task, user_id) is not None


def _holds_role(task: WorkTask, user_id: int) -> bool:
    """Whether the user may claim the task while unclaimed: its role in its department (the ``role``
    rule), or one of its candidates (every other rule). Asked several times while one request holds
    the task (found, may act, on whose behalf), so the answer is kept on the task row's object."""
    answers: dict[int, bool] = task.__dict__.setdefault("_holds_role_answers", {})
    if user_id not in answers:
        if task.assignee_rule != ROLE:
            answers[user_id] = TaskCandidate.objects.filter(task=task, user_id=user_id).exists()
        else:
            answers[user_id] = task.department_id in department_ids_for(user_id=user_id, role=task.role)
    return answers[user_id]


def _principal_for(task: WorkTask, user_id: int) -> int | None:
    """The colleague the user stands in for on this task (代理), or None when it is the user's own."""
    if task.assignee_id == user_id or (task.assignee_id is None and _holds_role(task, user_id)):
        return None
    for principal in principals_of(user_id):
        if task.assignee_id == principal or (task.assignee_id is None and _holds_role(task, principal)):
            return principal
    return None


def _locked_task(task_id: uuid.UUID, user_id: int) -> WorkTask:
    """The task row, locked. Someone without the task's role in its department gets "not found"
    (T-H1); a colleague who was too late gets a conflict (T-H2)."""
    task = WorkTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not (
        task.assignee_id == user_id or _holds_role(task, user_id) or _principal_for(task, user_id)
    ):
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.status != TaskStatus.OPEN:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_open")
    if not may_act(task, user_id):
        raise TaskConflict(_("该待办已由他人签收"), code="claimed")
    return task


@transaction.atomic
def claim_task(*, task_id: uuid.UUID, user_id: int) -> TaskRef:
    """签收: the task becomes the user's; others with the role no longer see it in their inbox."""
    task = _locked_task(task_id, user_id)
    refuse_if_countersign(task)
    if task.assignee_id == user_id:
        return task_ref(task)
    task.assignee_id = user_id
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def complete_task(
    *,
    task_id: uuid.UUID,
    user_id: int,
    action: str,
    action_label: str,
    opinion: str,
    data: dict[str, Any],
    chosen_assignees: dict[str, list[int]] | None = None,
) -> Completion:
    """Complete a human task: record action, opinion, person and server time, give ``data`` to the
    engine and open the next tasks as the model says (the client never chooses the next step, T-H3).
    ``chosen_assignees`` (审批人自选) maps the element ids of next steps whose rule is
    ``previous_choice`` (``selectors.next_choice_steps``) to the user ids the handler chose.

    Raises TaskNotFound for a task the user may not act on (T-H1) and TaskConflict when it is no
    longer open or the instance moved on meanwhile (T-H2).
    """
    task = _locked_task(task_id, user_id)
    refuse_if_delegated(task)
    refuse_if_suspended(task)
    refuse_if_countersign(task)
    if task.deferred_completion:
        raise TaskConflict(_("您已办理，正在等待后加签的人员签署"), code="awaiting_signers")
    decided: dict[str, Any] = {
        "action": action,
        "action_label": action_label,
        "opinion": opinion.strip(),
        "data": data,
    }
    if chosen_assignees:
        decided["chosen_assignees"] = {str(k): [int(u) for u in v] for k, v in chosen_assignees.items()}
    principal = _principal_for(task, user_id)
    holder = (
        task.signers.select_related("waits_for")
        .filter(kind=SignerKind.HOLDER, status=SignerStatus.PENDING)
        .first()
    )
    if holder is not None:
        if not holder.is_turn:
            raise TaskConflict(_("前加签的人员尚未签署，签署后才能办理"), code="signers_first")
        holder.status, holder.signed_at, holder.opinion = (
            SignerStatus.APPROVED,
            timezone.now(),
            opinion.strip(),
        )
        holder.save(update_fields=["status", "signed_at", "opinion"])
        if task.signers.filter(status=SignerStatus.PENDING).exists():
            # 后加签: the step completes with this decision once the signers after me agree.
            task.assignee_id, task.on_behalf_of_id = user_id, principal
            task.deferred_completion = decided | {"user_id": user_id}
            task.save(update_fields=["assignee", "on_behalf_of", "deferred_completion"])
            return Completion(
                instance_id=task.instance_id,
                subject=task.instance.subject,
                finished=False,
                variables={},
                opened=[],
                deferred=True,
            )
    return finish_task(task, user_id=user_id, principal=principal, **decided)


def finish_task(
    task: WorkTask,
    *,
    user_id: int | None,
    principal: int | None,
    action: str,
    action_label: str,
    opinion: str,
    data: dict[str, Any],
    chosen_assignees: dict[str, list[int]] | None = None,
) -> Completion:
    """Complete the locked task in the engine and record who decided what; open the next steps
    (their chosen assignees, 审批人自选, kept on the instance first). ``user_id`` None: the system
    decided (a step's timeout action)."""
    instance = _locked_instance(task.instance_id)
    remember_choices(instance, chosen_assignees)
    workflow = engine.load(instance.definition.spec, instance.state)
    try:
        engine.complete(workflow, task.engine_task_id, data)
    except LookupError as exc:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_ready") from exc
    now = timezone.now()
    task.on_behalf_of_id = principal
    task.status = TaskStatus.COMPLETED
    task.assignee_id = user_id
    task.claimed_at = task.claimed_at or now
    task.completed_at = now
    task.action, task.action_label, task.opinion = action, action_label, opinion.strip()
    task.deferred_completion = {}
    task.save(
        update_fields=[
            "status",
            "assignee",
            "claimed_at",
            "completed_at",
            "action",
            "action_label",
            "opinion",
            "on_behalf_of",
            "deferred_completion",
        ]
    )
    if task.direct_return and task.returned_from:
        _go_straight_back(instance, workflow, task.returned_from, task.skip_data, now)
    return _save_and_sync(instance, workflow)


MAX_DIRECT_SKIPS = 50


def _go_straight_back(
    instance: ProcessInstance, workflow: Any, element_id: str, skip_data: dict[str, Any], now: Any
) -> None:
    """直送: run the steps between the fixed step and the one that sent it back with the decisions
    they made last time, so the case goes straight back there. Each is recorded as 直送跳过."""
    for _round in range(MAX_DIRECT_SKIPS):
        ready = engine.ready_human_tasks(workflow)
        if not ready or any(t.element_id == element_id for t in ready):
            return
        skipped = ready[0]
        engine.complete(workflow, skipped.id, dict(skip_data.get(skipped.element_id, {})))
        WorkTask.objects.create(
            instance=instance,
            engine_task_id=skipped.id,
            element_id=skipped.element_id,
            name=skipped.name,
            step=skipped.properties.get("step", ""),
            role=skipped.properties.get("role", ""),
            department_id=_department_for(instance, skipped.lane, skipped.department_id),
            properties=skipped.properties,
            status=TaskStatus.COMPLETED,
            completed_at=now,
            action="direct_skip",
            action_label=_("直送跳过"),
        )
