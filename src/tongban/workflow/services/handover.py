"""转办 and 委派 (hand a task to a colleague) and 代理 (out-of-office agents)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_user_ids
from tongban.organizations.selectors import staff_ids_with_role
from tongban.workflow.errors import TaskConflict, WorkflowError
from tongban.workflow.models import (
    OutOfOffice,
    TaskOperation,
    WorkTask,
)
from tongban.workflow.selectors import task_ref
from tongban.workflow.services.handling import _locked_task, _refuse_if_signing, refuse_if_countersign
from tongban.workflow.types import TaskRef


def colleagues_for(task: TaskRef, user_id: int) -> list[int]:
    """Who may take the task over: everyone else holding its role in its department."""
    return [u for u in staff_ids_with_role(department_id=task.department_id, role=task.role) if u != user_id]


def _mine(task_id: uuid.UUID, user_id: int) -> WorkTask:
    """The open task, locked, held by the user (claimed first when it was unclaimed)."""
    task = _locked_task(task_id, user_id)
    if task.assignee_id is None:
        task.assignee_id = user_id
        task.claimed_at = timezone.now()
    return task


def _hand_over(
    *,
    task_id: uuid.UUID,
    user_id: int,
    to_user_id: int,
    reason: str,
    kind: str,
    messages: tuple[str, str, str],
) -> WorkTask:
    """What 转办 and 委派 share: my open task (claimed if it was not), a reason, a colleague of the
    same role and department, not already delegated; the operation recorded and the task theirs.
    ``messages``: (no reason, wrong colleague, already delegated)."""
    no_reason, not_allowed, delegated = messages
    task = _mine(task_id, user_id)
    if not reason.strip():
        raise WorkflowError(no_reason, code="reason_required")
    if to_user_id not in colleagues_for(task_ref(task), user_id):
        raise WorkflowError(not_allowed, code="not_allowed")
    if task.delegated_by_id:
        raise TaskConflict(delegated, code="delegated")
    refuse_if_countersign(task)
    _refuse_if_signing(task)
    TaskOperation.objects.create(
        task=task,
        kind=kind,
        actor_id=user_id,
        from_user_id=user_id,
        to_user_id=to_user_id,
        reason=reason.strip(),
    )
    task.assignee_id = to_user_id
    return task


@transaction.atomic
def transfer_task(*, task_id: uuid.UUID, user_id: int, to_user_id: int, reason: str) -> TaskRef:
    """转办: hand my task to a colleague allowed for the step (same role, same department); it leaves
    my 待办 for theirs. A reason is required; recorded with from/to."""
    task = _hand_over(
        task_id=task_id,
        user_id=user_id,
        to_user_id=to_user_id,
        reason=reason,
        kind=TaskOperation.Kind.TRANSFER,
        messages=(_("请填写转办理由"), _("只能转办给本部门同一岗位的人员"), _("委派中的待办不能转办")),
    )
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def delegate_task(*, task_id: uuid.UUID, user_id: int, to_user_id: int, reason: str) -> TaskRef:
    """委派: ask a colleague for their opinion; the task goes to them and comes back to me for the
    final decision once they have given it (``return_delegated_task``)."""
    task = _hand_over(
        task_id=task_id,
        user_id=user_id,
        to_user_id=to_user_id,
        reason=reason,
        kind=TaskOperation.Kind.DELEGATE,
        messages=(_("请填写委派说明"), _("只能委派给本部门同一岗位的人员"), _("该待办已在委派中")),
    )
    task.delegated_by_id = user_id
    task.save(update_fields=["delegated_by", "assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def return_delegated_task(*, task_id: uuid.UUID, user_id: int, opinion: str) -> TaskRef:
    """The delegate gives their opinion; the task goes back to the delegator, who decides."""
    task = _locked_task(task_id, user_id)
    if task.delegated_by_id is None or task.assignee_id != user_id:
        raise TaskConflict(_("该待办不是委派给您的"), code="not_delegated")
    if not opinion.strip():
        raise WorkflowError(_("请填写您的意见"), code="opinion_required")
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.DELEGATE_DONE,
        actor_id=user_id,
        from_user_id=user_id,
        to_user_id=task.delegated_by_id,
        reason=opinion.strip(),
    )
    task.assignee_id = task.delegated_by_id
    task.delegated_by_id = None
    task.save(update_fields=["assignee", "delegated_by"])
    return task_ref(task)


@transaction.atomic
def set_out_of_office(*, user_id: int, agent_id: int, starts_on: Any, ends_on: Any) -> None:
    """代理: while away from ``starts_on`` to ``ends_on`` (inclusive), the agent — a staff colleague —
    sees and may handle the user's tasks (marked 代理); both still see them; it ends by itself.
    Replaces an earlier period."""
    if agent_id == user_id or not staff_user_ids({agent_id}):
        raise WorkflowError(_("请选择一位同事作为代理人"), code="bad_agent")
    if ends_on < starts_on:
        raise WorkflowError(_("结束日期不能早于开始日期"), code="bad_period")
    if ends_on < timezone.localdate():
        raise WorkflowError(_("代理期间已经结束"), code="past_period")
    OutOfOffice.objects.update_or_create(
        user_id=user_id, defaults={"agent_id": agent_id, "starts_on": starts_on, "ends_on": ends_on}
    )


def cancel_out_of_office(*, user_id: int) -> None:
    OutOfOffice.objects.filter(user_id=user_id).delete()
