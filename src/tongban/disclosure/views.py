"""政务公开 staff pages: the list, 新建/修改, the item page (metadata, the gate's findings, attachments,
the process, the step's action and 退回 on a task page), the timeliness board, the 月通报 (page and
PDF) with the 季点评, the 公开指南 editor and 一键公开 of a 公文. Each action posts to its own URL,
calls one service and redirects; a refusal re-renders the item page with the error summary (400, or
409 when the item moved on)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.views import attachment_download
from tongban.disclosure import selectors, services
from tongban.disclosure.errors import DisclosureError, GateBlocked
from tongban.disclosure.forms import ItemForm, ValidityForm, errors_of, initial_of, year_month
from tongban.disclosure.models import Category, DisclosureAttachment, DisclosureItem, ItemStatus, item_id_of
from tongban.disclosure.report import render_monthly_report
from tongban.disclosure.roles import DISCLOSURE_APPROVER, DISCLOSURE_EDITOR
from tongban.organizations.selectors import department_ids_for, departments_by_ids
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import WorkflowError
from tongban.workflow.types import TaskRef


def _refuse(request: HttpRequest, event: str, object_id: Any) -> None:
    record_request(request, event=event, object_type="disclosure_item", object_id=object_id, denied=True)
    raise Http404


def _visible_item(request: HttpRequest, item_id: int) -> DisclosureItem:
    item = selectors.get_item_for(request.user.pk, item_id)
    if item is None:
        _refuse(request, "disclosure.viewed", item_id)
    assert item is not None
    record_request(request, event="disclosure.viewed", object_type="disclosure_item", object_id=item_id)
    return item


def _disclosure_staff(request: HttpRequest) -> None:
    if not selectors.is_disclosure_staff(request.user.pk):
        record_request(request, event="disclosure.list", object_type="disclosure", object_id="", denied=True)
        raise Http404


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _editor_departments(user_id: int) -> list[tuple[int, str]]:
    ids = department_ids_for(user_id=user_id, role=DISCLOSURE_EDITOR)
    found = departments_by_ids(ids)
    return sorted(((d, found[d].name) for d in ids), key=lambda pair: pair[1])


# --- the list -------------------------------------------------------------------------------------


@require_GET
@staff_only
def staff_list(request: HttpRequest) -> HttpResponse:
    """主动公开 list: the items of the user's departments, filtered by status, department, category."""
    _disclosure_staff(request)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    department_id = _int(request.GET.get("department"))
    category = request.GET.get("category", "")
    query = request.GET.get("q", "")[:50]
    page = _int(request.GET.get("page")) or 1
    rows, more = selectors.staff_items(
        request.user.pk,
        status=status,
        department_id=department_id,
        category=category,
        query=query,
        page=page,
        today=today,
    )
    return render(
        request,
        "disclosure/staff_list.html",
        {
            "rows": rows,
            "more": more,
            "page": page,
            "status": status,
            "department_id": department_id,
            "category": category,
            "query": query,
            "statuses": ItemStatus.choices,
            "categories": Category.choices,
            "departments": selectors.departments_for_filter(request.user.pk),
            "can_draft": bool(department_ids_for(user_id=request.user.pk, role=DISCLOSURE_EDITOR)),
        },
    )


# --- 新建, 修改 -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    departments = _editor_departments(request.user.pk)
    if not departments:
        record_request(request, event="disclosure.new", object_type="disclosure", object_id="", denied=True)
        raise Http404
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    form = ItemForm(request.POST or None, departments=departments, initial={"department": departments[0][0]})
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            item_id = services.create_item(
                user_id=request.user.pk,
                department_id=form.cleaned_data["department"],
                fields=form.item_fields(),
                idempotency_key=key,
            )
        except DisclosureError as exc:
            errors.append((f"id_{exc.field or 'title'}", exc.message))
        else:
            messages.success(request, _("已保存草稿。请核对检查结果后送审。"))
            return redirect("disclosure:staff_item", item_id)
    errors = errors_of(form) + errors
    return render(
        request,
        "disclosure/edit.html",
        {"form": form, "errors": errors, "idempotency_key": key, "item": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _visible_item(request, item_id)
    departments = [(item.department_id, departments_by_ids({item.department_id})[item.department_id].name)]
    form = ItemForm(request.POST or None, departments=departments, initial=initial_of(item))
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item_id=item.pk, user_id=request.user.pk, fields=form.item_fields())
        except DisclosureError as exc:
            if exc.status != 400:
                return _item_page(request, item, errors=[("main-heading", exc.message)], status=exc.status)
            errors.append((f"id_{exc.field or 'title'}", exc.message))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("disclosure:staff_item", item.pk)
    errors = errors_of(form) + errors
    return render(
        request,
        "disclosure/edit.html",
        {"form": form, "errors": errors, "item": item},
        status=400 if request.method == "POST" else 200,
    )


# --- the item page --------------------------------------------------------------------------------


def _process(item: DisclosureItem) -> list[tuple[Any, str]]:
    record = workflow_selectors.process_record(item.subject)
    names = names_of({r.assignee_id for r in record if r.assignee_id})
    return [(r, names.get(r.assignee_id or 0, "")) for r in record]


def _my_open_tasks(item: DisclosureItem, user_id: int) -> list[TaskRef]:
    found = []
    for task in workflow_selectors.open_tasks_of(item.subject):
        mine = workflow_selectors.task_for(user_id, task.id)
        if mine is not None:
            found.append(mine)
    return found


def _item_page(
    request: HttpRequest,
    item: DisclosureItem,
    *,
    task: TaskRef | None = None,
    errors: list[tuple[str, str]] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user_id = request.user.pk
    my_tasks = _my_open_tasks(item, user_id)
    draft_task = next((t for t in my_tasks if t.element_id == services.DRAFT), None)
    is_manager = selectors.has_role_in(user_id, item.department_id, DISCLOSURE_APPROVER) or bool(
        selectors.admin_department_ids(user_id)
    )
    due = selectors.due_date(item.changed_on)
    returned = next((t for t in my_tasks if t.return_reason), None)
    context = {
        "item": item,
        "department_name": departments_by_ids({item.department_id})[item.department_id].name,
        "gate": selectors.gate_of(item),
        "attachments": selectors.attachments_of(item.pk),
        "process": _process(item),
        "names": names_of({i for i in (item.author_id, item.secrecy_reviewer_id, item.approver_id) if i}),
        "my_tasks": my_tasks,
        "task": task,
        "actions": dict(services.ACTIONS),
        "return_targets": workflow_services.return_targets(task) if task and task.status == "open" else [],
        "can_edit": draft_task is not None and item.status == ItemStatus.DRAFT,
        "can_revise": item.status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
        and selectors.has_role_in(user_id, item.department_id, DISCLOSURE_EDITOR),
        "can_manage": is_manager and item.status == ItemStatus.PUBLISHED,
        "validity_form": ValidityForm(initial={"validity": item.validity}),
        "due": due,
        "overdue": item.status in (ItemStatus.DRAFT, ItemStatus.IN_REVIEW) and timezone.localdate() > due,
        "late": item.published_on is not None and item.published_on > due,
        "returned": returned,
        "errors": errors or [],
        "values": values or {},
    }
    return render(request, "disclosure/item.html", context, status=status)


@require_GET
@staff_only
def staff_item(request: HttpRequest, item_id: int) -> HttpResponse:
    return _item_page(request, _visible_item(request, item_id))


def _act(request: HttpRequest, item_id: int, call: Any, *, field: str, done: str) -> HttpResponse:
    """Run one service call for the item page's action; a refusal re-renders the page."""
    item = _visible_item(request, item_id)
    try:
        call(item)
    except TongbanError as exc:
        item.refresh_from_db()
        target = f"id_{getattr(exc, 'field', '') or field}"
        # The gate's findings, each a line of the error summary pointing at the findings table.
        errors = [(target, exc.message)] + (
            [("findings", d) for d in exc.details] if isinstance(exc, GateBlocked) else []
        )
        return _item_page(request, item, errors=errors, values=dict(request.POST.items()), status=exc.status)
    messages.success(request, done)
    return redirect("disclosure:staff_item", item.pk)


@require_POST
@staff_only
def mask(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(
        request,
        item_id,
        lambda item: services.mask_item_text(item_id=item.pk, user_id=request.user.pk),
        field="findings",
        done=_("已遮盖标题和正文中的个人信息。"),
    )


@require_POST
@staff_only
def justify(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(
        request,
        item_id,
        lambda item: services.justify_findings(
            item_id=item.pk, user_id=request.user.pk, text=request.POST.get("justification", "")
        ),
        field="justification",
        done=_("已保存发布说明，审核人员将看到。"),
    )


@require_POST
@staff_only
def add_attachment(request: HttpRequest, item_id: int) -> HttpResponse:
    upload = request.FILES.get("file")

    def call(item: DisclosureItem) -> None:
        if upload is None:
            raise DisclosureError(_("请选择要上传的文件"), field="file")
        services.add_attachment(
            item_id=item.pk, user_id=request.user.pk, name=upload.name or "", data=upload.read()
        )

    return _act(request, item_id, call, field="file", done=_("已上传附件。"))


@require_POST
@staff_only
def remove_attachment(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    return _act(
        request,
        item_id,
        lambda item: services.remove_attachment(
            item_id=item.pk, user_id=request.user.pk, attachment_id=attachment_id
        ),
        field="file",
        done=_("已删除附件。"),
    )


@require_GET
@staff_only
def staff_attachment(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    item = _visible_item(request, item_id)
    attachment = DisclosureAttachment.objects.filter(pk=attachment_id, item=item).first()
    if attachment is None:
        raise Http404
    return attachment_download(attachment.name, attachment.mime_type, bytes(attachment.content))


@require_POST
@staff_only
def publish(request: HttpRequest, item_id: int) -> HttpResponse:
    """发布 (T-I1): the leader's 审核通过; a draft → 409, the secrecy reviewer again → 400."""
    return _act(
        request,
        item_id,
        lambda item: services.publish_item(
            item_id=item.pk, user_id=request.user.pk, opinion=request.POST.get("opinion", "")
        ),
        field="opinion",
        done=_("已发布，公众可在政务公开栏目查看。"),
    )


@require_POST
@staff_only
def revise(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(
        request,
        item_id,
        lambda item: services.revise_item(item_id=item.pk, user_id=request.user.pk),
        field="revise",
        done=_("已转为草稿，修改后请重新送审。"),
    )


@require_POST
@staff_only
def set_validity(request: HttpRequest, item_id: int) -> HttpResponse:
    form = ValidityForm(request.POST)

    def call(item: DisclosureItem) -> None:
        if not form.is_valid():
            target, message = errors_of(form)[0]
            raise DisclosureError(message, field=target.removeprefix("id_"))
        services.set_validity(
            item_id=item.pk,
            user_id=request.user.pk,
            validity=form.cleaned_data["validity"],
            changed_on=form.cleaned_data["validity_changed_on"],
        )

    return _act(request, item_id, call, field="validity", done=_("已更新有效性。"))


@require_POST
@staff_only
def withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(
        request,
        item_id,
        lambda item: services.withdraw_item(
            item_id=item.pk, user_id=request.user.pk, reason=request.POST.get("reason", "")
        ),
        field="reason",
        done=_("已撤回，公众不再能看到该信息。"),
    )


# --- task pages -----------------------------------------------------------------------------------


def _visible_task(request: HttpRequest, task_id: uuid.UUID) -> tuple[TaskRef, DisclosureItem]:
    task = workflow_selectors.task_for(request.user.pk, task_id)
    item_id = item_id_of(task.subject) if task else None
    item = selectors.get_item_for(request.user.pk, item_id) if item_id else None
    if task is None or item is None:
        record_request(request, event="task.open", object_type="task", object_id=task_id, denied=True)
        raise Http404
    record_request(request, event="disclosure.task", object_type="disclosure_item", object_id=item.pk)
    return task, item


@require_http_methods(["GET", "POST"])
@staff_only
def task_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One step of an item: the item page with the step's action (送审 / 审查通过 / 审核通过并发布)
    and 退回 with a reason."""
    task, item = _visible_task(request, task_id)
    if request.method != "POST":
        return _item_page(request, item, task=task)
    op = request.POST.get("op", "complete")
    try:
        if op == "send_back":
            services.send_back_step(
                task_id=task.id,
                user_id=request.user.pk,
                target_element_id=request.POST.get("target", ""),
                reason=request.POST.get("reason", ""),
            )
            done = _("已退回。")
        else:
            services.handle_step(
                task_id=task.id, user_id=request.user.pk, opinion=request.POST.get("opinion", "")
            )
            done = {
                services.DRAFT: _("已送审。"),
                services.SECRECY_REVIEW: _("保密审查已通过，已转领导审核。"),
                services.APPROVAL: _("已发布，公众可在政务公开栏目查看。"),
            }.get(task.element_id, _("已办理。"))
    except TongbanError as exc:
        item.refresh_from_db()
        field = getattr(exc, "field", "") or ("reason" if op == "send_back" else "opinion")
        return _item_page(
            request,
            item,
            task=task,
            errors=[(f"id_{field}", exc.message)],
            values=dict(request.POST.items()),
            status=exc.status,
        )
    messages.success(request, done)
    return redirect("disclosure:staff_item", item.pk)


@require_POST
@staff_only
def claim(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    task, item = _visible_task(request, task_id)
    try:
        workflow_services.claim_task(task_id=task.id, user_id=request.user.pk)
    except WorkflowError as exc:
        return _item_page(request, item, task=task, errors=[("main-heading", exc.message)], status=exc.status)
    return redirect("disclosure:task", task.id)


# --- timeliness, 月通报, 季点评 -------------------------------------------------------------------


@require_GET
@staff_only
def timeliness(request: HttpRequest) -> HttpResponse:
    _disclosure_staff(request)
    today = timezone.localdate()
    department_id = _int(request.GET.get("department"))
    return render(
        request,
        "disclosure/timeliness.html",
        {
            "board": selectors.timeliness_board(request.user.pk, today=today, department_id=department_id),
            "today": today,
            "department_id": department_id,
            "departments": selectors.departments_for_filter(request.user.pk),
        },
    )


def _report(request: HttpRequest) -> Any:
    _disclosure_staff(request)
    today = timezone.localdate()
    year, month = year_month(request.GET.get("month") or request.POST.get("month"), today)
    return selectors.monthly_report(request.user.pk, year=year, month=month, today=today)


@require_GET
@staff_only
def report(request: HttpRequest) -> HttpResponse:
    """政务公开月通报 (and the quarter's 季点评, written here by the 政务公开管理员)."""
    data = _report(request)
    return render(
        request,
        "disclosure/report.html",
        {
            "report": data,
            "month_value": f"{data.year}-{data.month:02d}",
            "is_admin": bool(selectors.admin_department_ids(request.user.pk)),
            "errors": [],
        },
    )


@require_GET
@staff_only
def report_pdf(request: HttpRequest) -> HttpResponse:
    data = _report(request)
    record_request(
        request,
        event="disclosure.report_exported",
        object_type="disclosure_report",
        object_id=f"{data.year}-{data.month:02d}",
    )
    response = HttpResponse(render_monthly_report(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{data.year}-{data.month:02d}.pdf"'
    return response


@require_POST
@staff_only
def save_review(request: HttpRequest) -> HttpResponse:
    data = _report(request)
    department_id = _int(request.POST.get("department")) or 0
    try:
        services.save_quarterly_review(
            user_id=request.user.pk,
            department_id=department_id,
            year=data.year,
            quarter=data.quarter,
            text=request.POST.get("text", ""),
        )
    except TongbanError as exc:
        if exc.status == 404:
            record_request(
                request,
                event="disclosure.review",
                object_type="department",
                object_id=department_id,
                denied=True,
            )
            raise Http404 from exc
        return render(
            request,
            "disclosure/report.html",
            {
                "report": data,
                "month_value": f"{data.year}-{data.month:02d}",
                "is_admin": True,
                "errors": [(f"review-{department_id}", exc.message)],
            },
            status=exc.status,
        )
    messages.success(request, _("已保存季点评。"))
    return redirect(f"{reverse('disclosure:report')}?month={data.year}-{data.month:02d}")


# --- 公开指南 ------------------------------------------------------------------------------------


def _guide_departments(user_id: int) -> list[tuple[int, str]]:
    if selectors.admin_department_ids(user_id):
        return selectors.departments_for_filter(user_id)
    ids = department_ids_for(user_id=user_id, role=DISCLOSURE_APPROVER)
    return [(d, n) for d, n in selectors.departments_for_filter(user_id) if d in ids]


@require_http_methods(["GET", "POST"])
@staff_only
def guide_edit(request: HttpRequest) -> HttpResponse:
    """政府信息公开指南: the 政务公开管理员 (any department) or a department's 公开审核领导."""
    departments = _guide_departments(request.user.pk)
    if not departments:
        record_request(request, event="disclosure.guide", object_type="department", object_id="", denied=True)
        raise Http404
    allowed = {d for d, _n in departments}
    department_id = _int(request.GET.get("department") or request.POST.get("department")) or departments[0][0]
    if department_id not in allowed:
        record_request(
            request, event="disclosure.guide", object_type="department", object_id=department_id, denied=True
        )
        raise Http404
    errors: list[tuple[str, str]] = []
    guide = selectors.guide_of(department_id)
    body = request.POST.get("body", guide.body if guide else "")
    if request.method == "POST":
        try:
            services.save_guide(user_id=request.user.pk, department_id=department_id, body=body)
        except TongbanError as exc:
            errors.append(("id_body", exc.message))
        else:
            messages.success(request, _("已保存并公开政府信息公开指南。"))
            return redirect(f"{request.path}?department={department_id}")
    return render(
        request,
        "disclosure/guide_edit.html",
        {"departments": departments, "department_id": department_id, "body": body, "errors": errors},
        status=400 if errors else 200,
    )


# --- 公文 → 主动公开 ------------------------------------------------------------------------------


@require_POST
@staff_only
def from_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """一键公开 a distributed 公文 (the button on the 发文 page)."""
    departments = _editor_departments(request.user.pk)
    department_id = _int(request.POST.get("department")) or (departments[0][0] if departments else None)
    if department_id is None or department_id not in {d for d, _n in departments}:
        record_request(
            request,
            event="disclosure.from_document",
            object_type="document",
            object_id=document_id,
            denied=True,
        )
        raise Http404
    try:
        item_id = services.disclose_document(
            user_id=request.user.pk, document_id=document_id, department_id=department_id
        )
    except TongbanError as exc:
        if exc.status == 404:
            record_request(
                request,
                event="disclosure.from_document",
                object_type="document",
                object_id=document_id,
                denied=True,
            )
            raise Http404 from exc
        return render(
            request,
            "disclosure/refused.html",
            {"message": exc.message, "back": reverse("documents:document", args=[document_id])},
            status=exc.status,
        )
    messages.success(request, _("已根据公文生成主动公开信息并送审。"))
    return redirect("disclosure:staff_item", item_id)
