"""A 发文 step's task page (doc-flow): the document's 发文单 (editable at 拟稿 and the 核稿/会签 steps),
the step's action (送核稿, 核稿通过, 会签 同意/不同意, 签发 with the handwritten signature, 编号, 套红,
用印, 分发), 退回, and the shared operation panels (加签/减签, 转办/委派, 抄送) like office's task page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.applications.forms import SignForm, TaskActionForm
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.documents.forms import SignOffForm
from tongban.documents.models import OfficialDocument
from tongban.documents.services import drafting, steps
from tongban.documents.views.outgoing import document_context, rule_errors
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.phrases import phrases_of, signatures_of
from tongban.workflow.task_operations import Refusal, operations_context
from tongban.workflow.types import TaskRef

# The URL names the shared operation panels (workflow/_signers.html, _task_operations.html) post to.
OPERATION_VIEWS = {
    "sign": "documents:sign",
    "remove_signer": "documents:remove_signer",
    "add_signers": "documents:add_signers",
    "reassign": "documents:reassign",
    "delegate_return": "documents:delegate_return",
    "copy": "documents:copy",
}


def visible_task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, OfficialDocument]:
    """The task and its document (in the viewer's 知悉范围), or a 404 audited as a refused attempt;
    the view of the document is audited too."""
    task = workflow_selectors.task_for(request.user.pk, task_id)
    document = steps.document_of_task(task, request.user.pk) if task else None
    if task is None or document is None:
        record_request(request, event="task.open", object_type="task", object_id=task_id, denied=True)
        raise Http404
    record_request(request, event="document.task", object_type="document", object_id=document.pk)
    return task, document


@dataclass(frozen=True)
class _Action:
    code: str
    label: str


def _action_form(request: HttpRequest, task: TaskRef, data: QueryDict | None = None) -> TaskActionForm:
    actions = [_Action(code, label) for code, label in steps.actions_for(task)]
    return TaskActionForm(data, actions=actions, phrases=phrases_of(request.user.pk))


def _render_task(
    request: HttpRequest,
    task: TaskRef,
    document: OfficialDocument,
    *,
    form: TaskActionForm | None = None,
    sign_off_form: SignOffForm | None = None,
    sign_form: SignForm | None = None,
    refusal: Refusal | None = None,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = list(errors or [])
    if refusal:
        errors.append((refusal.field, refusal.message))
    form = form or _action_form(request, task)
    errors += [("id_action_0", e) for e in form.errors.get("action", [])]
    if sign_form is not None:
        errors += [("decision-approve", e) for e in sign_form.errors.get("decision", [])]
    if sign_off_form is not None and sign_off_form.is_bound:
        for name in sign_off_form.errors:
            target = "id_signoff_opinion" if name == "opinion" else "signature-pad"
            errors += [(target, e) for e in sign_off_form.errors[name]]
    is_sign_off = task.element_id == drafting.SIGN_OFF_STEP
    context = (
        document_context(request, document)
        | {
            "task": task,
            "form": form,
            "sign_form": sign_form or SignForm(),
            "sign_off_form": sign_off_form or SignOffForm(),
            "is_sign_off": is_sign_off,
            "has_saved_signature": is_sign_off and bool(signatures_of({request.user.pk})),
            "operation_views": OPERATION_VIEWS,
            "return_targets": workflow_services.return_targets(task) if task.status == "open" else [],
            "errors": errors,
            "refusal": refusal,
            "task_url": request.path,
        }
        | operations_context(task, request.user.pk)
    )
    if task.status != "open" or task.element_id not in steps.EDITING_STEPS:
        context["sheet_form"] = None
    return render(request, "documents/task.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only
def task_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One step of a document: its 发文单, the step's action and the operations."""
    task, document = visible_task(request, task_id)
    if request.method != "POST":
        return _render_task(request, task, document)
    form = _action_form(request, task, request.POST)
    if not form.is_valid():
        return _render_task(request, task, document, form=form, status=400)
    try:
        _completion, warnings = steps.handle_step(
            task_id=task.id,
            user_id=request.user.pk,
            action=form.cleaned_data["action"],
            opinion=form.cleaned_data["opinion"],
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        document.refresh_from_db()
        errors = rule_errors(exc) if task.element_id == "draft" else [("id_opinion", exc.message)]
        return _render_task(request, task, document, form=form, errors=errors, status=exc.status)
    for warning in warnings:
        messages.warning(request, warning.message)
    messages.success(request, _("已办理：%(step)s %(title)s") % {"step": task.name, "title": document.title})
    return redirect("documents:document", document_id=document.pk)


@require_POST
@staff_only
def sign_off(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """领导签发 with an opinion and the handwritten signature drawn on the page (or the saved one)."""
    task, document = visible_task(request, task_id)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return _render_task(request, task, document, sign_off_form=form, status=400)
    try:
        drafting.sign_off(
            task_id=task.id,
            user_id=request.user.pk,
            opinion=form.cleaned_data["opinion"],
            signature_png=form.cleaned_data["signature"],
            use_saved_signature=form.cleaned_data["use_saved_signature"],
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        document.refresh_from_db()
        errors = rule_errors(exc) if exc.code == "rules" else [("signature-pad", exc.message)]
        if exc.code == "opinion_required":
            errors = [("id_signoff_opinion", exc.message)]
        return _render_task(request, task, document, sign_off_form=form, errors=errors, status=exc.status)
    messages.success(request, _("已签发：%(title)s") % {"title": document.title})
    return redirect("documents:document", document_id=document.pk)


@require_POST
@staff_only
def sign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """加签 signers sign 同意 or 不同意 with an opinion in their turn."""
    task, document = visible_task(request, task_id)
    sign_form = SignForm(request.POST)
    if not sign_form.is_valid():
        return _render_task(request, task, document, sign_form=sign_form, status=400)
    try:
        steps.sign_step(
            task_id=task.id,
            user_id=request.user.pk,
            approve=sign_form.cleaned_data["decision"] == "approve",
            opinion=sign_form.cleaned_data["opinion"],
        )
    except TongbanError as exc:
        return refused_on_task_page(request, task, document, exc, "id_sign_opinion", sign_form=sign_form)
    messages.success(request, _("已签署：%(step)s") % {"step": task.name})
    return redirect("applications:staff_inbox")


def refused_on_task_page(
    request: HttpRequest,
    task: TaskRef,
    document: OfficialDocument,
    exc: TongbanError,
    field: str,
    *,
    sign_form: SignForm | None = None,
) -> HttpResponse:
    """A refused operation: the task page again with the refusal beside ``field`` (404 stays 404)."""
    if exc.status == 404:
        raise Http404 from exc
    document.refresh_from_db()
    return _render_task(
        request,
        task,
        document,
        sign_form=sign_form,
        refusal=Refusal(message=exc.message, field=field, values=request.POST),
        status=exc.status,
    )


@require_POST
@staff_only
def send_back(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回 to an earlier step with a reason (e.g. 办公室核稿 → 拟稿)."""
    task, document = visible_task(request, task_id)
    try:
        steps.send_back_step(
            task_id=task.id,
            user_id=request.user.pk,
            target_element_id=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
        )
    except TongbanError as exc:
        field = "id_return_reason" if workflow_services.return_targets(task) else "main"
        return refused_on_task_page(request, task, document, exc, field)
    messages.success(request, _("已退回：%(title)s") % {"title": document.title})
    return redirect("applications:staff_inbox")
