"""发文 pages (doc-flow): the list (草稿/在办/已分发), 拟稿, one document with its 发文单 (稿纸), its process
and opinions, and the drafter's 撤回, 撤销 and 催办. Every document is found through
``common.visible_document`` (404 and an audit row outside the 知悉范围)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.core.errors import TongbanError
from tongban.documents import access, selectors
from tongban.documents.errors import DocumentRulesError
from tongban.documents.forms import RULE_FIELDS, DocumentSheetForm, NewDocumentForm, sheet_initial
from tongban.documents.models import DocumentKind, OfficialDocument
from tongban.documents.services import archiving, drafting, steps
from tongban.documents.views.common import visible_document
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services

TAB_LABELS = {"drafts": _("草稿"), "running": _("在办"), "distributed": _("已分发")}


def url_or_path(name: str, document_id: int, path: str) -> str:
    """The URL of another area's page (the 正文 editor, 修订) when it is on this branch, else its path."""
    try:
        return reverse(name, args=[document_id])
    except NoReverseMatch:
        return path


def all_departments() -> list[Any]:
    return [d for group in active_departments_by_region() for d in group.departments]


@require_GET
@staff_only
def document_list(request: HttpRequest) -> HttpResponse:
    """发文: the documents in my 知悉范围 on a tab, newest first, by 文种."""
    tab = request.GET.get("tab", "drafts")
    tab = tab if tab in selectors.TABS else "drafts"
    kind = request.GET.get("kind", "")
    page = selectors.document_list(request.user.pk, tab=tab, kind=kind, cursor=request.GET.get("after", ""))
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label) for key, label in TAB_LABELS.items()],
            "kind": kind if kind in DocumentKind.values else "",
            "kinds": DocumentKind.choices,
        },
    )


def _new_form(request: HttpRequest, data: Any = None) -> NewDocumentForm:
    return NewDocumentForm(
        data,
        templates=selectors.templates_for(request.user.pk),
        departments=selectors.drafting_departments(request.user.pk),
        initial={"idempotency_key": uuid.uuid4().hex},
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new_document(request: HttpRequest) -> HttpResponse:
    """拟稿: choose a template (文种 × 发文机关) and the drafting department; the draft opens."""
    if request.method != "POST":
        return render(request, "documents/new.html", {"form": _new_form(request)})
    form = _new_form(request, request.POST)
    errors: list[tuple[str, str]] = []
    if form.is_valid():
        try:
            document_id = drafting.start_document(
                user_id=request.user.pk,
                template_id=form.cleaned_data["template"],
                department_id=form.cleaned_data["department"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except TongbanError as exc:
            errors.append(("id_template_0", exc.message))
        else:
            messages.success(request, _("已新建公文草稿，请填写发文单和正文"))
            return redirect("documents:document", document_id=document_id)
    errors += [
        (f"id_{name}_0" if name == "template" else f"id_{name}", e)
        for name in form.errors
        for e in form.errors[name]
    ]
    return render(request, "documents/new.html", {"form": form, "errors": errors}, status=400)


def sheet_form(document: OfficialDocument, view: Any, data: Any = None) -> DocumentSheetForm:
    return DocumentSheetForm(data, departments=all_departments(), initial=sheet_initial(view))


def document_context(request: HttpRequest, document: OfficialDocument) -> dict[str, Any]:
    """What the document page and a step's task page show of the document."""
    user_id = request.user.pk
    view = selectors.form_view(document)
    editable = access.may_edit_body(user_id, document) and document.status != "cancelled"
    is_drafter = document.drafter_id == user_id
    open_tasks = workflow_selectors.open_tasks_of(document.subject)
    today = timezone.localdate()
    record = workflow_selectors.process_record(document.subject)
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record})
    diagram = workflow_selectors.diagram_state(document.subject)
    return {
        "document": document,
        "sheet": view,
        "sheet_form": sheet_form(document, view) if editable else None,
        "editable": editable,
        "body_url": url_or_path("documents:body", document.pk, f"/staff/documents/{document.pk}/body/"),
        "revisions_url": url_or_path(
            "documents:revisions", document.pk, f"/staff/documents/{document.pk}/revisions/"
        ),
        "record": [
            (r, people.get(r.assignee_id or 0, ""), departments[r.department_id].short_name) for r in record
        ],
        "countersign_opinions": selectors.countersign_opinions(document),
        "steps": diagram.steps if diagram else [],
        "process_url": reverse("documents:process", args=[document.pk]),
        "is_drafter": is_drafter,
        "can_cancel": is_drafter and document.status == "drafting" and not _submitted(record),
        "withdrawable": steps.withdrawable_task(document, user_id) is not None,
        "nudgeable": [t for t in open_tasks if steps.may_nudge(t, today=today)] if is_drafter else [],
        "my_tasks": [t for t in open_tasks if workflow_selectors.task_for(user_id, t.id)],
        "events": list(document.events.all()),
        "can_archive": document.status == "distributed"
        and archiving.may_archive(user_id, document.issuing_body.department_id),
    }


def _submitted(record: list[Any]) -> bool:
    return any(r.status != "open" for r in record)


@require_GET
@staff_only
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document: the 发文单 in the 稿纸 layout, the 正文 link, the process, opinions, signature."""
    document = visible_document(request, document_id)
    workflow_services.mark_copy_read(subject=document.subject, user_id=request.user.pk)
    return render(request, "documents/document.html", document_context(request, document))


def _refused(
    request: HttpRequest,
    document: OfficialDocument,
    errors: list[tuple[str, str]],
    status: int,
    **extra: Any,
) -> HttpResponse:
    context = document_context(request, document) | {"errors": errors} | extra
    return render(request, "documents/document.html", context, status=status)


def rule_errors(exc: TongbanError) -> list[tuple[str, str]]:
    if isinstance(exc, DocumentRulesError):
        return [(RULE_FIELDS.get(v.field, "id_title"), v.message) for v in exc.violations]
    return [("sheet-heading", exc.message)]


@require_POST
@staff_only
def edit_form(request: HttpRequest, document_id: int) -> HttpResponse:
    """Save the 发文单 (only while the document may be edited: 409 after 签发); the rules refuse with
    every reason in the error summary and nothing saved. Back to the page it was posted from."""
    document = visible_document(request, document_id, event="document.form")
    view = selectors.form_view(document)
    form = sheet_form(document, view, request.POST)
    if not form.is_valid():
        errors = [(f"id_{name}", e) for name in form.errors for e in form.errors[name]]
        return _refused(request, document, errors, 400, sheet_form=form)
    try:
        warnings = drafting.update_form(
            document_id=document.pk, user_id=request.user.pk, **form.service_fields()
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        document.refresh_from_db()
        return _refused(
            request, document, rule_errors(exc), exc.status, sheet_form=form if exc.status != 409 else None
        )
    messages.success(request, _("发文单已保存"))
    for warning in warnings:
        messages.warning(request, warning.message)
    back = request.POST.get("next", "")
    if back.startswith("/staff/document-tasks/"):
        return redirect(back)
    return redirect("documents:document", document_id=document.pk)


@require_GET
@staff_only
def document_process(request: HttpRequest, document_id: int) -> JsonResponse:
    document = visible_document(request, document_id, event="document.process")
    diagram = workflow_selectors.diagram_state(document.subject)
    if diagram is None:
        raise Http404
    return JsonResponse({"xml": diagram.bpmn_xml, "done": diagram.done, "current": diagram.current})


@require_GET
@staff_only
def signature_image(request: HttpRequest, document_id: int) -> HttpResponse:
    """The signer's handwritten signature (a PNG re-encoded at 签发)."""
    document = visible_document(request, document_id, event="document.signature")
    if not document.signature_image:
        raise Http404
    response = HttpResponse(bytes(document.signature_image), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


def _drafter_operation(request: HttpRequest, document_id: int, call: Any, done: str) -> HttpResponse:
    document = visible_document(request, document_id)
    try:
        call(document)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _refused(request, document, [("operations-heading", exc.message)], exc.status)
    messages.success(request, done)
    return redirect("documents:document", document_id=document.pk)


@require_POST
@staff_only
def cancel(request: HttpRequest, document_id: int) -> HttpResponse:
    """撤销 a draft never sent on."""
    return _drafter_operation(
        request,
        document_id,
        lambda d: steps.cancel_document(
            document_id=d.pk, user_id=request.user.pk, reason=request.POST.get("reason", "")
        ),
        _("公文已撤销"),
    )


@require_POST
@staff_only
def withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    """撤回 my last step while the next one is untouched."""

    def call(document: OfficialDocument) -> None:
        task_id = steps.withdrawable_task(document, request.user.pk)
        if task_id is None:
            from tongban.documents.errors import DocumentStateError

            raise DocumentStateError(_("没有可撤回的环节"), code="nothing")
        steps.withdraw_step(task_id=task_id, user_id=request.user.pk)

    return _drafter_operation(request, document_id, call, _("已撤回，请继续办理"))


@require_POST
@staff_only
def nudge(request: HttpRequest, document_id: int, task_id: uuid.UUID) -> HttpResponse:
    """催办 an open step of my document (once a step a day)."""
    told: list[int] = []
    return _drafter_operation(
        request,
        document_id,
        lambda d: told.append(steps.nudge_step(document_id=d.pk, user_id=request.user.pk, task_id=task_id)),
        _("已催办"),
    )


@require_POST
@staff_only
def archive(request: HttpRequest, document_id: int) -> HttpResponse:
    """归档: the issuing body's 文书人员 or 档案管理员 files a distributed document as one 件 (档号 and a
    fixed snapshot); a refusal comes back on the document page."""
    document = visible_document(request, document_id, event="document.archive")
    try:
        code = archiving.archive_document(document_id=document.pk, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _refused(request, document, [("operations-heading", exc.message)], exc.status)
    messages.success(request, _("已归档，档号：%(code)s") % {"code": code})
    return redirect("documents:document", document_id=document.pk)
