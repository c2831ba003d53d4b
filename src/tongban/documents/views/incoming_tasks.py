"""A 收文 step's task page (`/staff/received-tasks/<uuid>/`): the step's own form (拟办, 领导批示 with a
handwritten signature and the 承办 choice, 承办 result and attachments, 传阅 and 结束传阅, 办结 with the
答复), 签收 (claim), 退回, and the shared workflow operation panels (会签/加签, 减签, 转办/委派, 交回委派人,
抄送)."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.applications.forms import SignForm
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.documents import incoming_selectors as selectors
from tongban.documents.access import get_received_for
from tongban.documents.models import ReceivedDocument
from tongban.documents.services import incoming
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.operation_views import TaskFamilyPages, operation_views
from tongban.workflow.phrases import phrases_of, signatures_of
from tongban.workflow.task_operations import Refusal, operations_context
from tongban.workflow.types import TaskRef

T = TypeVar("T")

# The URL names the shared operation panels (workflow/_signers.html, _task_operations.html) post to.
OPERATION_VIEWS = {
    "sign": "documents:received_sign",
    "remove_signer": "documents:received_remove_signer",
    "add_signers": "documents:received_add_signers",
    "reassign": "documents:received_reassign",
    "delegate_return": "documents:received_delegate_return",
    "copy": "documents:received_copy",
}
MAX_ATTACHMENTS = 10


def visible_task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, ReceivedDocument]:
    """The task and its 收文, or a 404 that is audited as a refused attempt."""
    task = workflow_selectors.task_for(request.user.pk, task_id)
    received_id = incoming.received_id_of(task.subject) if task else None
    received = get_received_for(request.user.pk, received_id) if received_id else None
    record_request(
        request, event="received.task", object_type="task", object_id=task_id, denied=received is None
    )
    if task is None or received is None:
        raise Http404
    return task, received


def _step(task: TaskRef) -> str:
    return "handle" if incoming.handle_slot(task.element_id) else task.element_id


def _render(
    request: HttpRequest,
    task: TaskRef,
    received: ReceivedDocument,
    *,
    refusal: Refusal | None = None,
    values: Any = None,
    sign_form: SignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    step = _step(task)
    context: dict[str, Any] = {
        "task": task,
        "step": step,
        "received": received,
        "sheet": selectors.handling_sheet(received),
        "values": values or {},
        "refusal": refusal,
        "errors": [(refusal.field, refusal.message)] if refusal else [],
        "phrases": phrases_of(request.user.pk),
        "sign_form": sign_form or SignForm(),
        "operation_views": OPERATION_VIEWS,
        "return_targets": workflow_services.return_targets(task) if task.status == "open" else [],
        "record": workflow_selectors.process_record(received.subject),
        "department": departments_by_ids({task.department_id})[task.department_id].name,
    } | operations_context(task, request.user.pk)
    if step == incoming.INSTRUCT:
        context["departments"] = [d for group in active_departments_by_region() for d in group.departments]
        context["chosen_departments"] = {
            int(d) for d in (values.getlist("departments") if values else []) if d.isdigit()
        }
        context["has_saved_signature"] = bool(signatures_of({request.user.pk}))
        context["max_departments"] = incoming.MAX_HANDLING_DEPARTMENTS
    if step == incoming.CIRCULATE:
        already = {c.circulation.reader_id for c in context["sheet"].circulations}
        context["circulation_candidates"] = [
            (user_id, name)
            for user_id, name in workflow_selectors.choosable_staff()
            if user_id not in already | {request.user.pk}
        ]
    return render(request, "documents/received_task.html", context, status=status)


def _signature_png(posted: str) -> bytes | None:
    """The canvas drawing, posted as a ``data:image/png;base64,…`` URL; None when nothing was drawn."""
    head, _sep, body = posted.partition(",")
    if head != "data:image/png;base64" or not body:
        return None
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return b"not a png"  # refused by the service's check


FIELD_OF_STEP = {
    incoming.PROPOSE: "id_opinion",
    incoming.INSTRUCT: "id_opinion",
    "handle": "id_result",
    incoming.CIRCULATE: "circulation-readers",
    incoming.CLOSE: "id_note",
}


@require_http_methods(["GET", "POST"])
@staff_only
def task_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One step of a 收文: the 办理单 so far and the step's form."""
    task, received = visible_task(request, task_id)
    if request.method != "POST":
        return _render(request, task, received)
    step = _step(task)
    post = request.POST
    try:
        if step == incoming.PROPOSE:
            done = incoming.propose(task_id=task.id, user_id=request.user.pk, opinion=post.get("opinion", ""))
        elif step == incoming.INSTRUCT:
            days = post.get("handling_days", "").strip()
            done = incoming.instruct(
                task_id=task.id,
                user_id=request.user.pk,
                opinion=post.get("opinion", ""),
                department_ids=[int(d) for d in post.getlist("departments") if d.isdigit()],
                handling_days=int(days) if days.isdigit() else 0,
                signature_png=_signature_png(post.get("signature", "")),
                use_saved_signature=post.get("use_saved_signature") == "1",
            )
        elif step == "handle":
            files = request.FILES.getlist("attachments")[:MAX_ATTACHMENTS]
            done = incoming.complete_handling(
                task_id=task.id,
                user_id=request.user.pk,
                result=post.get("result", ""),
                files=[
                    incoming.UploadedFile(name=f.name, data=f.read(incoming.ATTACHMENT_MAX_MB * 2**20 + 1))
                    for f in files
                ],
            )
        elif step == incoming.CIRCULATE and post.get("action") == "send":
            added = incoming.circulate(
                task_id=task.id,
                user_id=request.user.pk,
                reader_ids=[int(r) for r in post.getlist("readers") if r.isdigit()],
            )
            messages.success(request, _("已送阅%(n)d人") % {"n": added})
            return redirect("documents:received_task", task_id=task.id)
        elif step == incoming.CIRCULATE:
            done = incoming.close_circulation(task_id=task.id, user_id=request.user.pk)
        elif step == incoming.CLOSE:
            done = incoming.close_received(
                task_id=task.id,
                user_id=request.user.pk,
                note=post.get("note", ""),
                reply_number=post.get("reply_number", ""),
            )
        else:
            raise Http404
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal = Refusal(message=exc.message, field=FIELD_OF_STEP.get(step, "main"), values=post)
        return _render(request, task, received, refusal=refusal, values=post, status=exc.status)
    label = _("已办理，后加签人员同意后生效") if done.deferred else _("已办理")
    messages.success(request, f"{label}：{received.registration_number} {task.name}")
    return redirect("applications:staff_inbox")


def _refused(
    request: HttpRequest, task: TaskRef, received: ReceivedDocument, exc: TongbanError, field: str, **kw: Any
) -> HttpResponse:
    if exc.status == 404:
        raise Http404 from exc
    return _render(
        request,
        task,
        received,
        refusal=Refusal(message=exc.message, field=field, values=request.POST),
        status=exc.status,
        **kw,
    )


@require_POST
@staff_only
def send_back(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回 to an earlier step with a reason; 直送 when ticked."""
    task, received = visible_task(request, task_id)
    try:
        incoming.send_back(
            task_id=task.id,
            user_id=request.user.pk,
            target_element_id=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            direct=request.POST.get("direct") == "1",
        )
    except TongbanError as exc:
        field = "id_return_reason" if workflow_services.return_targets(task) else "main"
        return _refused(request, task, received, exc, field)
    messages.success(request, _("已退回：%(number)s") % {"number": received.registration_number})
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def sign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """会签/加签: sign 同意 or 不同意 with an opinion in my turn."""
    task, received = visible_task(request, task_id)
    sign_form = SignForm(request.POST)
    if not sign_form.is_valid():
        return _render(request, task, received, sign_form=sign_form, status=400)
    try:
        incoming.sign(
            task_id=task.id,
            user_id=request.user.pk,
            approve=sign_form.cleaned_data["decision"] == "approve",
            opinion=sign_form.cleaned_data["opinion"],
        )
    except TongbanError as exc:
        return _refused(request, task, received, exc, "id_sign_opinion", sign_form=sign_form)
    messages.success(
        request,
        _("已签署：%(number)s %(step)s") % {"number": received.registration_number, "step": task.name},
    )
    return redirect("applications:staff_inbox")


_views = operation_views(
    TaskFamilyPages(
        visible_task=visible_task,
        refused=_refused,
        task_url="documents:received_task",
        remove_signer=incoming.remove_signer,
        number_of=lambda received: received.registration_number,
        after=lambda received: incoming.after_operation(subject=received.subject),
    )
)
claim = _views.claim
add_signers = _views.add_signers
remove_signer = _views.remove_signer
reassign = _views.reassign
delegate_return = _views.delegate_return
copy = _views.copy
