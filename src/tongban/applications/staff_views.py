"""Staff pages of case handling: 待办/已办, one task with its decision, the case and its process.

Every page answers 404 for what the viewer may not see (T-H1, T-B3); every write is a POST that
calls one service and redirects.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.applications import selectors, services
from tongban.applications.approval_sheet import render_approval_sheet
from tongban.applications.case_groups import CaseGroup, case_groups
from tongban.applications.forms import (
    CorrectionForm,
    RevealForm,
    SignForm,
    SpecialProcedureEndForm,
    SpecialProcedureForm,
    TaskActionForm,
)
from tongban.applications.models import Application, DeliveryMethod
from tongban.applications.subjects import application_id_of, subject_of
from tongban.applications.views import download_material, process_json, progress_steps
from tongban.catalog.selectors import version_snapshot
from tongban.core import calendar
from tongban.core.audit import record_request
from tongban.core.deadlines import Level, warning_level
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import departments_by_ids, roles_of
from tongban.schemaforms import attachment_keys
from tongban.schemaforms.views import upload_response
from tongban.workflow import countersign, task_operations
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskNotFound
from tongban.workflow.phrases import phrases_of
from tongban.workflow.selectors import step_meaning
from tongban.workflow.services import return_targets
from tongban.workflow.subjects import SubjectSummary
from tongban.workflow.subjects import describe as describe_subjects
from tongban.workflow.task_operations import Refusal, operations_context
from tongban.workflow.timers import step_timers
from tongban.workflow.types import TaskRef

T = TypeVar("T")


@dataclass(frozen=True)
class InboxRow:
    task_id: uuid.UUID
    step: str
    application: Application | None
    department: str
    number: str
    party: str
    task_url: str
    claim_url: str
    page_url: str
    arrived_at: object
    due_date: object
    level: Level
    claimed: bool
    completed_at: object = None
    on_behalf: bool = False
    action_label: str = ""
    can_withdraw: bool = False
    to_sign: bool = False
    unassigned: bool = False  # its assignee rule found nobody: given to the process administrators
    group: CaseGroup | None = None  # the 一件事 it belongs to (applications.case_groups)


# The inbox's family filter (全部/办件/内部事项/公文): the query value and the process family it selects.
INBOX_FAMILIES = {"application": "application", "internal": "internal", "document": "document"}


def _row_links(
    task_id: uuid.UUID, application: Application | None, other: SubjectSummary | None
) -> dict[str, str]:
    """Number, party and the pages a row leads to: a case's own pages, or those its owner registered
    (``workflow.subjects``: 内部事项 go to the office task page)."""
    if other is not None:
        return {
            "number": other.number,
            "party": other.party,
            "task_url": other.task_url(task_id),
            "claim_url": other.claim_url(task_id),
            "page_url": other.page_url,
        }
    return {
        "number": application.number if application else "",
        "party": application.applicant_name if application else "",
        "task_url": reverse("applications:staff_task", args=[task_id]),
        "claim_url": reverse("applications:staff_claim", args=[task_id]),
        "page_url": reverse("applications:staff_case", args=[application.pk]) if application else "",
    }


# Where 显示更多 (core/_more_link.html, core/_more_rows.html) appends the next rows of 待办 and 已办.
INBOX_ROWS = {
    "rows_template": "applications/staff/_inbox_rows.html",
    "rows_id": "task-rows",
    "more_id": "inbox-more",
}


@require_GET
@staff_only
def inbox(request: HttpRequest) -> HttpResponse:
    """待办 (with 签收) and 已办 of every process family, each task with its due date and warning
    level; ``family`` narrows to 办件, 内部事项 or 公文 (发文 and 收文). A page at a time: "more" (``after``) adds the next
    rows (htmx asks for the rows only), or opens them as a page without JavaScript."""
    done = request.GET.get("tab") == "done"
    family_filter = request.GET.get("family", "")
    family = INBOX_FAMILIES.get(family_filter)
    after = request.GET.get("after", "")
    page = (workflow_selectors.done_tasks if done else workflow_selectors.inbox_tasks)(
        request.user.pk, family=family, after=after
    )
    rows = _inbox_rows(page.tasks, user_id=request.user.pk, done=done)
    query = {"tab": "done"} if done else {}
    if family:
        query["family"] = family_filter
    more_url = f"?{urlencode(query | {'after': page.next_cursor})}" if page.next_cursor else ""
    filters = [
        ("", _("全部")),
        ("application", _("办件")),
        ("internal", _("内部事项")),
        ("document", _("公文")),
    ]
    context = {
        "rows": rows,
        "done": done,
        "family": family_filter if family else "",
        "filters": filters,
        "more_url": more_url,
        # Without JavaScript "more" opens the next rows as a page: it links back to the first.
        "first_url": f"?{urlencode(query)}" if after else "",
        **INBOX_ROWS,
    }
    if request.htmx and after:
        return render(request, "core/_more_rows.html", context)
    return render(request, "applications/staff/inbox.html", context)


def _inbox_rows(tasks: list[Any], *, user_id: int, done: bool) -> list[InboxRow]:
    """The rows of one page of 待办 or 已办 (``workflow.selectors.TaskPage.tasks``), with a fixed
    number of queries whatever its length."""
    if not tasks:
        return []
    subjects = {t.instance.subject: application_id_of(t.instance.subject) for t in tasks}
    applications = selectors.list_rows_by_ids({i for i in subjects.values() if i is not None})
    groups = case_groups(set(applications))
    others = describe_subjects(subject for subject, i in subjects.items() if i is None)
    departments = departments_by_ids({t.department_id for t in tasks})
    today = timezone.localdate()
    own_roles = set(roles_of(user_id=user_id)) if not done else set()
    to_sign = set() if done else workflow_selectors.tasks_to_sign(user_id) & {t.pk for t in tasks}
    # One calendar query for the list: each row's warning level counts working days between its
    # arrival, today and its due date.
    days = [today, *(timezone.localtime(t.created_at, calendar.CHINA_TZ).date() for t in tasks)]
    days += [t.due_date for t in tasks if t.due_date]
    rows = []
    with calendar.preloaded(min(days), max(days)):
        for t in tasks:
            application = applications.get(subjects[t.instance.subject] or 0)
            rows.append(
                InboxRow(
                    task_id=t.pk,
                    step=t.name,
                    application=application,
                    department=departments[t.department_id].short_name,
                    **_row_links(t.pk, application, others.get(t.instance.subject)),
                    arrived_at=t.created_at,
                    due_date=t.due_date,
                    level=warning_level(
                        start=t.created_at,
                        due=t.due_date,
                        today=today,
                        remind_before=step_timers(t.properties).remind_before_days,
                    )
                    if not done
                    else Level.NORMAL,
                    claimed=t.assignee_id is not None,
                    # 代理: visible because I stand in for a colleague, not through my own roles.
                    on_behalf=not done
                    and t.pk not in to_sign
                    and (
                        t.assignee_id not in (None, user_id)
                        or (
                            t.assignee_id is None
                            and t.assignee_rule == "role"
                            and (t.department_id, t.role) not in own_roles
                        )
                    ),
                    unassigned=t.unassigned and not done,
                    completed_at=t.completed_at,
                    action_label=t.action_label or _("已签署"),
                    to_sign=t.pk in to_sign,
                    group=groups.get(application.pk) if application else None,
                    # The service decides; the button is offered while the case is still being handled.
                    can_withdraw=done and _in_progress(application),
                )
            )
    return rows


def _in_progress(application: Application | None) -> bool:
    return application is not None and application.status in ("submitted", "accepted")


def _task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, Application]:
    """The task and its case, or a 404 that is audited as a refused attempt (T-H1)."""
    task = workflow_selectors.task_for(request.user.pk, task_id)
    application_id = application_id_of(task.subject) if task else None
    # A POST acts and redirects: the case's materials and history are read only if the page comes back.
    application = (
        selectors.get_application_for_staff(
            request.user.pk, application_id, with_related=request.method == "GET"
        )
        if application_id
        else None
    )
    if task is None or application is None:
        record_request(request, event="task.open", object_type="task", object_id=task_id, denied=True)
        raise Http404
    return task, application


def _viewed(request: HttpRequest, application: Application, event: str = "case.viewed") -> None:
    """Staff saw the applicant's personal data: who, whose, which case (T-J2)."""
    record_request(
        request,
        event=event,
        object_type="application",
        object_id=application.pk,
        subject_id=application.applicant_id,
        department_id=application.department_id,
    )


@require_POST
@staff_only
def claim(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """签收: the task becomes mine; a colleague who was faster wins (message, no error page)."""
    try:
        workflow_services.claim_task(task_id=task_id, user_id=request.user.pk)
    except TaskNotFound as exc:
        raise Http404 from exc
    except TongbanError as exc:
        messages.error(request, exc.message)
        return redirect("applications:staff_inbox")
    return redirect("applications:staff_task", task_id=task_id)


def _case_context(request: HttpRequest, application: Application) -> dict[str, object]:
    item = version_snapshot(application.item_version_id)
    record = workflow_selectors.process_record(subject_of(application.pk))
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record} | {application.department_id})
    material_names = {m.id: m.name for m in item.materials}
    operations = workflow_selectors.operations_of(subject_of(application.pk))
    case_copies = workflow_selectors.copies_of(subject_of(application.pk))
    people_names = names_of(
        {u for op in operations for u in (op.from_user_id, op.to_user_id) if u}
        | {c.to_user_id for c in case_copies}
    )
    return {
        "application": application,
        "item": item,
        "department": departments[application.department_id],
        "record": [
            (r, people.get(r.assignee_id or 0, ""), departments[r.department_id].short_name) for r in record
        ],
        "materials": [(m, material_names.get(m.requirement_id, "")) for m in application.materials.all()],
        "paused_days": services.paused_days(application, unit=item.promised_limit_unit),
        "special_procedures": application.special_procedures.all(),
        "open_procedure": next((p for p in application.special_procedures.all() if p.ended_at is None), None),
        "steps": progress_steps(application.pk),
        "copies": [(c, people_names.get(c.to_user_id, "")) for c in case_copies],
        "operations": [
            (op, people_names.get(op.from_user_id or 0, ""), people_names.get(op.to_user_id or 0, ""))
            for op in operations
        ],
        "process_url": reverse("applications:staff_process", args=[application.pk]),
        "answers": selectors.labelled_answers(application),
        "corrections": selectors.correction_records(application),
        "case_group": case_groups({application.pk}).get(application.pk),
    }


@require_http_methods(["GET", "POST"])
@staff_only
def task_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One task: the case, the process so far, and the decision this step offers."""
    task, application = _task(request, task_id)
    _viewed(request, application)
    form = _action_form(request, task, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            completion = services.handle_task(
                task_id=task.id,
                staff_id=request.user.pk,
                action=form.cleaned_data["action"],
                opinion=form.cleaned_data["opinion"],
                delivery_method=form.cleaned_data.get("delivery_method", ""),
            )
        except TongbanError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            done = _("已办理，后加签人员同意后生效") if completion.deferred else _("已办理")
            messages.success(request, f"{done}：{application.number} {task.name}")
            return redirect("applications:staff_inbox")
    elif request.method == "POST":
        status = 400
    return _task_page(request, task, application, form=form, status=status)


def _action_form(request: HttpRequest, task: TaskRef, data: QueryDict | None = None) -> TaskActionForm:
    return TaskActionForm(
        data,
        actions=services.actions_for(task),
        delivery_choices=DeliveryMethod.choices if step_meaning(task.step) == "deliver" else (),
        phrases=phrases_of(request.user.pk),
    )


# The URL names the shared operation panels (workflow/_signers.html, _task_operations.html,
# _delegated_to_me.html) post to.
OPERATION_VIEWS = {
    "sign": "applications:staff_sign",
    "remove_signer": "applications:staff_remove_signer",
    "add_signers": "applications:staff_add_signers",
    "reassign": "applications:staff_reassign",
    "delegate_return": "applications:staff_delegate_return",
    "copy": "applications:staff_copy",
}


def _task_page(
    request: HttpRequest,
    task: TaskRef,
    application: Application,
    *,
    form: TaskActionForm,
    sign_form: SignForm | None = None,
    correction_form: CorrectionForm | None = None,
    refusal: Refusal | None = None,
    status: int = 200,
) -> HttpResponse:
    """The task page, also as the answer to a refused POST: the form's errors, or the operation's
    ``refusal`` in the error summary with what was typed kept (UX.md: errors on the same page)."""
    context = _case_context(request, application) | {
        "task": task,
        "operation_views": OPERATION_VIEWS,
        "form": form,
        "sign_form": sign_form if sign_form is not None else SignForm(),
        "refusal": refusal,
    }
    if step_meaning(task.step) in services.CORRECTABLE_STEPS and task.status == "open":
        context["correction_form"] = correction_form or _correction_form(application)
    if task.status == "open":
        context |= operations_context(task, request.user.pk)
        context["return_targets"] = return_targets(task)
    if application.status == "accepted" and task.status == "open":
        kinds = [p.name for p in context["item"].special_procedures]  # type: ignore[attr-defined]
        context["procedure_form"] = SpecialProcedureForm(kinds=kinds) if kinds else None
        context["procedure_end_form"] = SpecialProcedureEndForm()
    return render(request, "applications/staff/task.html", context, status=status)


def _task_action(
    request: HttpRequest,
    task: TaskRef,
    application: Application,
    call: Callable[[], T],
    success: Callable[[T], str],
    *,
    field: str,
    stay: Callable[[T], bool] = lambda _result: False,
) -> HttpResponse:
    """One operation on a task (POST): on refusal the task page again, with the reason in its error
    summary pointing at ``field`` (status of the error); on success the message, then the inbox — or
    the task page while ``stay`` says it is still mine to see."""
    try:
        result = call()
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal = Refusal(message=exc.message, field=field, values=request.POST)
        return _task_page(
            request, task, application, form=_action_form(request, task), refusal=refusal, status=exc.status
        )
    messages.success(request, success(result))
    if stay(result):
        return redirect("applications:staff_task", task_id=task.id)
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def sign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """会签/加签: sign 同意 or 不同意 with an opinion (a common phrase when the box is empty). Without a
    valid decision the page comes back with the error (400) and nothing is signed."""
    task, application = _task(request, task_id)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _task_page(
            request, task, application, form=_action_form(request, task), sign_form=form, status=400
        )
    return _task_action(
        request,
        task,
        application,
        lambda: services.sign_task(
            task_id=task.id,
            staff_id=request.user.pk,
            approve=form.cleaned_data["decision"] == "approve",
            opinion=form.cleaned_data["opinion"],
        ),
        lambda completion: (
            f"{_('已签署，本环节已有结果') if completion else _('已签署')}：{application.number} {task.name}"
        ),
        field="id_sign_opinion",
    )


@require_POST
@staff_only
def add_signers(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """加签: colleagues sign before me, or after me before my decision takes effect."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        task_operations.add_signers_call(request.POST, task_id=task.id, user_id=request.user.pk),
        lambda _added: _("已加签：%(number)s") % {"number": application.number},
        field="id_add_signers_reason",
        stay=lambda _added: True,
    )


@require_POST
@staff_only
def remove_signer(request: HttpRequest, task_id: uuid.UUID, signer_id: int) -> HttpResponse:
    """减签: take back a signer I added who has not signed yet (it may decide the step)."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        lambda: countersign.remove_signer(
            signer_id=signer_id, user_id=request.user.pk, reason=request.POST.get("reason", "")
        ),
        lambda _completion: _("已减签：%(number)s") % {"number": application.number},
        field="removable-signers",
        stay=lambda completion: completion is None,
    )


def _correction_form(application: Application, data=None) -> CorrectionForm:
    item = version_snapshot(application.item_version_id)
    return CorrectionForm(
        data,
        field_choices=selectors.correction_field_choices(application),
        material_choices=[(m.id, m.name) for m in item.materials],
    )


@require_POST
@staff_only
def correction(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回补正 from the intake or review step; the task waits for the applicant."""
    task, application = _task(request, task_id)
    form = _correction_form(application, request.POST)
    if form.is_valid():
        try:
            services.request_correction(
                application_id=application.pk,
                staff_id=request.user.pk,
                reason=form.cleaned_data["reason"],
                fields=form.cleaned_data["field_names"],
                material_ids=form.cleaned_data["material_ids"],
            )
        except TongbanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已退回补正：%(number)s") % {"number": application.number})
            return redirect("applications:staff_inbox")
    return _task_page(
        request, task, application, form=_action_form(request, task), correction_form=form, status=400
    )


@require_POST
@staff_only
def send_back(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """退回 to an earlier step with a reason; 直送 when ticked."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        lambda: services.send_back_task(
            task_id=task.id,
            staff_id=request.user.pk,
            target_element_id=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            direct=request.POST.get("direct") == "1",
        ),
        lambda _completion: _("已退回：%(number)s") % {"number": application.number},
        field="id_return_reason",
    )


@require_POST
@staff_only
def reassign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """转办 (hand over) or 委派 (ask for an opinion, then decide oneself) to a colleague of the step."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        task_operations.reassign_call(request.POST, task_id=task.id, user_id=request.user.pk),
        lambda _task_ref: _("已转交：%(number)s") % {"number": application.number},
        field="id_reassign_reason",
    )


@require_POST
@staff_only
def delegate_return(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """The delegate's opinion; the task goes back to whoever delegated it."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        task_operations.delegate_return_call(request.POST, task_id=task.id, user_id=request.user.pk),
        lambda _task_ref: _("已交回委派人"),
        field="id_delegate_opinion",
    )


@require_POST
@staff_only
def copy(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """抄送/传阅 the case to colleagues, who may then read it (with a read receipt)."""
    task, application = _task(request, task_id)
    return _task_action(
        request,
        task,
        application,
        task_operations.copy_call(request.POST, task_id=task.id, user_id=request.user.pk),
        lambda added: _("已抄送%(n)s人") % {"n": added},
        field="copy-readers",
        stay=lambda _added: True,
    )


@require_GET
@staff_only
def copies(request: HttpRequest) -> HttpResponse:
    """抄送我的: cases and internal requests copied to me, unread first."""
    copies = workflow_selectors.copies_to(request.user.pk)
    cases = selectors.list_rows_by_ids({application_id_of(c.instance.subject) or 0 for c in copies})
    others = describe_subjects(c.instance.subject for c in copies)
    rows = []
    for copy in copies:
        subject = copy.instance.subject
        if case := cases.get(application_id_of(subject) or 0):
            rows.append((copy, case.number, reverse("applications:staff_case", args=[case.pk])))
        elif summary := others.get(subject):
            rows.append((copy, f"{summary.number} {summary.title}", summary.page_url))
    return render(request, "applications/staff/copies.html", {"rows": rows})


@require_POST
@staff_only
def withdraw(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """撤回 a step I completed, while the next step is untouched; it comes back to my 待办."""
    try:
        completion = services.withdraw_task(task_id=task_id, staff_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect(reverse("applications:staff_inbox") + "?tab=done")
    messages.success(request, _("已撤回，请在待办中重新办理"))
    mine = [t for t in completion.opened if t.assignee_id == request.user.pk]
    return (
        redirect("applications:staff_task", task_id=mine[0].id)
        if mine
        else redirect("applications:staff_inbox")
    )


@require_POST
@staff_only
def special_procedure(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """Start or end a special procedure (the clock pauses while it runs)."""
    task, application = _task(request, task_id)
    try:
        if request.POST.get("end"):
            end_form = SpecialProcedureEndForm(request.POST)
            if not end_form.is_valid():
                raise TongbanError(end_form.errors["outcome"][0])
            services.end_special_procedure(
                application_id=application.pk,
                staff_id=request.user.pk,
                outcome=end_form.cleaned_data["outcome"],
            )
        else:
            services.start_special_procedure(
                application_id=application.pk,
                staff_id=request.user.pk,
                kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""),
            )
    except TongbanError as exc:
        # The form is on the page only while the case is accepted; otherwise the error names the page.
        field = (
            ("id_outcome" if request.POST.get("end") else "id_procedure_reason")
            if (application.status == "accepted")
            else "main"
        )
        refusal = Refusal(message=exc.message, field=field, values=request.POST)
        return _task_page(
            request, task, application, form=_action_form(request, task), refusal=refusal, status=exc.status
        )
    return redirect("applications:staff_task", task_id=task.id)


@require_GET
@staff_only
def case(request: HttpRequest, application_id: int) -> HttpResponse:
    """The case as staff see it, read-only: details, materials, process record and diagram."""
    application = selectors.get_application_for_staff(request.user.pk, application_id)
    if application is None:
        record_request(
            request, event="case.viewed", object_type="application", object_id=application_id, denied=True
        )
        raise Http404
    _viewed(request, application)
    workflow_services.mark_copy_read(subject=subject_of(application.pk), user_id=request.user.pk)
    return render(request, "applications/staff/case.html", _case_context(request, application))


@require_http_methods(["GET", "POST"])
@staff_only
def reveal_resident_id(request: HttpRequest, application_id: int, path: str) -> HttpResponse:
    """查看完整号码: one resident ID number of the answers in full, after the viewer gives a reason;
    each reveal is audited with whose number, which field and why (T-M3, T-J2). Anyone who may not
    read the case, or a field that holds no number, gets 404."""
    application = selectors.get_application_for_staff(request.user.pk, application_id)
    field = selectors.resident_id_field(application, path) if application else None
    if application is None or field is None:
        record_request(
            request,
            event="resident_id.revealed",
            object_type="application",
            object_id=application_id,
            reason=path,
            denied=True,
        )
        raise Http404
    form = RevealForm(request.POST if request.method == "POST" else None)
    number = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            number = selectors.full_resident_id(application, path)
            record_request(
                request,
                event="resident_id.revealed",
                object_type="application",
                object_id=application.pk,
                subject_id=application.applicant_id,
                department_id=application.department_id,
                reason=f"{path}：{form.cleaned_data['reason']}",
            )
        else:
            status = 400
    task_id = request.GET.get("task", "")
    back = (
        reverse("applications:staff_task", args=[task_id])
        if _is_uuid(task_id)
        else reverse("applications:staff_case", args=[application.pk])
    )
    return render(
        request,
        "applications/staff/reveal.html",
        {"application": application, "field": field, "form": form, "number": number, "back": back},
        status=status,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
@staff_only
def approval_sheet(request: HttpRequest, application_id: int) -> HttpResponse:
    """审批表 as a PDF attachment; a view of the applicant's data, so it is audited."""
    application = selectors.get_application_for_staff(request.user.pk, application_id)
    if application is None:
        raise Http404
    _viewed(request, application, event="approval_sheet.downloaded")
    pdf = render_approval_sheet(selectors.approval_sheet_data(application))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="approval-sheet-{application.number}.pdf"'
    return response


@require_GET
@staff_only
def staff_process(request: HttpRequest, application_id: int) -> JsonResponse:
    """The process diagram's data for bpmn-js: the BPMN and the done and current elements."""
    if selectors.get_application_for_staff(request.user.pk, application_id) is None:
        raise Http404
    return process_json(application_id)


@require_GET
@staff_only
def staff_material(request: HttpRequest, application_id: int, material_id: int) -> FileResponse:
    material = selectors.material_file_for_staff(request.user.pk, application_id, material_id)
    record_request(
        request,
        event="material.downloaded",
        object_type="material",
        object_id=material_id,
        subject_id=material.application.applicant_id if material else None,
        denied=material is None,
    )
    return download_material(material)


@require_GET
@staff_only
def staff_form_upload(request: HttpRequest, application_id: int, upload_id: uuid.UUID) -> FileResponse:
    """A file the applicant attached in the form: for staff who may see the case, and only when an
    attachment field of its form holds that upload (T-C7)."""
    application = selectors.get_application_for_staff(request.user.pk, application_id)
    answered = False
    if application is not None:
        item = version_snapshot(application.item_version_id)
        stored = application.form_data or {}
        answered = str(upload_id) in {
            str(stored.get(key)) for key in attachment_keys(item.form_schema, item.ui_schema)
        }
    record_request(
        request,
        event="form_upload.downloaded",
        object_type="form_upload",
        object_id=str(upload_id),
        subject_id=application.applicant_id if application else None,
        denied=not answered,
    )
    return upload_response(str(upload_id), may_see=lambda info: answered)
