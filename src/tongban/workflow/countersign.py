"""会签, 加签 and 减签: several people sign one task.

- A joint step (``countersign`` property: all, any, sequential or ratio) opens with a signer for
  everyone holding its role in its department. Each signs 同意 or 不同意 with an opinion; the mode
  (``countersign_rules``) decides the step, and the engine moves on with the step's ``decision``
  variable set to the outcome. Signers whose signature is no longer needed are marked 无需签署.
- 加签 puts colleagues of the task's department before or after me. Before me: they sign first,
  then it is my turn (on a one-person step their opinions inform my decision; on a joint step
  their votes count). After me: my decision takes effect once they have all agreed; one 不同意
  brings the task back to me, and those after me sign again once I have decided again.
- 减签 takes back a signer I added who has not signed yet; the order closes around the gap.
Every signature, 加签 and 减签 is a TaskOperation (who, when, to whom, why).

Why not the engine's multi-instance tasks: SpiffWorkflow creates their instances from a collection
fixed when the step starts, so signers cannot be added or removed while it runs; the engine sees
one human task per step here, and the platform keeps who signs it.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.organizations.selectors import staff_ids_in_department
from tongban.workflow import services
from tongban.workflow.countersign_rules import MODE_LABELS, Mode, outcome, parse_ratio
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import (
    ProcessFamily,
    ProcessInstance,
    Signer,
    SignerKind,
    SignerStatus,
    TaskOperation,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.selectors import principals_of, step_meaning
from tongban.workflow.types import Completion, TaskRef

SIGNABLE_STEPS = ("review", "decide")
LIVE = (SignerStatus.PENDING, SignerStatus.APPROVED, SignerStatus.REJECTED)


def may_add_signers_at(task: TaskRef | WorkTask) -> bool:
    """加签 in a case's process only at 审查 and 决定, the steps that decide; in an internal request's or
    an official document's process at any step."""
    if step_meaning(task.step) in SIGNABLE_STEPS:
        return True
    family = (
        ProcessInstance.objects.filter(pk=task.instance_id)
        .values_list("definition__family", flat=True)
        .first()
    )
    return family not in (None, ProcessFamily.APPLICATION)


def whose_turn(task: WorkTask) -> set[int]:
    """Who may sign the task now."""
    pending = task.signers.select_related("waits_for").filter(status=SignerStatus.PENDING)
    return {row.user_id for row in pending if row.is_turn}


def announce_turns(task: WorkTask, before: set[int]) -> None:
    """Tell those whose turn it has become, while the task is still open (``task`` is the object
    the signature, 加签 or 减签 just completed, if it did)."""
    if task.status == TaskStatus.OPEN:
        services.announce_signing_turn(task, sorted(whose_turn(task) - before))


def _locked_open_task(task_id: uuid.UUID) -> WorkTask:
    task = WorkTask.objects.select_for_update().select_related("instance").filter(pk=task_id).first()
    if task is None:
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.status != TaskStatus.OPEN:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_open")
    return task


def _my_turn(task: WorkTask, user_id: int) -> Signer:
    """The user's pending signature on the task — or, failing that, that of a colleague they stand
    in for (代理) whose turn it is; refused when it is not their turn yet."""
    pending = task.signers.select_related("waits_for").filter(status=SignerStatus.PENDING)
    row = pending.filter(user_id=user_id).first()
    if row is None:
        row = next((r for r in pending.filter(user_id__in=principals_of(user_id)) if r.is_turn), None)
    if row is None:
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if not row.is_turn:
        raise TaskConflict(_("还未轮到您签署，请等待前面的人员签署"), code="not_your_turn")
    return row


def signer_candidates(task_id: uuid.UUID, user_id: int) -> list[int]:
    """Who may be added: staff of the task's department who are not signing it already."""
    task = WorkTask.objects.filter(pk=task_id).first()
    if task is None:
        return []
    taken = set(task.signers.filter(status__in=LIVE).values_list("user_id", flat=True))
    return sorted(staff_ids_in_department(task.department_id) - taken - {user_id})


@transaction.atomic
def sign_task(*, task_id: uuid.UUID, user_id: int, approve: bool, opinion: str) -> Completion | None:
    """Sign 同意 or 不同意 (with a reason) when it is the user's turn; returns the completion when
    this signature decided the step, else None."""
    task = _locked_open_task(task_id)
    row = _my_turn(task, user_id)
    turns = whose_turn(task)
    if row.kind == SignerKind.HOLDER:
        raise TaskConflict(_("您是本环节的办理人，请在办理栏中作出决定"), code="holder")
    services.refuse_if_suspended(task)
    opinion = opinion.strip()
    if not approve and not opinion:
        raise WorkflowError(_("不同意时请填写理由"), code="opinion_required")
    row.status = SignerStatus.APPROVED if approve else SignerStatus.REJECTED
    row.signed_at, row.opinion = timezone.now(), opinion
    row.signed_by_id = user_id if row.user_id != user_id else None
    row.save(update_fields=["status", "signed_at", "opinion", "signed_by"])
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.SIGN_APPROVE if approve else TaskOperation.Kind.SIGN_REJECT,
        actor_id=user_id,
        from_user_id=row.user_id,
        reason=opinion,
    )
    completion = _settle(task, user_id)
    announce_turns(task, turns)
    return completion


def _settle(task: WorkTask, actor_id: int) -> Completion | None:
    """Complete the task when its signatures decide it; otherwise leave it open."""
    mode = task.properties.get("countersign")
    signers = list(task.signers.filter(status__in=LIVE))
    if mode:
        return _settle_joint_step(task, Mode(mode), signers, actor_id)
    if not task.deferred_completion:
        return None  # 前加签: the handler's turn comes when those before them have signed
    if any(s.kind == SignerKind.AFTER and s.status == SignerStatus.REJECTED for s in signers):
        # 后加签 disagreed: the handler decides again, and those after them sign again.
        task.signers.filter(
            kind__in=(SignerKind.HOLDER, SignerKind.AFTER),
            status__in=(SignerStatus.APPROVED, SignerStatus.REJECTED),
        ).update(status=SignerStatus.PENDING, signed_at=None, opinion="")
        task.deferred_completion = {}
        task.save(update_fields=["deferred_completion"])
        return None
    if any(s.status == SignerStatus.PENDING for s in signers):
        return None
    decided = dict(task.deferred_completion)
    return services.finish_task(
        task,
        user_id=decided.pop("user_id"),
        principal=task.on_behalf_of_id,
        **decided,
    )


def _settle_joint_step(task: WorkTask, mode: Mode, signers: list[Signer], actor_id: int) -> Completion | None:
    approvals = sum(s.status == SignerStatus.APPROVED for s in signers)
    rejections = sum(s.status == SignerStatus.REJECTED for s in signers)
    ratio = parse_ratio(task.properties.get("countersign_ratio", "1")) if mode == Mode.RATIO else None
    decided = outcome(mode, approvals=approvals, rejections=rejections, total=len(signers), ratio=ratio)
    if decided is None:
        return None
    task.signers.filter(status=SignerStatus.PENDING).update(status=SignerStatus.VOID)
    summary = _("%(mode)s：同意%(yes)d人，不同意%(no)d人，共%(total)d人") % {
        "mode": MODE_LABELS[mode],
        "yes": approvals,
        "no": rejections,
        "total": len(signers),
    }
    return services.finish_task(
        task,
        user_id=actor_id,
        principal=None,
        action="approve" if decided else "deny",
        action_label=_("会签通过") if decided else _("会签未通过"),
        opinion=summary,
        data={task.properties["decision"]: decided},
    )


def _adder_row(task: WorkTask, user_id: int) -> Signer:
    """Where the added signers go: the user's own signature when it is their turn, or — on a
    one-person step — the handler's, created (and the task claimed) on the first 加签."""
    if task.signers.filter(user_id=user_id, status=SignerStatus.PENDING).exists():
        return _my_turn(task, user_id)
    if task.properties.get("countersign") or task.deferred_completion or not services.may_act(task, user_id):
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.assignee_id is None:
        task.assignee_id, task.claimed_at = user_id, timezone.now()
        task.save(update_fields=["assignee", "claimed_at"])
    return Signer.objects.create(task=task, user_id=user_id, kind=SignerKind.HOLDER)


@transaction.atomic
def add_signers(
    *, task_id: uuid.UUID, user_id: int, signer_ids: list[int], before: bool, reason: str
) -> list[int]:
    """加签: add colleagues of the task's department before or after me; returns the new signers."""
    task = _locked_open_task(task_id)
    services.refuse_if_suspended(task)
    services.refuse_if_delegated(task)
    if not may_add_signers_at(task):
        raise WorkflowError(_("只有审查、决定环节可以加签"), code="not_signable")
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("请填写加签说明"), code="reason_required")
    chosen = list(dict.fromkeys(signer_ids))
    allowed = set(signer_candidates(task.pk, user_id))
    if not chosen or any(u not in allowed for u in chosen):
        raise WorkflowError(_("请选择本部门尚未参与签署的工作人员"), code="not_allowed")
    turns = whose_turn(task)
    me = _adder_row(task, user_id)
    followers = list(task.signers.filter(waits_for=me, status=SignerStatus.PENDING))
    previous = me.waits_for if before else me
    added = []
    for signer_id in chosen:
        previous = Signer.objects.create(
            task=task,
            user_id=signer_id,
            kind=SignerKind.BEFORE if before else SignerKind.AFTER,
            waits_for=previous,
            added_by_id=user_id,
        )
        added.append(previous)
    if before:
        me.waits_for = previous
        me.save(update_fields=["waits_for"])
    else:
        for follower in followers:
            follower.waits_for = previous
            follower.save(update_fields=["waits_for"])
    label = _("前加签") if before else _("后加签")
    TaskOperation.objects.bulk_create(
        TaskOperation(
            task=task,
            kind=TaskOperation.Kind.ADD_SIGNER,
            actor_id=user_id,
            from_user_id=user_id,
            to_user_id=row.user_id,
            reason=f"{label}：{reason}",
        )
        for row in added
    )
    announce_turns(task, turns)
    return [row.pk for row in added]


@transaction.atomic
def remove_signer(*, signer_id: int, user_id: int, reason: str) -> Completion | None:
    """减签: take back a signer I added who has not signed; the step may be decided by it (e.g. the
    last missing 同意 of a 会签 step was theirs)."""
    row = Signer.objects.filter(pk=signer_id, added_by_id=user_id).first()
    if row is None:
        raise TaskNotFound(_("没有找到可减签的人员"), code="not_found")
    task = _locked_open_task(row.task_id)
    row = Signer.objects.select_for_update().get(pk=signer_id)
    if row.status != SignerStatus.PENDING:
        raise TaskConflict(_("该人员已签署，不能减签"), code="signed")
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("请填写减签理由"), code="reason_required")
    turns = whose_turn(task)
    task.signers.filter(waits_for=row).update(waits_for=row.waits_for)
    row.status = SignerStatus.REMOVED
    row.save(update_fields=["status"])
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.REMOVE_SIGNER,
        actor_id=user_id,
        from_user_id=user_id,
        to_user_id=row.user_id,
        reason=reason,
    )
    completion = _settle(task, user_id)
    announce_turns(task, turns)
    return completion
