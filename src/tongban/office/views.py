"""内部事项 pages: 发起, 我的申请, one request (record, diagram, 审批表, 撤销, 催办) and its steps' task page.

Every page answers 404 for what the viewer may not see; every write is a POST that calls one service
and redirects; a refusal comes back on the same page in its error summary.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.applications.approval_sheet import SheetData, local_time, render_approval_sheet, sheet_steps
from tongban.applications.forms import SignForm, TaskActionForm
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.office import selectors, services
from tongban.office.forms import DepartmentForm, RequestFormEditForm
from tongban.office.models import InternalRequest
from tongban.office.permissions import EDITABLE, READ_ONLY, field_permissions, posted_fields
from tongban.organizations.selectors import departments_by_ids
from tongban.schemaforms import SchemaForm
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import AssigneeChoiceError
from tongban.workflow.forms import AssigneePicker, assignee_picker, parse_assignee_choices
from tongban.workflow.phrases import phrases_of, signatures_of
from tongban.workflow.types import TaskRef

OTHER_CATEGORY = "其他"


@require_GET
@staff_only
def start(request: HttpRequest) -> HttpResponse:
    """发起: the internal processes the user may start, grouped by their ``category`` property."""
    groups: dict[str, list[Any]] = {}
    for process in selectors.startable_processes(request.user.pk):
        groups.setdefault(process.properties.get("category") or OTHER_CATEGORY, []).append(process)
    ordered = sorted(groups.items(), key=lambda pair: (pair[0] == OTHER_CATEGORY, pair[0]))
    return render(request, "office/start.html", {"groups": ordered})


@require_http_methods(["GET", "POST"])
@staff_only
def start_form(request: HttpRequest, key: str) -> HttpResponse:
    """The chosen process's form; a valid POST starts the request (once, however often it is sent)."""
    process = selectors.startable_process(request.user.pk, key)
    form_definition = selectors.form_for(process.properties.get("form", "")) if process else None
    if process is None or form_definition is None:
        raise Http404
    departments = selectors.initiator_departments(request.user.pk)
    posted = request.POST if request.method == "POST" else None
    form = SchemaForm(
        form_definition.schema,
        form_definition.ui_schema,
        data=posted,
        files=request.FILES,
        owner_id=request.user.pk,
    )
    department_form = DepartmentForm(
        posted, departments=departments, initial={"department": departments[0].id if departments else None}
    )
    idempotency_key = (posted or {}).get("idempotency_key") or uuid.uuid4().hex
    choice_steps = workflow_selectors.initiator_choice_steps(process.key)
    staff = workflow_selectors.choosable_staff() if choice_steps else []
    chosen, choice_error = _chosen(posted, choice_steps, staff)
    refusal = ""
    status = 200
    if posted is not None:
        if form.is_valid() and department_form.is_valid() and choice_error is None:
            try:
                request_id = services.start_request(
                    user_id=request.user.pk,
                    username=request.user.get_username(),
                    process_key=process.key,
                    department_id=department_form.cleaned_data["department"],
                    answers=form.cleaned_data,
                    idempotency_key=str(idempotency_key)[:64],
                    chosen_assignees=chosen,
                )
            except TongbanError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                refusal, status = exc.message, exc.status
            else:
                messages.success(request, _("已发起：%(name)s") % {"name": process.name})
                return redirect("office:request", request_id=request_id)
        else:
            # 增加一行 / 删除 of a 明细表 re-renders the form: nothing was refused.
            status = 200 if form.is_editing_rows else 400
    errors = list(form.errors)
    if len(departments) > 1:
        errors = [("id_department_0", e) for e in department_form.errors.get("department", [])] + errors
    errors += _choice_errors(choice_error)
    if refusal:
        errors.insert(0, ("main", refusal))
    return render(
        request,
        "office/start_form.html",
        {
            "process": process,
            "form": form,
            "department_form": department_form,
            "several_departments": len(departments) > 1,
            "no_department": not departments,
            "errors": errors,
            "idempotency_key": idempotency_key,
            "picker": assignee_picker(choice_steps, staff, post_data=posted, error=choice_error),
        },
        status=status,
    )


def _chosen(
    posted: QueryDict | None, steps: list[Any], staff: list[tuple[int, str]]
) -> tuple[dict[str, list[int]], AssigneeChoiceError | None]:
    """The people chosen in a page's pickers (发起人自选, 审批人自选), or the error naming each step."""
    if posted is None or not steps:
        return {}, None
    try:
        return parse_assignee_choices(posted, steps, selectable={user_id for user_id, _name in staff}), None
    except AssigneeChoiceError as exc:
        return {}, exc


def _choice_errors(error: AssigneeChoiceError | None) -> list[tuple[str, str]]:
    return [(f"{field}_0", message) for field, message in error.field_errors.items()] if error else []


@require_GET
@staff_only
def my_requests(request: HttpRequest) -> HttpResponse:
    """我的申请: the requests I started, with their current steps and status."""
    return render(request, "office/requests.html", {"rows": selectors.requests_of(request.user.pk)})


def _request(request: HttpRequest, request_id: int, event: str = "request.viewed") -> InternalRequest:
    found = selectors.get_request_for(request.user.pk, request_id)
    record_request(
        request, event=event, object_type="internal_request", object_id=request_id, denied=found is None
    )
    if found is None:
        raise Http404
    return found


def _visible_fields(viewer_id: int, found: InternalRequest) -> list[str]:
    """The initiator sees every answer; anyone else not those hidden at any step of the process."""
    names = list(selectors.form_fields(found.form_key))
    if viewer_id == found.initiator_id:
        return names
    hidden: set[str] = set()
    for properties in workflow_selectors.task_properties_of(found.subject):
        hidden |= field_permissions(properties).hidden
    return [n for n in names if n not in hidden]


def _answers_form(found: InternalRequest, only: list[str]) -> SchemaForm | None:
    definition = selectors.form_for(found.form_key)
    if definition is None or not only:
        return None
    return SchemaForm(definition.schema, definition.ui_schema, initial=found.answers, only=only)


def _record(found: InternalRequest) -> list[tuple[Any, str, str]]:
    record = workflow_selectors.process_record(found.subject)
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record})
    return [(r, people.get(r.assignee_id or 0, ""), departments[r.department_id].short_name) for r in record]


def _request_context(request: HttpRequest, found: InternalRequest) -> dict[str, Any]:
    is_initiator = found.initiator_id == request.user.pk
    open_tasks = workflow_selectors.open_tasks_of(found.subject)
    today = timezone.localdate()
    events = selectors.events_of(found)
    diagram = workflow_selectors.diagram_state(found.subject)
    return {
        "req": found,
        "initiator": names_of({found.initiator_id}).get(found.initiator_id, ""),
        "department": departments_by_ids({found.department_id})[found.department_id],
        "answers": _answers_form(found, _visible_fields(request.user.pk, found)),
        "record": _record(found),
        "events": [(e, names_of({e.actor_id}).get(e.actor_id, "")) for e in events],
        "steps": diagram.steps if diagram else [],
        "process_url": reverse("office:request_process", args=[found.pk]),
        "can_cancel": is_initiator and found.status == "running",
        "nudgeable": [t for t in open_tasks if services.may_nudge(t, today=today)] if is_initiator else [],
        "is_initiator": is_initiator,
    }


@require_GET
@staff_only
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: answers, process record and diagram, 审批表, and the initiator's 撤销 / 催办."""
    found = _request(request, request_id)
    workflow_services.mark_copy_read(subject=found.subject, user_id=request.user.pk)
    return render(request, "office/request.html", _request_context(request, found))


def _refused_request_page(
    request: HttpRequest, found: InternalRequest, exc: TongbanError, field: str
) -> HttpResponse:
    context = _request_context(request, found) | {"refusal": exc.message, "refusal_field": field}
    return render(request, "office/request.html", context, status=exc.status)


@require_GET
@staff_only
def request_process(request: HttpRequest, request_id: int) -> JsonResponse:
    """The diagram's data for bpmn-js: the BPMN and the done and current elements."""
    found = _request(request, request_id)
    diagram = workflow_selectors.diagram_state(found.subject)
    if diagram is None:
        raise Http404
    return JsonResponse({"xml": diagram.bpmn_xml, "done": diagram.done, "current": diagram.current})


@require_GET
@staff_only
def approval_sheet(request: HttpRequest, request_id: int) -> HttpResponse:
    """审批表 (PDF): the request's facts and answers, and every completed step with its opinion."""
    found = _request(request, request_id, event="request.approval_sheet")
    record = [r for r in workflow_selectors.process_record(found.subject) if r.status == "completed"]
    people = names_of({r.assignee_id for r in record if r.assignee_id} | {found.initiator_id})
    signatures = signatures_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record} | {found.department_id})
    answers_form = _answers_form(found, _visible_fields(request.user.pk, found))
    sheet = SheetData(
        title=_("%(name)s审批表") % {"name": found.process_name},
        facts=[
            (_("编号"), found.number or ""),
            (_("标题"), found.title),
            (_("发起人"), people.get(found.initiator_id, "")),
            (_("发起部门"), departments[found.department_id].name),
            (_("发起时间"), local_time(found.created_at)),
            (_("结束时间"), local_time(found.ended_at)),
            (_("状态"), str(found.get_status_display())),
        ],
        steps=sheet_steps(record, departments=departments, people=people, signatures=signatures),
        answers=[(f.label, f.answer) for f in answers_form.all_fields()] if answers_form else [],
    )
    response = HttpResponse(render_approval_sheet(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="approval-sheet-{found.number}.pdf"'
    return response


@require_POST
@staff_only
def cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    """撤销 by the initiator while nobody has acted on the request."""
    found = _request(request, request_id)
    try:
        services.cancel_request(
            request_id=found.pk, user_id=request.user.pk, reason=request.POST.get("reason", "")
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _refused_request_page(request, found, exc, "cancel")
    messages.success(request, _("已撤销：%(number)s") % {"number": found.number})
    return redirect("office:request", request_id=found.pk)


@require_POST
@staff_only
def nudge(request: HttpRequest, request_id: int, task_id: uuid.UUID) -> HttpResponse:
    """催办 an open step of my request (once a step a day)."""
    found = _request(request, request_id)
    try:
        told = services.nudge_step(request_id=found.pk, user_id=request.user.pk, task_id=task_id)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        # The page may offer no 催办 button now (too early): the summary points at the page.
        return _refused_request_page(request, found, exc, "main")
    messages.success(request, _("已催办，已通知%(n)d人") % {"n": told})
    return redirect("office:request", request_id=found.pk)


# The task page


def _task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, InternalRequest]:
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


def _my_turn_to_sign(task: TaskRef, user_id: int) -> bool:
    return any(
        s.user_id == user_id and s.status == "pending" and s.can_sign_now and s.kind != "holder"
        for s in workflow_selectors.signers_of(task.id)
    )


def _render_task(
    request: HttpRequest,
    task: TaskRef,
    found: InternalRequest,
    *,
    form: TaskActionForm,
    edit_form: SchemaForm | None,
    sign_form: SignForm | None = None,
    refusal: tuple[str, str] | None = None,
    values: QueryDict | None = None,
    picker: AssigneePicker | None = None,
    choice_error: AssigneeChoiceError | None = None,
    status: int = 200,
) -> HttpResponse:
    _editable, read_only = _field_names(found, task)
    signers = workflow_selectors.signers_of(task.id)
    names = names_of({s.user_id for s in signers})
    errors: list[tuple[str, str]] = []
    if refusal:
        errors.append((refusal[1], refusal[0]))
    errors += list(edit_form.errors) if edit_form is not None and edit_form.is_bound else []
    for error in form.errors.get("action", []):
        errors.append(("id_action_0", error))
    if sign_form is not None:
        errors += [("decision-approve", e) for e in sign_form.errors.get("decision", [])]
    errors += _choice_errors(choice_error)
    context = {
        "task": task,
        "req": found,
        "initiator": names_of({found.initiator_id}).get(found.initiator_id, ""),
        "read_only": _answers_form(found, read_only),
        "edit_form": edit_form,
        "form": form,
        "sign_form": sign_form or SignForm(),
        "joint": "countersign" in task.properties,
        "signers": [(s, names.get(s.user_id, "")) for s in signers],
        "my_turn_to_sign": task.status == "open" and _my_turn_to_sign(task, request.user.pk),
        "return_targets": workflow_services.return_targets(task) if task.status == "open" else [],
        "record": _record(found),
        "errors": errors,
        "values": values,
        "refusal_field": refusal[1] if refusal else "",
        "refusal": refusal[0] if refusal else "",
        "picker": picker or _next_picker(task),
    }
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
    task, found = _task(request, task_id)
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
            request, task, found, form=form, edit_form=edit_form, refusal=(message, target), status=400
        )
    choice_steps = workflow_selectors.next_choice_steps(task)
    staff = workflow_selectors.choosable_staff() if choice_steps else []
    # 不同意 ends or turns the request back: nobody need be chosen for the steps after it.
    forward = request.POST.get("action") != services.REJECT
    chosen, choice_error = _chosen(request.POST if forward else None, choice_steps, staff)
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
            refusal=(exc.message, "id_opinion"),
            status=exc.status,
        )
    done = _("已办理，后加签人员同意后生效") if completion.deferred else _("已办理")
    messages.success(request, f"{done}：{found.number} {task.name}")
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def claim(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """签收: the step becomes mine; a colleague who was faster wins (a message, no error page)."""
    _task(request, task_id)
    try:
        workflow_services.claim_task(task_id=task_id, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("applications:staff_inbox")
    return redirect("office:task", task_id=task_id)


@require_POST
@staff_only
def sign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """会签/加签: sign 同意 or 不同意 with an opinion in my turn."""
    task, found = _task(request, task_id)
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
        return _refused_on_task_page(request, task, found, exc, "id_sign_opinion", sign_form=sign_form)
    messages.success(request, _("已签署：%(number)s %(step)s") % {"number": found.number, "step": task.name})
    return redirect("applications:staff_inbox")


def _refused_on_task_page(
    request: HttpRequest,
    task: TaskRef,
    found: InternalRequest,
    exc: TongbanError,
    field: str,
    *,
    sign_form: SignForm | None = None,
) -> HttpResponse:
    """A refused 签署 or 退回: the task page again with the refusal beside ``field`` (404 stays 404)."""
    if exc.status == 404:
        raise Http404 from exc
    return _render_task(
        request,
        task,
        found,
        form=_action_form(request, task),
        edit_form=_edit_form(found, task),
        sign_form=sign_form,
        refusal=(exc.message, field),
        values=request.POST,
        status=exc.status,
    )


@require_POST
@staff_only
def send_back(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回 to an earlier step with a reason; 直送 when ticked."""
    task, found = _task(request, task_id)
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
        return _refused_on_task_page(request, task, found, exc, field)
    messages.success(request, _("已退回：%(number)s") % {"number": found.number})
    return redirect("applications:staff_inbox")


# Request forms, for process administrators


@require_GET
@staff_only
def request_forms(request: HttpRequest) -> HttpResponse:
    """内部事项表单: the forms internal processes name by their ``form`` property."""
    if not workflow_selectors.may_design_processes(request.user.pk):
        raise Http404
    services.install_shipped_forms()  # a new database lists the shipped forms too
    return render(request, "office/forms.html", {"forms": selectors.forms()})


@require_http_methods(["GET", "POST"])
@staff_only
def request_form(request: HttpRequest, key: str) -> HttpResponse:
    """View and edit one form's JSON (or a new one); the form engine's every problem is listed."""
    if not workflow_selectors.may_design_processes(request.user.pk):
        raise Http404
    current = selectors.form_for(key)
    initial = (
        {
            "name": current.name,
            "schema": json.dumps(current.schema, ensure_ascii=False, indent=2),
            "ui_schema": json.dumps(current.ui_schema, ensure_ascii=False, indent=2),
        }
        if current
        else {}
    )
    form = RequestFormEditForm(request.POST if request.method == "POST" else None, initial=initial)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_form(
                    key=key,
                    name=form.cleaned_data["name"],
                    schema=form.cleaned_data["schema"],
                    ui_schema=form.cleaned_data["ui_schema"],
                )
            except TongbanError as exc:
                problems = exc.details or [exc.message]
            else:
                messages.success(request, _("已保存表单：%(name)s") % {"name": form.cleaned_data["name"]})
                return redirect("office:forms")
    errors = [(f"id_{name}", error) for name, field_errors in form.errors.items() for error in field_errors]
    errors += [("id_schema", problem) for problem in problems]
    return render(
        request,
        "office/form_edit.html",
        {"key": key, "form": form, "errors": errors, "is_new": current is None},
        status=status,
    )
