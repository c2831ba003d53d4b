"""撤销: the one who started a process takes it back while nobody has acted on it yet."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.workflow.errors import TaskConflict, TaskNotFound
from tongban.workflow.models import InstanceStatus, ProcessInstance, Signer, SignerStatus, TaskStatus
from tongban.workflow.services.instances import void_signers


def _acted_on(instance: ProcessInstance) -> bool:
    """Someone completed, sent back, claimed (签收) or signed a step of the instance."""
    tasks = instance.tasks.all()
    return (
        tasks.exclude(status__in=(TaskStatus.OPEN, TaskStatus.CANCELLED)).exists()
        or tasks.filter(claimed_at__isnull=False).exists()
        or Signer.objects.filter(
            task__instance=instance, status__in=(SignerStatus.APPROVED, SignerStatus.REJECTED)
        ).exists()
    )


@transaction.atomic
def cancel_untouched_instance(*, subject: str, reason: str) -> None:
    """End the subject's running process as 撤销 (terminated with ``reason``): open steps are
    cancelled. Refused (TaskConflict) once anyone has acted on a step — completed, sent back,
    claimed or signed it — or when the process is no longer running. The caller checks that the
    person is the one who started it. No ``instance_terminated`` signal: the caller owns the
    subject and records the cancellation itself."""
    instance = ProcessInstance.objects.select_for_update().filter(subject=subject).first()
    if instance is None:
        raise TaskNotFound(_("没有找到该流程实例"), code="not_found")
    if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        raise TaskConflict(_("流程已结束，不能撤销"), code="ended")
    if _acted_on(instance):
        raise TaskConflict(_("已有人签收或办理，不能撤销；如需停止，请联系当前环节的办理人"), code="acted_on")
    _terminate(instance, reason)


@transaction.atomic
def end_withdrawn_instance(*, subject: str, reason: str) -> bool:
    """End the subject's running process because the party who asked for it withdrew (撤回申请 before
    受理): open steps are cancelled even if a clerk has claimed them, since nothing was decided yet.
    The caller checks that withdrawing is allowed. Answers whether a running process was ended; no
    ``instance_terminated`` signal (the caller records the withdrawal itself)."""
    instance = ProcessInstance.objects.select_for_update().filter(subject=subject).first()
    if instance is None or instance.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        return False
    _terminate(instance, reason)
    return True


def _terminate(instance: ProcessInstance, reason: str) -> None:
    now = timezone.now()
    open_tasks = instance.tasks.filter(status=TaskStatus.OPEN)
    void_signers(open_tasks)
    open_tasks.update(status=TaskStatus.CANCELLED, completed_at=now)
    instance.status, instance.status_reason, instance.ended_at = InstanceStatus.TERMINATED, reason, now
    instance.save(update_fields=["status", "status_reason", "ended_at"])
