"""收文办理 writes (issue 15): 登记 with a 收文号, then the steps of the ``document_incoming`` process —
拟办 → 领导批示 (handwritten signature; 承办 departments and 办理时限) → 承办 (one task per department, in
parallel) → 传阅 (待阅/已阅) → 办结 (答复 linked) — and 催办. Each call owns its transaction; the
ReceivedDocument row is locked (``select_for_update``) for every read-modify-write, and its
``handling_status`` follows the open steps."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of, staff_user_ids
from tongban.core.errors import ConflictError, TongbanError
from tongban.core.uploads import UploadError, check_upload, check_uploads
from tongban.documents.access import clerk_department_ids, get_document_for
from tongban.documents.models import (
    Circulation,
    DocumentKind,
    HandlingAssignment,
    HandlingAttachment,
    HandlingStatus,
    IncomingHandling,
    IncomingNudge,
    IncomingState,
    OfficialDocument,
    ReceivedDocument,
    RegistrationCounter,
    Secrecy,
    Urgency,
)
from tongban.notifications.services import notify
from tongban.organizations.selectors import departments_by_ids
from tongban.workflow import countersign
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.phrases import signatures_of
from tongban.workflow.selectors import NUDGE_AFTER_WORKING_DAYS, may_nudge
from tongban.workflow.types import Completion, TaskRef

INCOMING_PROCESS = "document_incoming"
DOCUMENT_FAMILY = "document"
PROCESS_FILE = Path(__file__).resolve().parent.parent / "processes" / f"{INCOMING_PROCESS}.bpmn"
SUBJECT_PREFIX = "received:"
# The model has this many 承办 lanes (承办单位1 … 5): at most this many departments handle one 收文.
MAX_HANDLING_DEPARTMENTS = 5
MAX_HANDLING_DAYS = 60
SIGNATURE_MAX_MB = 1
ATTACHMENT_MAX_MB = 20
ATTACHMENT_TYPES = ("pdf", "ofd", "png", "jpg")
# Element ids of the model's steps.
PROPOSE, INSTRUCT, CIRCULATE, CLOSE = "propose", "instruct", "circulate", "close"
HANDLE_PREFIX = "handle_"
# Documents that ask for an answer (a 请示 gets a 批复), and the kinds an answer may be.
ASKS_FOR_REPLY = frozenset({DocumentKind.REQUEST})
REPLY_KINDS = frozenset({DocumentKind.REPLY, DocumentKind.LETTER})


class IncomingError(TongbanError):
    """A refused 收文 operation, with a message for the person."""


class IncomingNotFound(IncomingError):
    """Not there, or not the user's to act on (the same answer for both)."""

    status = 404


class IncomingStateError(IncomingError, ConflictError):
    """The 收文's state forbids the operation now (HTTP 409)."""

    status = 409


# --- rules (pure) ---------------------------------------------------------------------------------


def registration_number(prefix: str, year: int, sequence: int) -> str:
    """收文号: the department's short name (may be empty), 收, the year in 〔〕 and the sequence,
    e.g. 市发改委收〔2026〕15号."""
    return f"{prefix}收〔{year}〕{sequence}号"


def needs_reply(kind: str) -> bool:
    """A 请示 asks for an answer (批复): it is 办结 only with the answer linked."""
    return kind in ASKS_FOR_REPLY


def handle_slot(element_id: str) -> int | None:
    """The 承办 lane number of a step (``handle_2`` → 2); None for the other steps."""
    tail = element_id.removeprefix(HANDLE_PREFIX)
    return int(tail) if element_id.startswith(HANDLE_PREFIX) and tail.isdigit() else None


def lane_name(slot: int) -> str:
    return f"承办单位{slot}"


def status_for(open_elements: set[str], finished: bool) -> str:
    """``handling_status`` from the steps open now: the earliest open step wins."""
    if finished:
        return HandlingStatus.DONE
    if PROPOSE in open_elements:
        return HandlingStatus.PROPOSING
    if INSTRUCT in open_elements:
        return HandlingStatus.INSTRUCTING
    if any(handle_slot(e) for e in open_elements):
        return HandlingStatus.HANDLING
    return HandlingStatus.CIRCULATING


def received_id_of(subject: str) -> int | None:
    tail = subject.removeprefix(SUBJECT_PREFIX)
    return int(tail) if subject.startswith(SUBJECT_PREFIX) and tail.isdigit() else None


# --- the process ----------------------------------------------------------------------------------


def install_incoming_process() -> int:
    """Store the shipped 收文 model (``processes/document_incoming.bpmn``, family 公文) when it is missing
    or changed in the release; returns the id of the current version. Idempotent."""
    return workflow_services.install_definition(
        key=INCOMING_PROCESS, data=PROCESS_FILE.read_bytes(), family=DOCUMENT_FAMILY
    )


def _ensure_process() -> None:
    """Install the model on first use; when registrations race to install it, one stores it and the
    others use that version."""
    if workflow_selectors.published_process(INCOMING_PROCESS) is None:
        try:
            install_incoming_process()
        except TaskConflict:
            if workflow_selectors.published_process(INCOMING_PROCESS) is None:
                raise


# --- 登记 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """What 登记 records (prefilled from the delivery, editable)."""

    sender_name: str
    document_number: str
    title: str
    secrecy: str
    urgency: str
    page_count: int | None


def _check_registration(fields: Registration) -> None:
    problems = []
    if not fields.sender_name.strip():
        problems.append(_("请填写来文单位"))
    if not fields.title.strip():
        problems.append(_("请填写标题"))
    if fields.secrecy not in Secrecy.values:
        problems.append(_("请选择密级"))
    if fields.urgency not in Urgency.values:
        problems.append(_("请选择缓急"))
    if fields.page_count is not None and not 1 <= fields.page_count <= 9999:
        problems.append(_("页数须在1至9999之间"))
    if problems:
        raise IncomingError("；".join(problems), code="invalid_registration", details=problems)


def _next_sequence(department_id: int, year: int) -> int:
    """The next 收文号 sequence of the department's year: the counter row, locked, bumped."""
    counter = (
        RegistrationCounter.objects.select_for_update().filter(department_id=department_id, year=year).first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                RegistrationCounter.objects.create(department_id=department_id, year=year)
        except IntegrityError:
            pass  # another registration created it first: lock theirs
        counter = RegistrationCounter.objects.select_for_update().get(department_id=department_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def register_received(*, received_id: int, user_id: int, fields: Registration) -> str:
    """登记 by a 文书人员 of the receiving department: give the signed-for 收文 the next 收文号 of its
    department and year (no gaps, no duplicates), record the registered fields and start the 收文
    process (拟办 first). Returns the 收文号. Registering again returns the number it has (nothing
    changes); a copy not signed for (待签收, 退文, 撤回) is refused (409)."""
    _ensure_process()
    with transaction.atomic():
        received = ReceivedDocument.objects.select_for_update().filter(pk=received_id).first()
        if received is None or received.department_id not in clerk_department_ids(user_id):
            raise IncomingNotFound(_("没有找到该收文"), code="not_found")
        if received.registration_number:
            return received.registration_number
        if received.state != IncomingState.RECEIVED:
            raise IncomingStateError(_("该收文尚未签收，签收后才能登记"), code="not_received")
        _check_registration(fields)
        now = timezone.now()
        year = timezone.localdate(now).year
        department = departments_by_ids({received.department_id})[received.department_id]
        number = registration_number(
            department.short_name, year, _next_sequence(received.department_id, year)
        )
        received.registration_number, received.registered_at = number, now
        received.sender_name = fields.sender_name.strip()[:100]
        received.document_number = fields.document_number.strip()[:40]
        received.title = fields.title.strip()[:200]
        received.secrecy, received.urgency, received.page_count = (
            fields.secrecy,
            fields.urgency,
            fields.page_count,
        )
        received.handling_status = HandlingStatus.PROPOSING
        received.save()
        IncomingHandling.objects.create(received=received, registered_by_id=user_id)
        workflow_services.start_instance(
            definition_key=INCOMING_PROCESS,
            subject=received.subject,
            department_id=received.department_id,
            data={"received_id": received.pk, "registration_number": number, "kind": received.kind},
        )
        return number


# --- the steps --------------------------------------------------------------------------------------


def _task_and_received(
    task_id: uuid.UUID, user_id: int, element: str | None = None
) -> tuple[TaskRef, ReceivedDocument]:
    """The open task the user may act on and its 收文 (locked); ``element``: it must be that step."""
    task = workflow_selectors.task_for(user_id, task_id)
    received_id = received_id_of(task.subject) if task else None
    received = (
        ReceivedDocument.objects.select_for_update().filter(pk=received_id).first() if received_id else None
    )
    if task is None or received is None:
        raise IncomingNotFound(_("没有找到该待办"), code="not_found")
    if task.status != "open":
        raise IncomingStateError(_("该环节已办理"), code="not_open")
    if element is not None and not (
        task.element_id == element or (element == HANDLE_PREFIX and handle_slot(task.element_id))
    ):
        raise IncomingStateError(_("该环节不能这样办理"), code="wrong_step")
    return task, received


def sync_status(received: ReceivedDocument) -> str:
    """Set ``handling_status`` from the process's open steps (after any step or operation)."""
    instance_open = workflow_selectors.open_tasks_of(received.subject)
    instance = workflow_selectors.instance_of(received.subject)
    finished = instance is not None and instance.status == "completed"
    status = status_for({t.element_id for t in instance_open}, finished)
    if received.handling_status != status:
        received.handling_status = status
        received.save(update_fields=["handling_status"])
    return status


def _complete(task: TaskRef, user_id: int, *, label: str, opinion: str, data: dict[str, Any]) -> Completion:
    try:
        return workflow_services.complete_task(
            task_id=task.id, user_id=user_id, action="done", action_label=label, opinion=opinion, data=data
        )
    except TaskNotFound as exc:
        raise IncomingNotFound(exc.message, code=exc.code) from exc
    except TaskConflict as exc:
        raise IncomingStateError(exc.message, code=exc.code) from exc


@transaction.atomic
def propose(*, task_id: uuid.UUID, user_id: int, opinion: str) -> Completion:
    """拟办 (核稿人员 of the receiving department): who should handle it and which leader instructs."""
    task, received = _task_and_received(task_id, user_id, PROPOSE)
    opinion = opinion.strip()
    if not opinion:
        raise IncomingError(_("请填写拟办意见"), code="opinion_required")
    completion = _complete(task, user_id, label=_("拟办"), opinion=opinion, data={})
    if not completion.deferred:
        IncomingHandling.objects.filter(received=received).update(
            proposal=opinion, proposed_by_id=user_id, proposed_at=timezone.now()
        )
    sync_status(received)
    return completion


def _signature(user_id: int, drawn: bytes | None, use_saved: bool) -> bytes:
    """The 批示 signature: a drawn PNG (checked and re-encoded) or the leader's saved one."""
    if drawn:
        try:
            checked = check_upload(
                name="signature.png", data=drawn, allowed_types=("png",), max_size_mb=SIGNATURE_MAX_MB
            )
        except UploadError as exc:
            raise IncomingError(
                _("手写签批无效：%(reason)s") % {"reason": exc.message}, code="bad_signature"
            ) from exc
        return checked.content
    if use_saved:
        saved = signatures_of({user_id}).get(user_id)
        if saved:
            return saved
        raise IncomingError(_("您还没有保存签名，请在签批区手写签名"), code="no_saved_signature")
    raise IncomingError(_("请手写签批或使用已保存的签名"), code="signature_required")


@transaction.atomic
def instruct(
    *,
    task_id: uuid.UUID,
    user_id: int,
    opinion: str,
    department_ids: Sequence[int],
    handling_days: int,
    signature_png: bytes | None = None,
    use_saved_signature: bool = False,
) -> Completion:
    """领导批示 (签发领导): an opinion with a handwritten signature, the 承办 departments (1 to
    MAX_HANDLING_DEPARTMENTS, in the order chosen) and the 办理时限 in working days. Each department's
    承办 step opens in that department (its 文书人员 handle it), due ``handling_days`` working days
    after it opens (core.calendar)."""
    task, received = _task_and_received(task_id, user_id, INSTRUCT)
    opinion = opinion.strip()
    problems = []
    if not opinion:
        problems.append(_("请填写批示意见"))
    chosen = list(dict.fromkeys(int(d) for d in department_ids))
    departments = departments_by_ids(set(chosen))
    if not chosen:
        problems.append(_("请选择承办单位"))
    elif len(chosen) > MAX_HANDLING_DEPARTMENTS:
        problems.append(_("承办单位最多%(n)d个") % {"n": MAX_HANDLING_DEPARTMENTS})
    elif len(departments) != len(chosen):
        problems.append(_("请选择有效的承办单位"))
    if not 1 <= handling_days <= MAX_HANDLING_DAYS:
        problems.append(_("办理时限须为1至%(n)d个工作日") % {"n": MAX_HANDLING_DAYS})
    if problems:
        raise IncomingError("；".join(problems), code="invalid_instruction", details=problems)
    signature = _signature(user_id, signature_png, use_saved_signature)
    slots = {lane_name(k): d for k, d in enumerate(chosen, start=1)}
    limits = {f"{HANDLE_PREFIX}{k}": handling_days for k in range(1, len(chosen) + 1)}
    workflow_services.plan_lanes(subject=received.subject, lane_departments=slots, step_limits=limits)
    completion = _complete(
        task,
        user_id,
        label=_("批示"),
        opinion=opinion,
        data={"handling_count": len(chosen), "handling_days": handling_days},
    )
    if completion.deferred:
        return completion
    IncomingHandling.objects.filter(received=received).update(
        instruction=opinion,
        instructed_by_id=user_id,
        instructed_at=timezone.now(),
        signature_image=signature,
        handling_days=handling_days,
    )
    HandlingAssignment.objects.filter(received=received).delete()  # instructed again after 退回
    due = {handle_slot(t.element_id): t.due_date for t in completion.opened if handle_slot(t.element_id)}
    HandlingAssignment.objects.bulk_create(
        HandlingAssignment(received=received, department_id=d, slot=k, due_date=due.get(k))
        for k, d in enumerate(chosen, start=1)
    )
    sync_status(received)
    return completion


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


@transaction.atomic
def complete_handling(
    *, task_id: uuid.UUID, user_id: int, result: str, files: Sequence[UploadedFile] = ()
) -> Completion:
    """承办 by one department: its result and attachments (PDF, OFD, PNG, JPEG, checked by
    core.uploads). The 传阅 step opens once every 承办 department is done."""
    task, received = _task_and_received(task_id, user_id, HANDLE_PREFIX)
    result = result.strip()
    if not result:
        raise IncomingError(_("请填写办理结果"), code="result_required")
    assignment = HandlingAssignment.objects.filter(
        received=received, slot=handle_slot(task.element_id) or 0
    ).first()
    if assignment is None:
        raise IncomingStateError(_("没有找到该承办记录"), code="no_assignment")
    try:
        checked = check_uploads(
            ((upload.name, upload.data) for upload in files),
            allowed_types=ATTACHMENT_TYPES,
            max_size_mb=ATTACHMENT_MAX_MB,
        )
    except UploadError as exc:
        raise IncomingError(exc.message, code=exc.code) from exc
    completion = _complete(task, user_id, label=_("办理完毕"), opinion=result, data={})
    if completion.deferred:
        return completion
    assignment.result, assignment.handled_by_id, assignment.handled_at = result, user_id, timezone.now()
    assignment.save(update_fields=["result", "handled_by", "handled_at"])
    HandlingAttachment.objects.bulk_create(
        HandlingAttachment(
            assignment=assignment,
            name=c.display_name[:200],
            content=c.content,
            mime_type=c.mime_type,
            sha256=c.sha256,
            uploaded_by_id=user_id,
        )
        for c in checked
    )
    sync_status(received)
    return completion


@transaction.atomic
def circulate(*, task_id: uuid.UUID, user_id: int, reader_ids: Sequence[int]) -> int:
    """传阅: send the 收文 to these staff members to read; each gets a 待阅 item (and a message).
    Returns how many were added; someone already on the list is not added twice."""
    _task, received = _task_and_received(task_id, user_id, CIRCULATE)
    readers = set(int(r) for r in reader_ids)
    if not readers:
        raise IncomingError(_("请选择传阅对象"), code="no_readers")
    if staff_user_ids(readers) != readers:
        raise IncomingError(_("只能传阅给工作人员"), code="not_staff")
    added = []
    for reader in sorted(readers):
        _row, created = Circulation.objects.get_or_create(
            received=received, reader_id=reader, defaults={"sent_by_id": user_id}
        )
        if created:
            added.append(reader)
    title = _("待阅：%(title)s") % {"title": received.title}
    body = _("收文“%(title)s”（%(number)s）送您阅知，阅后请标为已阅。") % {
        "title": received.title,
        "number": received.registration_number,
    }
    link = reverse("documents:circulation")
    transaction.on_commit(lambda: [notify(user_id=r, title=title, body=body, link=link) for r in added])
    return len(added)


@transaction.atomic
def close_circulation(*, task_id: uuid.UUID, user_id: int) -> Completion:
    """The clerk ends 传阅: the step completes (those who have not read it stay listed as 未阅, and may
    still mark it 已阅); 办结 opens."""
    task, received = _task_and_received(task_id, user_id, CIRCULATE)
    rows = list(Circulation.objects.filter(received=received))
    if not rows:
        raise IncomingError(_("请先选择传阅对象"), code="no_readers")
    unread = sum(1 for r in rows if r.read_at is None)
    note = _("传阅%(n)d人，已阅%(read)d人，未阅%(unread)d人") % {
        "n": len(rows),
        "read": len(rows) - unread,
        "unread": unread,
    }
    completion = _complete(task, user_id, label=_("结束传阅"), opinion=note, data={})
    if not completion.deferred:
        IncomingHandling.objects.filter(received=received).update(circulation_closed_at=timezone.now())
    sync_status(received)
    return completion


def mark_read(*, received_id: int, user_id: int) -> dt.datetime:
    """已阅: the reader's receipt, set once (marking again keeps the first time); returns it."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Circulation.objects.select_for_update().filter(received_id=received_id, reader_id=user_id).first()
        )
        if row is None:
            raise IncomingNotFound(_("没有找到该待阅"), code="not_found")
        if row.read_at is None:
            row.read_at = now
            row.save(update_fields=["read_at"])
        return row.read_at


def find_reply(*, user_id: int, received: ReceivedDocument, document_number: str) -> OfficialDocument:
    """The 答复 a clerk names by its 文号: a 批复 or 函 of this platform, issued by the receiving
    department or within the clerk's 知悉范围."""
    document = OfficialDocument.objects.filter(document_number=document_number.strip()).first()
    if document is None or (
        document.issuing_body.department_id != received.department_id
        and get_document_for(user_id, document.pk) is None
    ):
        raise IncomingError(
            _("没有找到文号为“%(number)s”的公文") % {"number": document_number.strip()}, code="no_reply"
        )
    if document.kind not in REPLY_KINDS:
        raise IncomingError(_("答复须为批复或函"), code="not_a_reply")
    return document


@transaction.atomic
def close_received(*, task_id: uuid.UUID, user_id: int, note: str, reply_number: str = "") -> Completion:
    """办结: a closing note; a document asking for an answer (请示) is closed only with its 答复 (a
    批复 or 函 of this platform, named by 文号) linked."""
    task, received = _task_and_received(task_id, user_id, CLOSE)
    note = note.strip()
    if not note:
        raise IncomingError(_("请填写办结说明"), code="note_required")
    reply = (
        find_reply(user_id=user_id, received=received, document_number=reply_number)
        if reply_number.strip()
        else None
    )
    if reply is None and needs_reply(received.kind):
        raise IncomingError(_("请示件须关联答复公文（批复）后办结"), code="reply_required")
    completion = _complete(task, user_id, label=_("办结"), opinion=note, data={})
    if completion.deferred:
        return completion
    IncomingHandling.objects.filter(received=received).update(
        closing_note=note, closed_by_id=user_id, closed_at=timezone.now(), reply=reply
    )
    sync_status(received)
    return completion


# --- operations through the shared workflow code ------------------------------------------------------


@transaction.atomic
def after_operation(*, subject: str) -> None:
    """After a shared operation (退回, 会签/加签 signature, 减签 …): the status follows the open steps."""
    received_id = received_id_of(subject)
    received = (
        ReceivedDocument.objects.select_for_update().filter(pk=received_id).first() if received_id else None
    )
    if received is not None and received.registration_number:
        sync_status(received)


def send_back(
    *, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str, direct: bool = False
) -> Completion:
    """退回 a step to an earlier one the model allows (``workflow.services.send_back``), with a reason."""
    if not reason.strip():
        raise IncomingError(_("请填写退回理由"), code="reason_required")
    with transaction.atomic():
        _task, received = _task_and_received(task_id, user_id)
        try:
            completion = workflow_services.send_back(
                task_id=task_id,
                user_id=user_id,
                target_element_id=target_element_id,
                reason=reason,
                direct=direct,
            )
        except TaskNotFound as exc:
            raise IncomingNotFound(exc.message, code=exc.code) from exc
        except TaskConflict as exc:
            raise IncomingStateError(exc.message, code=exc.code) from exc
        sync_status(received)
        return completion


@transaction.atomic
def sign(*, task_id: uuid.UUID, user_id: int, approve: bool, opinion: str) -> Completion | None:
    """会签/加签 signature on a step of a 收文, in one's turn."""
    _task, received = _task_and_received(task_id, user_id)
    try:
        completion = countersign.sign_task(task_id=task_id, user_id=user_id, approve=approve, opinion=opinion)
    except TaskConflict as exc:
        raise IncomingStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise IncomingError(exc.message, code=exc.code) from exc
    sync_status(received)
    return completion


@transaction.atomic
def remove_signer(*, task_id: uuid.UUID, signer_id: int, user_id: int, reason: str) -> Completion | None:
    """减签: take back a signer one added who has not signed (it may decide the step)."""
    _task, received = _task_and_received(task_id, user_id)
    if signer_id not in {s.id for s in workflow_selectors.signers_of(task_id)}:
        raise IncomingNotFound(_("没有找到该签署人员"), code="not_found")
    try:
        completion = countersign.remove_signer(signer_id=signer_id, user_id=user_id, reason=reason)
    except TaskConflict as exc:
        raise IncomingStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise IncomingError(exc.message, code=exc.code) from exc
    sync_status(received)
    return completion


# --- 催办 -----------------------------------------------------------------------------------------


@transaction.atomic
def nudge_step(*, received_id: int, user_id: int, task_id: uuid.UUID) -> int:
    """催办: a 文书人员 of the receiving department reminds those who are to act on an open step (a
    message each) that it is overdue or has waited; recorded, at most once per step per day, only for
    a step ``may_nudge`` allows. Returns how many were told."""
    received = ReceivedDocument.objects.select_for_update().filter(pk=received_id).first()
    if received is None or received.department_id not in clerk_department_ids(user_id):
        raise IncomingNotFound(_("没有找到该收文"), code="not_found")
    task = next((t for t in workflow_selectors.open_tasks_of(received.subject) if t.id == task_id), None)
    if task is None:
        raise IncomingStateError(_("该环节已办理，无需催办"), code="not_open")
    today = timezone.localdate()
    if not may_nudge(task, today=today):
        raise IncomingStateError(
            _("该环节到达不满%(days)d个工作日且未超期，暂不能催办") % {"days": NUDGE_AFTER_WORKING_DAYS},
            code="too_early",
        )
    if IncomingNudge.objects.filter(task_id=task.id, day=today).exists():
        raise IncomingStateError(_("今天已催办过该环节，请明天再催办"), code="nudged_today")
    handlers = workflow_selectors.step_handler_ids(task.id)
    IncomingNudge.objects.create(
        received=received,
        task_id=task.id,
        step=task.name,
        department_id=task.department_id,
        actor_id=user_id,
        told="、".join(sorted(names_of(handlers).values())),
        day=today,
    )
    title = _("催办：%(number)s %(step)s") % {"number": received.registration_number, "step": task.name}
    body = _("%(who)s催办收文“%(title)s”的“%(step)s”环节，请尽快办理。") % {
        "who": names_of({user_id}).get(user_id, ""),
        "title": received.title,
        "step": task.name,
    }
    link = reverse("documents:received_task", args=[task.id])
    transaction.on_commit(
        lambda: [notify(user_id=h, title=title, body=body, link=link) for h in sorted(handlers)]
    )
    return len(handlers)
