"""Case handling (办理): staff act on the application's workflow tasks — 受理, 审查, 决定, 办结, 送达.

The workflow decides which step comes next (T-H3); this module says what each step may decide,
turns the chosen action into process variables and keeps the application's status, times and
result in step with the process. A case waiting for the applicant (补正) or in a special
procedure cannot move on until that ends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.applications.errors import ApplicationError, ApplicationNotFound, ApplicationStateError
from tongban.applications.events import application_closed
from tongban.applications.models import (
    Application,
    ApplicationResult,
    ApplicationStatus,
    DeliveryMethod,
)
from tongban.applications.selectors import STEP_NAME_ALIASES, definition_key_for
from tongban.applications.services.common import record_status
from tongban.applications.subjects import application_id_of, subject_of
from tongban.catalog.types import ItemSnapshot
from tongban.organizations.selectors import department_ids_for
from tongban.workflow import countersign
from tongban.workflow import services as workflow
from tongban.workflow.errors import TaskConflict
from tongban.workflow.selectors import open_tasks_of, step_meaning, subject_for_task, task_for
from tongban.workflow.types import Completion, TaskRef


@dataclass(frozen=True)
class ActionChoice:
    code: str
    label: str | Promise
    needs_opinion: bool


ACCEPT = ActionChoice("accept", gettext_lazy("受理"), False)
DECLINE = ActionChoice("decline", gettext_lazy("不予受理"), True)
PASS = ActionChoice("pass", gettext_lazy("审查通过"), True)
APPROVE = ActionChoice("approve", gettext_lazy("准予"), True)
DENY = ActionChoice("deny", gettext_lazy("不予"), True)
CLOSE = ActionChoice("close", gettext_lazy("办结"), False)
APPROVE_AND_CLOSE = ActionChoice("approve", gettext_lazy("准予并办结"), False)
DENY_AND_CLOSE = ActionChoice("deny", gettext_lazy("不予并办结"), True)
DELIVER = ActionChoice("deliver", gettext_lazy("送达"), False)
CORRECTABLE_STEPS = ("accept", "review")


def actions_for(task: TaskRef) -> list[ActionChoice]:
    """What a step may decide. A close step decides itself only when the model says so (即办)."""
    if step_meaning(task.step) == "accept":
        return [ACCEPT, DECLINE]
    if step_meaning(task.step) == "review":
        return [PASS]
    if step_meaning(task.step) == "decide":
        return [APPROVE, DENY]
    if step_meaning(task.step) == "close":
        if "decision" in task.properties and "result" not in task.properties:
            return [APPROVE_AND_CLOSE, DENY_AND_CLOSE]
        return [CLOSE]
    if step_meaning(task.step) == "deliver":
        return [DELIVER]
    return []


def start_process(application: Application, item: ItemSnapshot) -> Completion:
    """Start the application's workflow at submission; step limits come from the item's steps, and
    no step (a joint-approval lane included) is due after the promised finish date."""
    key, lanes = definition_key_for(item)
    limits = {}
    for step in item.steps:
        if step.limit and step.limit_unit == "working_day":
            limits[step.name] = step.limit
            limits.setdefault(STEP_NAME_ALIASES.get(step.name, step.name), step.limit)
    return workflow.start_instance(
        definition_key=key,
        subject=subject_of(application.pk),
        department_id=application.department_id,
        data={"number": application.number, "item_code": item.implementation_code},
        lane_departments=lanes,
        step_limits=limits,
        due_by=application.promised_finish_date,
    )


def _result_of(task: TaskRef, action: str, completion: Completion) -> str:
    if "result" in task.properties:
        return task.properties["result"]
    if "decision" in task.properties:
        return ApplicationResult.APPROVED if action == "approve" else ApplicationResult.DENIED
    approved = completion.variables.get("approved")
    return ApplicationResult.APPROVED if approved is True else ApplicationResult.DENIED


def _close(application: Application, result: str, *, staff_id: int, opinion: str) -> None:
    now = timezone.now()
    application.closed_at = now
    application.result = result
    record_status(application, ApplicationStatus.CLOSED, actor_id=staff_id, note=opinion)
    application.save(update_fields=["status", "closed_at", "result", "updated_at"])
    details = {
        "application_id": application.pk,
        "applicant_id": application.applicant_id,
        "item_version_id": application.item_version_id,
        "department_id": application.department_id,
        "number": application.number,
        "result": result,
        "closed_at": now,
    }
    transaction.on_commit(lambda: application_closed.send(sender=Application, **details))


def _case_for_task(task_id: uuid.UUID, staff_id: int) -> tuple[TaskRef, Application]:
    task = task_for(staff_id, task_id)
    application_id = application_id_of(task.subject) if task else None
    if task is None or application_id is None:
        raise ApplicationNotFound(_("没有找到该待办。"), code="not_found")
    if task.status != "open":
        raise ApplicationStateError(_("该待办已办理，请刷新待办列表。"), code="not_open")
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status == ApplicationStatus.CORRECTION_REQUESTED:
        raise ApplicationStateError(_("办件正在等待申请人补正，补正后才能继续办理。"), code="in_correction")
    if application.special_procedures.filter(ended_at__isnull=True).exists():
        raise ApplicationStateError(_("特别程序进行中，结束后才能继续办理。"), code="in_procedure")
    return task, application


@transaction.atomic
def handle_task(
    *, task_id: uuid.UUID, staff_id: int, action: str, opinion: str = "", delivery_method: str = ""
) -> Completion:
    """Complete one step of an application with the chosen action and opinion.

    Rules: only the task's assignee or staff with its role in its department (else "not found",
    T-H1); the action must be one the step offers, and reasons are required for refusals and for
    review and decision opinions (T-H5); the next step is the model's (T-H3). Raises
    ApplicationStateError (409) when someone else acted first (T-H2) or the case is paused.
    """
    task, application = _case_for_task(task_id, staff_id)
    choice = next((c for c in actions_for(task) if c.code == action), None)
    if choice is None:
        raise ApplicationError(_("请选择办理结果"), code="invalid_action")
    opinion = opinion.strip()
    if choice.needs_opinion and not opinion:
        raise ApplicationError(_("请填写办理意见"), code="opinion_required")
    if step_meaning(task.step) == "deliver" and delivery_method not in DeliveryMethod.values:
        raise ApplicationError(_("请选择送达方式"), code="delivery_method_required")
    data: dict[str, object] = {}
    if step_meaning(task.step) == "accept":
        data["accepted"] = action == "accept"
    elif "decision" in task.properties:
        data[task.properties["decision"]] = action == "approve"
    try:
        completion = workflow.complete_task(
            task_id=task.id,
            user_id=staff_id,
            action=action,
            action_label=str(choice.label),
            opinion=opinion,
            data=data,
        )
    except TaskConflict as exc:
        raise ApplicationStateError(exc.message, code=exc.code) from exc
    if not completion.deferred:  # 后加签: it takes effect once the added signers agree
        _apply(application, task, action, opinion, staff_id, completion, delivery_method)
    return completion


@transaction.atomic
def sign_task(*, task_id: uuid.UUID, staff_id: int, approve: bool, opinion: str) -> Completion | None:
    """会签/加签: sign 同意 or 不同意 on a task of a case that is being handled (not paused).
    Only 审查 and 决定 steps are signed by several people, so the case itself does not change here."""
    _case_for_task(task_id, staff_id)
    try:
        return countersign.sign_task(task_id=task_id, user_id=staff_id, approve=approve, opinion=opinion)
    except TaskConflict as exc:
        raise ApplicationStateError(exc.message, code=exc.code) from exc


def _apply(
    application: Application,
    task: TaskRef,
    action: str,
    opinion: str,
    staff_id: int,
    completion: Completion,
    delivery_method: str,
) -> None:
    """Keep the application's status, times and result in step with the completed task."""
    if step_meaning(task.step) == "accept" and action == "accept":
        application.accepted_at = timezone.now()
        record_status(application, ApplicationStatus.ACCEPTED, actor_id=staff_id, note=opinion)
        application.save(update_fields=["status", "accepted_at", "updated_at"])
    elif step_meaning(task.step) == "accept":
        application.closed_at = timezone.now()
        record_status(application, ApplicationStatus.DECLINED, actor_id=staff_id, note=opinion)
        application.save(update_fields=["status", "closed_at", "updated_at"])
    elif step_meaning(task.step) == "close":
        _close(application, _result_of(task, action, completion), staff_id=staff_id, opinion=opinion)
    elif step_meaning(task.step) == "deliver":
        application.delivered_at = timezone.now()
        application.delivery_method = delivery_method
        application.save(update_fields=["delivered_at", "delivery_method", "updated_at"])


def _open_task(application_id: int, staff_id: int, step: str) -> uuid.UUID:
    for task in open_tasks_of(subject_of(application_id)):
        if step_meaning(task.step) == step and task_for(staff_id, task.id) is not None:
            return task.id
    raise ApplicationNotFound(_("没有找到该办件。"), code="not_found")


def _refuse_unless_submitted(application_id: int, staff_id: int, message: str) -> None:
    """A clerk of the department is told the state; anyone else learns nothing (T-B3)."""
    status = Application.objects.filter(
        pk=application_id, department_id__in=department_ids_for(user_id=staff_id, role="clerk")
    ).values_list("status", flat=True)
    if status and status[0] != ApplicationStatus.SUBMITTED:
        raise ApplicationStateError(message, code="not_submitted")


def accept_application(*, application_id: int, staff_id: int, opinion: str = "") -> Completion:
    """受理: the intake step passes; the case goes on to the next step of its process."""
    _refuse_unless_submitted(application_id, staff_id, _("只有待预审的办件可以受理。"))
    return handle_task(
        task_id=_open_task(application_id, staff_id, "accept"),
        staff_id=staff_id,
        action="accept",
        opinion=opinion,
    )


def decline_application(*, application_id: int, staff_id: int, reason: str) -> Completion:
    """不予受理: ends the application; the reason is required and shown to the applicant (T-H5)."""
    _refuse_unless_submitted(application_id, staff_id, _("只有待预审的办件可以不予受理。"))
    if not reason.strip():
        raise ApplicationError(_("请输入不予受理的理由"), code="reason_required")
    return handle_task(
        task_id=_open_task(application_id, staff_id, "accept"),
        staff_id=staff_id,
        action="decline",
        opinion=reason,
    )


def _case_in_progress(
    task_id: uuid.UUID, staff_id: int, *, done: bool = False
) -> tuple[TaskRef, Application]:
    task = task_for(staff_id, task_id)
    application_id = application_id_of(task.subject) if task else None
    if task is None or application_id is None:
        raise ApplicationNotFound(_("没有找到该待办。"), code="not_found")
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED):
        raise ApplicationStateError(
            _("办件已办结、不予受理或正在补正，不能退回或撤回。"), code="not_in_progress"
        )
    return task, application


@transaction.atomic
def send_back_task(
    *, task_id: uuid.UUID, staff_id: int, target_element_id: str, reason: str, direct: bool = False
) -> Completion:
    """退回 an application to an earlier step with a reason (shown on the returned step's page).

    Sent back to intake (受理), the application is 待预审 again. Only while it is in progress (not
    closed, declined or waiting for the applicant); the workflow decides which steps are allowed."""
    task, application = _case_in_progress(task_id, staff_id)
    try:
        completion = workflow.send_back(
            task_id=task.id,
            user_id=staff_id,
            target_element_id=target_element_id,
            reason=reason,
            direct=direct,
        )
    except TaskConflict as exc:
        raise ApplicationStateError(exc.message, code=exc.code) from exc
    if (
        any(step_meaning(t.step) == "accept" for t in completion.opened)
        and application.status != ApplicationStatus.SUBMITTED
    ):
        record_status(application, ApplicationStatus.SUBMITTED, actor_id=staff_id, note=reason.strip())
        application.save(update_fields=["status", "updated_at"])
    return completion


@transaction.atomic
def withdraw_task(*, task_id: uuid.UUID, staff_id: int) -> Completion:
    """撤回 a step one completed, while the next step is untouched. Withdrawing 受理 makes the
    application 待预审 again; a closed application cannot be withdrawn."""
    application_id = application_id_of(subject_for_task(task_id) or "")
    if application_id is None:
        raise ApplicationNotFound(_("没有找到可撤回的已办事项"), code="not_found")
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED):
        raise ApplicationStateError(_("办件已办结或不予受理，不能撤回。"), code="not_in_progress")
    try:
        completion = workflow.withdraw_task(task_id=task_id, user_id=staff_id)
    except TaskConflict as exc:
        raise ApplicationStateError(exc.message, code=exc.code) from exc
    if (
        any(step_meaning(t.step) == "accept" for t in completion.opened)
        and application.status != ApplicationStatus.SUBMITTED
    ):
        record_status(application, ApplicationStatus.SUBMITTED, actor_id=staff_id, note=_("撤回受理"))
        application.save(update_fields=["status", "updated_at"])
    return completion


@transaction.atomic
def void_terminated_application(*, subject: str, reason: str, actor_id: int) -> None:
    """The process monitor terminated the case's process: the application closes as 作废 with the
    reason shown to the applicant. Idempotent (a second delivery changes nothing)."""
    application_id = application_id_of(subject)
    if application_id is None:
        return
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status in (ApplicationStatus.CLOSED, ApplicationStatus.DECLINED):
        return
    application.closed_at = timezone.now()
    application.result = ApplicationResult.VOIDED
    record_status(application, ApplicationStatus.CLOSED, actor_id=actor_id, note=reason)
    application.save(update_fields=["status", "closed_at", "result", "updated_at"])
