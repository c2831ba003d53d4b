"""A request step's task page: claim, complete (with editable fields and pickers), 会签 sign, 退回."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.applications.forms import SignForm, TaskActionForm
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.office import selectors, services
from tongban.office.models import InternalRequest
from tongban.office.permissions import EDITABLE, READ_ONLY, field_permissions, posted_fields
from tongban.office.views.common import (
    answers_form,
    choice_errors,
    chosen_assignees,
    request_record,
)
from tongban.schemaforms import SchemaForm
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import AssigneeChoiceError
from tongban.workflow.forms import AssigneePicker, assignee_picker
from tongban.workflow.phrases import phrases_of
from tongban.workflow.task_operations import Refusal, operations_context
from tongban.workflow.types import TaskRef

# The URL names the shared operation panels (workflow/_signers.html, _task_operations.html) post to.
OPERATION_VIEWS = {
    "sign": "office:sign",
    "remove_signer": "office:remove_signer",
    "add_signers": "office:add_signers",
    "reassign": "office:reassign",
    "delegate_return": "office:delegate_return",
    "copy": "office:copy",
}


def visible_task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, InternalRequest]:
    """The task and its request, or a 404 that is audited as a refused attempt."""
    task = workflow_selectors.task_for(request.user.pk, task_id)
    request_id = selectors.request_id_of(task.subject) if task else None
    found = selectors.get_request_for(request.user.pk, request_id) if request_id else None
    if task is None or found is None:
        record_request(request, event="task.open", object_type="task", object_id=task_id, denied=True)
        raise Http404
    return task, found


@dataclass(frozen=True)
class _Action:
    code: str
    label: str


def _action_form(request: HttpRequest, task: TaskRef, data: QueryDict | None = None) -> TaskActionForm:
    actions = [_Action(code, label) for code, label in services.actions_for(task)]
    return TaskActionForm(data, actions=actions, phrases=phrases_of(request.user.pk))


def _field_names(found: InternalRequest, task: TaskRef) -> tuple[list[str], list[str]]:
    """(editable, read-only) fields of the form at this step; hidden ones are in neither."""
    permissions = field_permissions(task.properties)
    names = list(selectors.form_fields(found.form_key))
    editable = [n for n in names if permissions.of(n) == EDITABLE] if task.status == "open" else []
    read_only = [
        n for n in names if permissions.of(n) == READ_ONLY or (n in permissions.editable and not editable)
    ]
    return editable, read_only


def _render_task(
    request: HttpRequest,
    task: TaskRef,
    found: InternalRequest,
    *,
    form: TaskActionForm,
    edit_form: SchemaForm | None,
    sign_form: SignForm | None = None,
    refusal: Refusal | None = None,
    picker: AssigneePicker | None = None,
    choice_error: AssigneeChoiceError | None = None,
    status: int = 200,
) -> HttpResponse:
    _editable, read_only = _field_names(found, task)
    errors: list[tuple[str, str]] = []
    if refusal:
        errors.append((refusal.field, refusal.message))
    errors += list(edit_form.errors) if edit_form is not None and edit_form.is_bound else []
    for error in form.errors.get("action", []):
        errors.append(("id_action_0", error))
    if sign_form is not None:
        errors += [("decision-approve", e) for e in sign_form.errors.get("decision", [])]
    errors += choice_errors(choice_error)
    context = {
        "task": task,
        "req": found,
        "initiator": names_of({found.initiator_id}).get(found.initiator_id, ""),
        "read_only": answers_form(found, read_only),
        "edit_form": edit_form,
        "form": form,
        "sign_form": sign_form or SignForm(),
        "operation_views": OPERATION_VIEWS,
        "return_targets": workflow_services.return_targets(task) if task.status == "open" else [],
        "record": request_record(found),
        "errors": errors,
        "refusal": refusal,
        "picker": picker or _next_picker(task),
    } | operations_context(task, request.user.pk)
    return render(request, "office/task.html", context, status=status)


def _next_picker(
    task: TaskRef, posted: QueryDict | None = None, error: AssigneeChoiceError | None = None
) -> AssigneePicker:
    """审批人自选: pickers for the next steps whose handlers this step's handler chooses."""
    steps = workflow_selectors.next_choice_steps(task) if task.status == "open" else []
    staff = workflow_selectors.choosable_staff() if steps else []
    return assignee_picker(steps, staff, post_data=posted, error=error)


def _edit_form(found: InternalRequest, task: TaskRef, data: QueryDict | None = None) -> SchemaForm | None:
    editable, _read_only = _field_names(found, task)
    definition = selectors.form_for(found.form_key)
    if not editable or definition is None:
        return None
    return SchemaForm(
        definition.schema, definition.ui_schema, data=data, initial=found.answers, only=editable
    )


@require_http_methods(["GET", "POST"])
@staff_only
def task_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One step of a request: its answers under the step's field permissions (editable ones in the
    form, read-only ones shown, hidden ones neither shown nor accepted), 同意 / 不同意 / 办理完毕."""
    task, found = visible_task(request, task_id)
    if request.method != "POST":
        return _render_task(
            request, task, found, form=_action_form(request, task), edit_form=_edit_form(found, task)
        )
    form = _action_form(request, task, request.POST)
    edit_form = _edit_form(found, task, request.POST)
    editable, _read_only = _field_names(found, task)
    carried = posted_fields(request.POST.keys(), selectors.form_fields(found.form_key))
    refused = sorted(carried - set(editable))
    if refused:
        # A read-only or hidden field in the POST: refused as a whole, nothing saved.
        labels = selectors.form_fields(found.form_key)
        message = _("本环节不能修改“%(fields)s”") % {"fields": "、".join(labels[f] for f in refused)}
        # A 会签 step has no decision form: the summary points at its signing panel.
        target = "signers-heading" if "countersign" in task.properties else "id_action_0"
        return _render_task(
            request,
            task,
            found,
            form=form,
            edit_form=edit_form,
            refusal=Refusal(message=message, field=target, values=request.POST),
            status=400,
        )
    choice_steps = workflow_selectors.next_choice_steps(task)
    staff = workflow_selectors.choosable_staff() if choice_steps else []
    # 不同意 ends or turns the request back: nobody need be chosen for the steps after it.
    forward = request.POST.get("action") != services.REJECT
    chosen, choice_error = chosen_assignees(request.POST if forward else None, choice_steps, staff)
    picker = _next_picker(task, request.POST, choice_error)
    if not form.is_valid() or (edit_form is not None and not edit_form.is_valid()) or choice_error:
        return _render_task(
            request,
            task,
            found,
            form=form,
            edit_form=edit_form,
            picker=picker,
            choice_error=choice_error,
            status=400,
        )
    try:
        completion = services.handle_request_task(
            task_id=task.id,
            user_id=request.user.pk,
            action=form.cleaned_data["action"],
            opinion=form.cleaned_data["opinion"],
            changes=edit_form.cleaned_data if edit_form is not None else {},
            chosen_assignees=chosen,
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _render_task(
            request,
            task,
            found,
            form=form,
            edit_form=edit_form,
            refusal=Refusal(message=exc.message, field="id_opinion", values=request.POST),
            status=exc.status,
        )
    done = _("已办理，后加签人员同意后生效") if completion.deferred else _("已办理")
    messages.success(request, f"{done}：{found.number} {task.name}")
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def sign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """会签/加签: sign 同意 or 不同意 with an opinion in my turn."""
    task, found = visible_task(request, task_id)
    sign_form = SignForm(request.POST)
    if not sign_form.is_valid():
        return _render_task(
            request,
            task,
            found,
            form=_action_form(request, task),
            edit_form=_edit_form(found, task),
            sign_form=sign_form,
            status=400,
        )
    try:
        services.sign_request_task(
            task_id=task.id,
            user_id=request.user.pk,
            approve=sign_form.cleaned_data["decision"] == "approve",
            opinion=sign_form.cleaned_data["opinion"],
        )
    except TongbanError as exc:
        return refused_on_task_page(request, task, found, exc, "id_sign_opinion", sign_form=sign_form)
    messages.success(request, _("已签署：%(number)s %(step)s") % {"number": found.number, "step": task.name})
    return redirect("applications:staff_inbox")


def refused_on_task_page(
    request: HttpRequest,
    task: TaskRef,
    found: InternalRequest,
    exc: TongbanError,
    field: str,
    *,
    sign_form: SignForm | None = None,
) -> HttpResponse:
    """A refused operation: the task page again with the refusal beside ``field`` (404 stays 404)."""
    if exc.status == 404:
        raise Http404 from exc
    return _render_task(
        request,
        task,
        found,
        form=_action_form(request, task),
        edit_form=_edit_form(found, task),
        sign_form=sign_form,
        refusal=Refusal(message=exc.message, field=field, values=request.POST),
        status=exc.status,
    )


@require_POST
@staff_only
def send_back(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回 to an earlier step with a reason; 直送 when ticked."""
    task, found = visible_task(request, task_id)
    try:
        services.send_back_request_task(
            task_id=task.id,
            user_id=request.user.pk,
            target_element_id=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            direct=request.POST.get("direct") == "1",
        )
    except TongbanError as exc:
        # Without an earlier step there is no 退回 form on the page: the summary points at the page.
        field = "id_return_reason" if workflow_services.return_targets(task) else "main"
        return refused_on_task_page(request, task, found, exc, field)
    messages.success(request, _("已退回：%(number)s") % {"number": found.number})
    return redirect("applications:staff_inbox")


# Request forms, for process administrators
