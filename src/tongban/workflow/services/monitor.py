"""流程监控: a department's process administrator suspends, resumes, terminates and reassigns."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.organizations.selectors import department_ids_for, staff_ids_in_department
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.events import instance_terminated
from tongban.workflow.models import (
    InstanceStatus,
    ProcessInstance,
    TaskOperation,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.services.handling import refuse_if_countersign
from tongban.workflow.services.instances import void_signers

# --- process monitor (流程监控) ---------------------------------------------------------------------

MONITOR_ROLE = "department_admin"


def _monitored_instance(instance_id: int, admin_id: int) -> ProcessInstance:
    instance = ProcessInstance.objects.select_for_update().filter(pk=instance_id).first()
    if instance is None or instance.department_id not in department_ids_for(
        user_id=admin_id, role=MONITOR_ROLE
    ):
        raise TaskNotFound(_("没有找到该流程实例"), code="not_found")
    return instance


def _reason(reason: str) -> str:
    if not reason.strip():
        raise WorkflowError(_("请填写理由"), code="reason_required")
    return reason.strip()


@transaction.atomic
def suspend_instance(*, instance_id: int, admin_id: int, reason: str) -> None:
    """挂起: nobody can complete its tasks until it is resumed. Department administrators only."""
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status != InstanceStatus.RUNNING:
        raise TaskConflict(_("只有办理中的流程可以挂起"), code="not_running")
    instance.status, instance.status_reason = InstanceStatus.SUSPENDED, _reason(reason)
    instance.save(update_fields=["status", "status_reason"])


@transaction.atomic
def resume_instance(*, instance_id: int, admin_id: int) -> None:
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status != InstanceStatus.SUSPENDED:
        raise TaskConflict(_("只有已挂起的流程可以恢复"), code="not_suspended")
    instance.status, instance.status_reason = InstanceStatus.RUNNING, ""
    instance.save(update_fields=["status", "status_reason"])


@transaction.atomic
def terminate_instance(*, instance_id: int, admin_id: int, reason: str) -> None:
    """终止 with a reason: open tasks are cancelled and the subject's owner is told
    (``instance_terminated`` on commit; applications close the case as 作废)."""
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        raise TaskConflict(_("流程已结束"), code="ended")
    why = _reason(reason)
    now = timezone.now()
    void_signers(instance.tasks.filter(status=TaskStatus.OPEN))
    instance.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED, completed_at=now)
    instance.status, instance.status_reason, instance.ended_at = InstanceStatus.TERMINATED, why, now
    instance.save(update_fields=["status", "status_reason", "ended_at"])
    subject = instance.subject
    transaction.on_commit(
        lambda: instance_terminated.send(
            sender=ProcessInstance, subject=subject, reason=why, actor_id=admin_id
        )
    )


@transaction.atomic
def reassign_task(*, task_id: uuid.UUID, admin_id: int, to_user_id: int | None, reason: str) -> None:
    """重置处理人: give an open task to someone holding its role in its department (a step of another
    assignee rule: anyone holding a role there), or make it claimable again (``to_user_id`` None).
    The administrator of the task's department or of the instance's lead department may; giving a
    task flagged ``unassigned`` (its rule found nobody) to someone clears the flag. Recorded with
    from/to and the reason."""
    task = WorkTask.objects.select_for_update().filter(pk=task_id, status=TaskStatus.OPEN).first()
    if task is None:
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.department_id not in department_ids_for(user_id=admin_id, role=MONITOR_ROLE):
        # The lead department's administrator may reset any step of its case; another department's
        # only the steps of its own lane.
        _monitored_instance(task.instance_id, admin_id)
    refuse_if_countersign(task)
    why = _reason(reason)
    if task.assignee_rule == "role" and to_user_id is not None:
        if task.department_id not in department_ids_for(user_id=to_user_id, role=task.role):
            raise WorkflowError(_("只能交给该环节所在部门、同一岗位的人员"), code="not_allowed")
    elif to_user_id is not None and to_user_id not in staff_ids_in_department(task.department_id):
        raise WorkflowError(_("只能交给该环节所在部门的人员"), code="not_allowed")
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.REASSIGN,
        actor_id=admin_id,
        from_user_id=task.assignee_id,
        to_user_id=to_user_id,
        reason=why,
    )
    task.assignee_id, task.delegated_by_id = to_user_id, None
    task.claimed_at = timezone.now() if to_user_id else None
    task.unassigned = task.unassigned and to_user_id is None
    task.save(update_fields=["assignee", "delegated_by", "claimed_at", "unassigned"])
