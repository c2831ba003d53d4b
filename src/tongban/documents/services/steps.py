"""Driving the 发文 process: each step's completion (with what the step does — 编号, 套红, 用印, 分发
call the areas that own them), 退回, 撤回, 撤销, 会签 signatures and 催办, and the document's ``status``
kept in step with the process. Each call owns its transaction and locks the document row.

The step of an element (``ACTIONS``): 拟稿 送核稿 (the rules of ``SUBMIT`` first), 部门核稿 and
办公室核稿 核稿通过 (the 核稿人 recorded), 会签 同意/不同意 with an opinion (a department's opinion;
不同意 needs one and the office reviewer decides whether to send it back), 领导签发 through
``drafting.sign_off`` only, 编号 ``numbering.assign_number``, 套红 ``output.typeset_document``, 用印
``output.seal_document``, 分发 ``exchange.distribute_document``; after 分发 the document is 已分发."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.accounts.selectors import names_of
from tongban.documents import access
from tongban.documents.errors import DocumentError, DocumentNotFound, DocumentStateError
from tongban.documents.models import DocumentEvent, DocumentStatus, OfficialDocument
from tongban.documents.rules import SUBMIT, Violation
from tongban.documents.selectors import document_id_of
from tongban.documents.services import drafting, exchange, numbering, output
from tongban.notifications.services import notify
from tongban.workflow import countersign
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.selectors import NUDGE_AFTER_WORKING_DAYS, may_nudge
from tongban.workflow.types import Completion, TaskRef

STEP_STATUS = {
    "draft": DocumentStatus.DRAFTING,
    "dept_review": DocumentStatus.REVIEWING,
    "countersign": DocumentStatus.COUNTERSIGNING,
    "office_review": DocumentStatus.REVIEWING,
    "sign_off": DocumentStatus.SIGNING,
    "numbering": DocumentStatus.NUMBERING,
    "typesetting": DocumentStatus.TYPESETTING,
    "sealing": DocumentStatus.SEALING,
    "distribution": DocumentStatus.DISTRIBUTING,
}
ACTIONS: dict[str, list[tuple[str, Any]]] = {
    "draft": [("submit", gettext_lazy("送核稿"))],
    "dept_review": [("agree", gettext_lazy("核稿通过"))],
    "countersign": [("agree", gettext_lazy("同意")), ("disagree", gettext_lazy("不同意"))],
    "office_review": [("agree", gettext_lazy("核稿通过"))],
    "sign_off": [("sign_off", gettext_lazy("签发"))],
    "numbering": [("number", gettext_lazy("编号"))],
    "typesetting": [("typeset", gettext_lazy("套红"))],
    "sealing": [("seal", gettext_lazy("用印"))],
    "distribution": [("distribute", gettext_lazy("分发"))],
}
# 办理 of these steps changes the 正文 or 发文单 (they may be edited while the step is open).
EDITING_STEPS = ("draft", "dept_review", "countersign", "office_review")
REVIEW_STEPS = ("dept_review", "office_review")


def _step_work(element_id: str) -> Callable[..., Any] | None:
    """What the area owning a step does when it completes (the step's own output)."""
    return {
        "numbering": numbering.assign_number,
        "typesetting": output.typeset_document,
        "sealing": output.seal_document,
        "distribution": exchange.distribute_document,
    }.get(element_id)


@contextmanager
def workflow_refusals() -> Iterator[None]:
    """The engine's refusals as the document's (404 stays 404, a conflict stays 409)."""
    try:
        yield
    except TaskNotFound as exc:
        raise DocumentNotFound(exc.message, code=exc.code) from exc
    except TaskConflict as exc:
        raise DocumentStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise DocumentError(exc.message, code=exc.code, details=exc.details) from exc


def actions_for(task: TaskRef) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ACTIONS.get(task.element_id, [])]


def locked_task_document(task_id: uuid.UUID, user_id: int) -> tuple[TaskRef, OfficialDocument]:
    """The task (one the user may act on or did) and its document, locked; 404 otherwise."""
    task = workflow_selectors.task_for(user_id, task_id)
    document_id = document_id_of(task.subject) if task else None
    document = (
        OfficialDocument.objects.select_for_update().filter(pk=document_id).first() if document_id else None
    )
    if task is None or document is None:
        raise DocumentNotFound(_("没有找到该待办"), code="not_found")
    return task, document


def sync_status(document: OfficialDocument, *, finished: bool = False) -> None:
    """The document's status from its process: 已分发 once it ended, else its open step's."""
    status: str
    if finished:
        status = DocumentStatus.DISTRIBUTED
    else:
        open_steps = [t.element_id for t in workflow_selectors.open_tasks_of(document.subject)]
        known = [STEP_STATUS[e] for e in open_steps if e in STEP_STATUS]
        status = known[0] if known else document.status
    if status != document.status:
        document.status = status
        document.save(update_fields=["status", "updated_at"])


def _process_data(document: OfficialDocument) -> dict[str, Any]:
    """What the process reads of the 发文单: the departments asked to countersign (in order)."""
    return {
        "countersign_departments": list(
            document.countersigners.order_by("position", "id").values_list("department_id", flat=True)
        )
    }


def complete(
    task: TaskRef, document: OfficialDocument, *, user_id: int, action: str, opinion: str
) -> Completion:
    """Complete the step in the engine (the 发文单's 会签 departments go with it) and follow the
    document's status."""
    label = dict(actions_for(task)).get(action)
    if label is None:
        raise DocumentError(_("请选择办理结果"), code="invalid_action")
    with workflow_refusals():
        completion = workflow_services.complete_task(
            task_id=task.id,
            user_id=user_id,
            action=action,
            action_label=label,
            opinion=opinion,
            data=_process_data(document),
        )
    if task.element_id in REVIEW_STEPS and not completion.deferred:
        document.reviewer_id = user_id
        document.save(update_fields=["reviewer", "updated_at"])
    sync_status(document, finished=completion.finished)
    return completion


@transaction.atomic
def handle_step(
    *, task_id: uuid.UUID, user_id: int, action: str, opinion: str
) -> tuple[Completion, list[Violation]]:
    """办理 a step of a document other than 签发 (``drafting.sign_off``): the step's work, then its
    completion. 不同意 at 会签 needs an opinion. Returns the completion and the rules' warnings."""
    task, document = locked_task_document(task_id, user_id)
    if task.status != "open":
        raise DocumentStateError(_("该环节已办理"), code="not_open")
    if task.element_id == drafting.SIGN_OFF_STEP:
        raise DocumentError(_("请在签批栏中签发"), code="sign_off_page")
    opinion = opinion.strip()
    if action == "disagree" and not opinion:
        raise DocumentError(_("不同意时请填写会签意见"), code="opinion_required")
    warnings: list[Violation] = []
    if task.element_id == "draft":
        warnings = drafting.refuse_if_broken(document, SUBMIT)
    if action in dict(actions_for(task)):
        work = _step_work(task.element_id)
        if work is not None:
            if not document.is_signed_off:
                raise DocumentStateError(_("公文尚未签发"), code="not_signed_off")
            work(document_id=document.pk, user_id=user_id)
            document.refresh_from_db()
    return complete(task, document, user_id=user_id, action=action, opinion=opinion), warnings


@transaction.atomic
def send_back_step(*, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str) -> Completion:
    """退回 to an earlier step the model allows (e.g. 办公室核稿 → 拟稿), with a reason the drafter sees.
    Not after 签发 to a step before it: a signed-off document is not drafted again."""
    task, document = locked_task_document(task_id, user_id)
    if not reason.strip():
        raise DocumentError(_("请填写退回理由"), code="reason_required")
    if document.is_signed_off and target_element_id in EDITING_STEPS:
        raise DocumentStateError(_("公文已签发，不能退回修改正文的环节"), code="signed_off")
    with workflow_refusals():
        completion = workflow_services.send_back(
            task_id=task.id, user_id=user_id, target_element_id=target_element_id, reason=reason
        )
    if target_element_id == drafting.SIGN_OFF_STEP:
        _unsign(document)
    sync_status(document)
    return completion


def _unsign(document: OfficialDocument) -> None:
    """Sent back to 领导签发 from a later step (a mistake found at 编号 …): signed off again."""
    document.signed_off_at = None
    document.signature_image = None
    document.issued_on = None
    document.save(update_fields=["signed_off_at", "signature_image", "issued_on", "updated_at"])


@transaction.atomic
def withdraw_step(*, task_id: uuid.UUID, user_id: int) -> Completion:
    """撤回: whoever completed a step (the drafter their 拟稿) takes it back while the next step is
    untouched (open, unclaimed, nobody signed); the step is theirs again."""
    task, document = locked_task_document(task_id, user_id)
    if task.element_id == drafting.SIGN_OFF_STEP or (
        document.is_signed_off and task.element_id in EDITING_STEPS
    ):
        raise DocumentStateError(_("公文已签发，不能撤回签发及之前的环节"), code="signed_off")
    with workflow_refusals():
        completion = workflow_services.withdraw_task(task_id=task.id, user_id=user_id)
    sync_status(document)
    return completion


def withdrawable_task(document: OfficialDocument, user_id: int) -> uuid.UUID | None:
    """The step the user completed last on the document, if 撤回 may take it back now (as far as
    a page can tell: the service decides)."""
    record = [
        r
        for r in workflow_selectors.process_record(document.subject)
        if r.status == "completed" and r.assignee_id == user_id
    ]
    if not record or not workflow_selectors.open_tasks_of(document.subject):
        return None
    last = max(record, key=lambda r: r.completed_at or timezone.now())
    if last.element_id == drafting.SIGN_OFF_STEP or (
        document.is_signed_off and last.element_id in EDITING_STEPS
    ):
        return None
    return workflow_selectors.completed_task_id(document.subject, element_id=last.element_id, user_id=user_id)


@transaction.atomic
def cancel_document(*, document_id: int, user_id: int, reason: str = "") -> None:
    """撤销: the drafter takes back a draft nobody else acted on (never sent on, or sent back to them
    and withdrawn): its process ends and it is 已撤销."""
    document = OfficialDocument.objects.select_for_update().filter(pk=document_id, drafter_id=user_id).first()
    if document is None:
        raise DocumentNotFound(_("没有找到该公文"), code="not_found")
    if document.status != DocumentStatus.DRAFTING:
        raise DocumentStateError(_("公文已送出办理，不能撤销；可在下一环节办理前撤回"), code="not_draft")
    with workflow_refusals():
        workflow_services.cancel_untouched_instance(
            subject=document.subject, reason=reason.strip() or _("拟稿人撤销")
        )
    document.status = DocumentStatus.CANCELLED
    document.save(update_fields=["status", "updated_at"])
    DocumentEvent.objects.create(
        document=document,
        kind=DocumentEvent.Kind.CANCELLED,
        actor_id=user_id,
        note=reason.strip(),
        day=timezone.localdate(),
    )


@transaction.atomic
def sign_step(*, task_id: uuid.UUID, user_id: int, approve: bool, opinion: str) -> Completion | None:
    """加签 signers (and 会签 signers of a joint step) sign 同意 or 不同意 in their turn."""
    _task, document = locked_task_document(task_id, user_id)
    with workflow_refusals():
        completion = countersign.sign_task(task_id=task_id, user_id=user_id, approve=approve, opinion=opinion)
    sync_status(document, finished=bool(completion and completion.finished))
    return completion


@transaction.atomic
def remove_signer_step(*, task_id: uuid.UUID, signer_id: int, user_id: int, reason: str) -> Completion | None:
    """减签: take back a pending signer one added."""
    _task, document = locked_task_document(task_id, user_id)
    if signer_id not in {s.id for s in workflow_selectors.signers_of(task_id)}:
        raise DocumentNotFound(_("没有找到该签署人员"), code="not_found")
    with workflow_refusals():
        completion = countersign.remove_signer(signer_id=signer_id, user_id=user_id, reason=reason)
    sync_status(document, finished=bool(completion and completion.finished))
    return completion


@transaction.atomic
def nudge_step(*, document_id: int, user_id: int, task_id: uuid.UUID) -> int:
    """催办: the drafter reminds those who are to act on an open step that it waits; once a step a day,
    recorded. Returns how many were told."""
    document = OfficialDocument.objects.select_for_update().filter(pk=document_id, drafter_id=user_id).first()
    if document is None:
        raise DocumentNotFound(_("没有找到该公文"), code="not_found")
    task = next((t for t in workflow_selectors.open_tasks_of(document.subject) if t.id == task_id), None)
    if task is None:
        raise DocumentStateError(_("该环节已办理，无需催办"), code="not_open")
    today = timezone.localdate()
    if not may_nudge(task, today=today):
        raise DocumentStateError(
            _("该环节到达不满%(days)d个工作日且未超期，暂不能催办") % {"days": NUDGE_AFTER_WORKING_DAYS},
            code="too_early",
        )
    if DocumentEvent.objects.filter(
        document=document, kind=DocumentEvent.Kind.NUDGED, task_id=task.id, day=today
    ).exists():
        raise DocumentStateError(_("今天已催办过该环节，请明天再催办"), code="nudged_today")
    handlers = workflow_selectors.step_handler_ids(task.id)
    DocumentEvent.objects.create(
        document=document,
        kind=DocumentEvent.Kind.NUDGED,
        actor_id=user_id,
        task_id=task.id,
        step=task.name,
        note="、".join(sorted(names_of(handlers).values())),
        day=today,
    )
    title = _("催办：%(title)s %(step)s") % {"title": document.title, "step": task.name}
    body = _("%(drafter)s催办公文“%(title)s”的“%(step)s”环节，请尽快办理。") % {
        "drafter": names_of({user_id}).get(user_id, ""),
        "title": document.title,
        "step": task.name,
    }
    link = reverse("documents:task", args=[task.id])
    transaction.on_commit(
        lambda: [notify(user_id=h, title=title, body=body, link=link) for h in sorted(handlers)]
    )
    return len(handlers)


def document_of_task(task: TaskRef, user_id: int) -> OfficialDocument | None:
    """The document of a task the user may see the task of, within their 知悉范围."""
    document_id = document_id_of(task.subject)
    return access.get_document_for(user_id, document_id) if document_id else None


@transaction.atomic
def process_terminated(*, subject: str) -> None:
    """An administrator terminated the document's process (流程监控 终止): it is 已撤销 unless 分发 was done."""
    document_id = document_id_of(subject)
    if document_id is None:
        return
    OfficialDocument.objects.filter(pk=document_id).exclude(
        status__in=(DocumentStatus.DISTRIBUTED, DocumentStatus.ARCHIVED)
    ).update(status=DocumentStatus.CANCELLED, updated_at=timezone.now())
