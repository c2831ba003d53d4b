"""内部事项 writes: forms, 发起, handling a step, 撤销 and 催办. Each owns its transaction."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.accounts.selectors import names_of
from tongban.notifications.services import notify
from tongban.office.errors import RequestError, RequestNotFound, RequestStateError
from tongban.office.models import InternalRequest, RequestEvent, RequestForm, RequestStatus
from tongban.office.permissions import field_permissions
from tongban.office.selectors import (
    INTERNAL_FAMILY,
    form_fields,
    initiator_departments,
    may_start,
    request_id_of,
)
from tongban.schemaforms import validate_schema
from tongban.workflow import countersign
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.selectors import NUDGE_AFTER_WORKING_DAYS, may_nudge
from tongban.workflow.types import Completion, TaskRef

SHIPPED_FORMS_DIR = Path(__file__).resolve().parent / "forms"
APPROVE, REJECT, DONE = "approve", "reject", "done"
# Names the start and task pages post besides the form's fields (docs/process-models.md).
RESERVED_FIELDS = frozenset({"action", "opinion", "phrase", "department", "idempotency_key"})
ACTION_LABELS = {
    APPROVE: gettext_lazy("同意"),
    REJECT: gettext_lazy("不同意"),
    DONE: gettext_lazy("办理完毕"),
}


def install_shipped_forms() -> list[str]:
    """Store the forms that ship with the app (``forms/*.json``) when missing, or when a shipped one
    changed in the release (a form an administrator saved over is left alone). Idempotent."""
    stored = []
    for path in sorted(SHIPPED_FORMS_DIR.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        validate_schema(raw["schema"], raw["ui_schema"])
        current = RequestForm.objects.filter(key=raw["key"]).first()
        fields = {"name": raw["name"], "schema": raw["schema"], "ui_schema": raw["ui_schema"]}
        if current is None:
            RequestForm.objects.create(key=raw["key"], is_shipped=True, **fields)
        elif current.is_shipped and (current.name, current.schema, current.ui_schema) != tuple(
            fields.values()
        ):
            RequestForm.objects.filter(pk=current.pk).update(**fields)
        else:
            continue
        stored.append(raw["key"])
    return stored


@transaction.atomic
def save_form(*, key: str, name: str, schema: Any, ui_schema: Any) -> None:
    """Create or replace the form ``key`` after ``schemaforms.validate_schema`` accepts it
    (FormSchemaError lists every problem otherwise, and nothing is saved). Requests already
    started keep their answers; the next ones use the new form."""
    if not key or not key.replace("_", "").replace("-", "").isalnum():
        raise RequestError(_("表单标识只能包含字母、数字、下划线和连字符"), code="bad_key")
    if not name.strip():
        raise RequestError(_("请输入表单名称"), code="name_required")
    validate_schema(schema, ui_schema)
    taken = sorted(
        RESERVED_FIELDS & set((schema.get("properties") or {}) if isinstance(schema, dict) else ())
    )
    if taken:
        raise RequestError(
            _("字段名“%(names)s”由办理页面使用，请换一个字段名") % {"names": "、".join(taken)},
            code="reserved_field",
        )
    RequestForm.objects.update_or_create(
        key=key,
        defaults={"name": name.strip(), "schema": schema, "ui_schema": ui_schema, "is_shipped": False},
    )


def _title(answers: dict[str, Any], process_name: str, initiator_name: str) -> str:
    title = answers.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()[:200]
    return f"{process_name}（{initiator_name}）"[:200]


def start_request(
    *,
    user_id: int,
    username: str,
    process_key: str,
    department_id: int,
    answers: dict[str, Any],
    idempotency_key: str,
    chosen_assignees: dict[str, list[int]] | None = None,
) -> int:
    """发起: create the request and start its process in one transaction; returns the request id.

    Rules: the process is a published internal process the user may start (its ``starters`` roles;
    none: every staff member), else RequestNotFound; the department is one the user works in; the
    answers (already checked against the process's form) and ``initiator`` (the username) become
    the process variables, so conditions such as ``days > 3`` see them. A retried submission (same
    ``idempotency_key``) returns the request it created instead of starting a second one.
    ``chosen_assignees``: the people the initiator chose for its 发起人自选 steps (by element id).
    """
    if not idempotency_key:
        raise RequestError(_("页面已过期，请重新打开发起页面"), code="no_key")
    existing = InternalRequest.objects.filter(initiator_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    process = workflow_selectors.published_process(process_key)
    if process is None or process.family != INTERNAL_FAMILY or not may_start(user_id, process):
        raise RequestNotFound(_("没有找到可发起的流程"), code="not_startable")
    if department_id not in {d.id for d in initiator_departments(user_id)}:
        raise RequestError(_("请选择您所在的部门"), code="bad_department")
    try:
        return _create_and_start(
            user_id=user_id,
            username=username,
            process=process,
            department_id=department_id,
            answers=answers,
            idempotency_key=idempotency_key,
            chosen_assignees=chosen_assignees,
        )
    except IntegrityError:
        # The same submission won a race with this one: answer with the request it created.
        winner = InternalRequest.objects.filter(initiator_id=user_id, idempotency_key=idempotency_key).first()
        if winner is None:
            raise
        return winner.pk


@transaction.atomic
def _create_and_start(
    *,
    user_id: int,
    username: str,
    process: Any,
    department_id: int,
    answers: dict[str, Any],
    idempotency_key: str,
    chosen_assignees: dict[str, list[int]] | None,
) -> int:
    initiator_name = names_of({user_id}).get(user_id, username)
    request = InternalRequest.objects.create(
        definition_key=process.key,
        definition_version=process.version,
        process_name=process.name,
        form_key=process.properties.get("form", ""),
        initiator_id=user_id,
        department_id=department_id,
        title=_title(answers, process.name, initiator_name),
        answers=answers,
        idempotency_key=idempotency_key,
    )
    request.number = f"NB-{timezone.localdate():%Y}-{request.pk:06d}"
    request.save(update_fields=["number"])
    completion = workflow_services.start_instance(
        definition_key=process.key,
        subject=request.subject,
        department_id=department_id,
        data=answers
        | {
            "initiator": username,
            "initiator_department": department_id,
            "request_number": request.number,
        },
        chosen_assignees=chosen_assignees,
    )
    if completion.finished:
        _finish(request, completion)
    return request.pk


def _finish(request: InternalRequest, completion: Completion) -> None:
    """The process ended: 不同意 if any step's decision said no, else 同意."""
    decisions = workflow_selectors.decision_names(request.subject)
    refused = any(completion.variables.get(name) is False for name in decisions)
    request.status = RequestStatus.REJECTED if refused else RequestStatus.APPROVED
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at"])


def actions_for(task: TaskRef) -> list[tuple[str, str]]:
    """What an internal step decides: 同意/不同意 where the step has a ``decision`` variable, else
    办理完毕 (a step that records something, e.g. the seal use)."""
    if task.properties.get("decision"):
        return [(APPROVE, str(ACTION_LABELS[APPROVE])), (REJECT, str(ACTION_LABELS[REJECT]))]
    return [(DONE, str(ACTION_LABELS[DONE]))]


def _request_for_task(task_id: uuid.UUID, user_id: int) -> tuple[TaskRef, InternalRequest]:
    task = workflow_selectors.task_for(user_id, task_id)
    request_id = request_id_of(task.subject) if task else None
    request = (
        InternalRequest.objects.select_for_update().filter(pk=request_id).first() if request_id else None
    )
    if task is None or request is None:
        raise RequestNotFound(_("没有找到该待办"), code="not_found")
    return task, request


@transaction.atomic
def handle_request_task(
    *,
    task_id: uuid.UUID,
    user_id: int,
    action: str,
    opinion: str,
    changes: dict[str, Any],
    chosen_assignees: dict[str, list[int]] | None = None,
) -> Completion:
    """Complete a step of a request with 同意 / 不同意 (the step's ``decision`` variable true/false)
    or 办理完毕, an opinion (required for 不同意) and ``changes``: the answers of the fields the
    step may edit (``field_permissions``), already checked against the form. A change to any other
    field is refused (RequestError) and nothing is saved. The changes go into the request's answers
    and the process variables. ``chosen_assignees``: the people chosen for the next steps whose rule
    is 审批人自选 (by element id). Raises RequestNotFound / RequestStateError like the workflow."""
    task, request = _request_for_task(task_id, user_id)
    choices = dict(actions_for(task))
    if action not in choices:
        raise RequestError(_("请选择办理结果"), code="invalid_action")
    opinion = opinion.strip()
    if action == REJECT and not opinion:
        raise RequestError(_("不同意时请填写意见"), code="opinion_required")
    permissions = field_permissions(task.properties)
    refused = sorted(set(changes) - permissions.editable)
    if refused:
        labels = form_fields(request.form_key)
        raise RequestError(
            _("本环节不能修改“%(fields)s”") % {"fields": "、".join(labels.get(f, f) for f in refused)},
            code="field_not_editable",
        )
    data: dict[str, Any] = dict(changes)
    if task.properties.get("decision"):
        data[task.properties["decision"]] = action == APPROVE
    try:
        completion = workflow_services.complete_task(
            task_id=task.id,
            user_id=user_id,
            action=action,
            action_label=choices[action],
            opinion=opinion,
            data=data,
            chosen_assignees=chosen_assignees,
        )
    except TaskNotFound as exc:
        raise RequestNotFound(exc.message, code=exc.code) from exc
    except TaskConflict as exc:
        raise RequestStateError(exc.message, code=exc.code) from exc
    if changes:
        request.answers = request.answers | changes
        request.save(update_fields=["answers"])
    if completion.finished:
        _finish(request, completion)
    return completion


@transaction.atomic
def sign_request_task(*, task_id: uuid.UUID, user_id: int, approve: bool, opinion: str) -> Completion | None:
    """会签/加签 on a step of a request: sign 同意 or 不同意 (with a reason) in one's turn."""
    _task, request = _request_for_task(task_id, user_id)
    try:
        completion = countersign.sign_task(task_id=task_id, user_id=user_id, approve=approve, opinion=opinion)
    except TaskConflict as exc:
        raise RequestStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise RequestError(exc.message, code=exc.code) from exc
    if completion is not None and completion.finished:
        _finish(request, completion)
    return completion


@transaction.atomic
def remove_request_signer(
    *, task_id: uuid.UUID, signer_id: int, user_id: int, reason: str
) -> Completion | None:
    """减签 on a step of a request: take back a pending signer one added (countersign.remove_signer);
    when that decides the last step, the request ends like any completion."""
    _task, request = _request_for_task(task_id, user_id)
    if signer_id not in {s.id for s in workflow_selectors.signers_of(task_id)}:
        raise RequestNotFound(_("没有找到该签署人员"), code="not_found")
    try:
        completion = countersign.remove_signer(signer_id=signer_id, user_id=user_id, reason=reason)
    except TaskConflict as exc:
        raise RequestStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise RequestError(exc.message, code=exc.code) from exc
    if completion is not None and completion.finished:
        _finish(request, completion)
    return completion


def send_back_request_task(
    *, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str, direct: bool = False
) -> Completion:
    """退回 a step of a request to an earlier one (``workflow.services.send_back``), with a reason."""
    if not reason.strip():
        raise RequestError(_("请填写退回理由"), code="reason_required")
    _request_for_task(task_id, user_id)
    try:
        return workflow_services.send_back(
            task_id=task_id,
            user_id=user_id,
            target_element_id=target_element_id,
            reason=reason,
            direct=direct,
        )
    except TaskNotFound as exc:
        raise RequestNotFound(exc.message, code=exc.code) from exc


@transaction.atomic
def cancel_request(*, request_id: int, user_id: int, reason: str = "") -> None:
    """撤销: the initiator takes the request back while nobody has acted on it (no step completed,
    sent back, claimed or signed): its process ends, its status is 已撤销 and the cancellation is
    recorded. Refused otherwise (RequestStateError), and for anyone but the initiator (not found)."""
    request = InternalRequest.objects.select_for_update().filter(pk=request_id, initiator_id=user_id).first()
    if request is None:
        raise RequestNotFound(_("没有找到该事项"), code="not_found")
    if request.status != RequestStatus.RUNNING:
        raise RequestStateError(_("该事项已结束，不能撤销"), code="ended")
    try:
        workflow_services.cancel_untouched_instance(
            subject=request.subject, reason=reason.strip() or _("发起人撤销")
        )
    except (TaskConflict, TaskNotFound) as exc:
        raise RequestStateError(exc.message, code=exc.code) from exc
    now = timezone.now()
    request.status, request.ended_at = RequestStatus.CANCELLED, now
    request.save(update_fields=["status", "ended_at"])
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.CANCELLED,
        actor_id=user_id,
        note=reason.strip(),
        day=timezone.localdate(),
    )


@transaction.atomic
def nudge_step(*, request_id: int, user_id: int, task_id: uuid.UUID) -> int:
    """催办: the initiator reminds those who are to act on an open step (in-app message, SMS/email
    where they have one) that it is overdue or has waited; recorded. At most once per step per day
    (a database constraint), and only for a step ``may_nudge`` allows; returns how many were told."""
    request = InternalRequest.objects.select_for_update().filter(pk=request_id, initiator_id=user_id).first()
    if request is None:
        raise RequestNotFound(_("没有找到该事项"), code="not_found")
    task = next((t for t in workflow_selectors.open_tasks_of(request.subject) if t.id == task_id), None)
    if task is None or request.status != RequestStatus.RUNNING:
        raise RequestStateError(_("该环节已办理，无需催办"), code="not_open")
    today = timezone.localdate()
    if not may_nudge(task, today=today):
        raise RequestStateError(
            _("该环节到达不满%(days)d个工作日且未超期，暂不能催办") % {"days": NUDGE_AFTER_WORKING_DAYS},
            code="too_early",
        )
    if RequestEvent.objects.filter(
        request=request, kind=RequestEvent.Kind.NUDGED, task_id=task.id, day=today
    ).exists():
        raise RequestStateError(_("今天已催办过该环节，请明天再催办"), code="nudged_today")
    handlers = workflow_selectors.step_handler_ids(task.id)
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.NUDGED,
        actor_id=user_id,
        task_id=task.id,
        step=task.name,
        note="、".join(sorted(names_of(handlers).values())),
        day=today,
    )
    title = _("催办：%(number)s %(step)s") % {"number": request.number, "step": task.name}
    body = _("%(initiator)s催办“%(title)s”的“%(step)s”环节，请尽快办理。") % {
        "initiator": names_of({user_id}).get(user_id, ""),
        "title": request.title,
        "step": task.name,
    }
    link = reverse("office:task", args=[task.id])
    transaction.on_commit(
        lambda: [notify(user_id=h, title=title, body=body, link=link) for h in sorted(handlers)]
    )
    return len(handlers)


@transaction.atomic
def process_terminated(*, subject: str, reason: str) -> None:
    """An administrator terminated the request's process (流程监控 终止): the request ends so."""
    request_id = request_id_of(subject)
    if request_id is None:
        return
    InternalRequest.objects.filter(pk=request_id, status=RequestStatus.RUNNING).update(
        status=RequestStatus.TERMINATED, ended_at=timezone.now()
    )
