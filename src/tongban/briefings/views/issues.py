"""信息刊物 pages: the editor's issues (编辑中 / 已印发), compiling an issue (order, 编者按, 印发), its PDF,
传阅 with the read receipts, and the reader's 信息待阅."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.briefings import selectors
from tongban.briefings.errors import BriefingError
from tongban.briefings.forms import CirculateForm, EditorNoteForm, PublicationForm
from tongban.briefings.models import Issue, IssueStatus
from tongban.briefings.services import issues as services
from tongban.briefings.views.common import editable_issue, form_errors, readable_issue, require_editor
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids


def _department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for group in active_departments_by_region() for d in group.departments]


@require_GET
@staff_only
def issue_list(request: HttpRequest) -> HttpResponse:
    departments = require_editor(request)
    return render(request, "briefings/issues.html", _issues_context(request, departments))


def _issues_context(request: HttpRequest, departments: set[int], **extra) -> dict:
    names = departments_by_ids(departments)
    return {
        "issues": selectors.issues_for_editor(request.user.pk),
        "publications": selectors.publications_for_editor(request.user.pk),
        "publication_form": extra.get("publication_form") or PublicationForm(),
        "editor_departments": sorted(((d.id, d.name) for d in names.values()), key=lambda c: c[1]),
        "errors": extra.get("errors", []),
        "limit": selectors.LIST_LIMIT,
    }


@require_POST
@staff_only
def new_publication(request: HttpRequest) -> HttpResponse:
    departments = require_editor(request)
    form = PublicationForm(request.POST)
    exc = None
    if form.is_valid():
        try:
            services.create_publication(
                user_id=request.user.pk, department_id=min(departments), name=form.cleaned_data["name"]
            )
        except BriefingError as error:
            exc = error
        else:
            messages.success(request, _("已新建刊物：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("briefings:issues")
    errors = form_errors(form, exc)
    context = _issues_context(request, departments, publication_form=form, errors=errors)
    return render(request, "briefings/issues.html", context, status=400)


@require_POST
@staff_only
def new_issue(request: HttpRequest, publication_id: int) -> HttpResponse:
    require_editor(request)
    try:
        issue_id = services.create_issue(user_id=request.user.pk, publication_id=publication_id)
    except BriefingError as exc:
        raise Http404 from exc
    messages.success(request, _("已新建一期，请在信息列表中采用信息"))
    return redirect("briefings:issue", issue_id=issue_id)


def _issue_context(request: HttpRequest, issue: Issue, **extra) -> dict:
    entries = list(issue.entries.select_related("submission").order_by("position"))
    names = departments_by_ids({e.submission.department_id for e in entries})
    return {
        "issue": issue,
        "entries": [(e, names[e.submission.department_id].name) for e in entries],
        "note_form": extra.get("note_form") or EditorNoteForm(initial={"editor_note": issue.editor_note}),
        "circulate_form": extra.get("circulate_form") or CirculateForm(departments=_department_choices()),
        "receipts": selectors.receipts(issue.pk) if issue.status == IssueStatus.PUBLISHED else [],
        "errors": extra.get("errors", []),
    }


@require_GET
@staff_only
def issue(request: HttpRequest, issue_id: int) -> HttpResponse:
    found = editable_issue(request, issue_id, event="briefing_issue.view")
    return render(request, "briefings/issue.html", _issue_context(request, found))


def _issue_refused(request: HttpRequest, found: Issue, exc: BriefingError, **extra) -> HttpResponse:
    if exc.status == 404:
        raise Http404 from exc
    found.refresh_from_db()
    context = _issue_context(request, found, **extra)
    if not context["errors"]:
        context["errors"] = [("main-heading", exc.message)]
    return render(request, "briefings/issue.html", context, status=exc.status)


@require_POST
@staff_only
def editor_note(request: HttpRequest, issue_id: int) -> HttpResponse:
    found = editable_issue(request, issue_id)
    form = EditorNoteForm(request.POST)
    if not form.is_valid():
        context = _issue_context(request, found, note_form=form, errors=form_errors(form))
        return render(request, "briefings/issue.html", context, status=400)
    try:
        services.set_editor_note(
            user_id=request.user.pk, issue_id=found.pk, note=form.cleaned_data["editor_note"]
        )
    except BriefingError as exc:
        return _issue_refused(request, found, exc)
    messages.success(request, _("已保存编者按"))
    return redirect("briefings:issue", issue_id=found.pk)


@require_POST
@staff_only
def move(request: HttpRequest, issue_id: int, entry_id: int, direction: str) -> HttpResponse:
    found = editable_issue(request, issue_id)
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.move_entry(
            user_id=request.user.pk, issue_id=found.pk, entry_id=entry_id, up=direction == "up"
        )
    except BriefingError as exc:
        return _issue_refused(request, found, exc)
    return redirect("briefings:issue", issue_id=found.pk)


@require_POST
@staff_only
def publish(request: HttpRequest, issue_id: int) -> HttpResponse:
    found = editable_issue(request, issue_id, event="briefing_issue.publish")
    try:
        services.publish_issue(user_id=request.user.pk, issue_id=found.pk)
    except BriefingError as exc:
        return _issue_refused(request, found, exc)
    found.refresh_from_db()
    messages.success(request, _("已印发：%(label)s") % {"label": found.issue_label})
    return redirect("briefings:issue", issue_id=found.pk)


@require_POST
@staff_only
def circulate(request: HttpRequest, issue_id: int) -> HttpResponse:
    found = editable_issue(request, issue_id, event="briefing_issue.circulate")
    form = CirculateForm(request.POST, departments=_department_choices())
    if not form.is_valid():
        context = _issue_context(request, found, circulate_form=form, errors=form_errors(form))
        return render(request, "briefings/issue.html", context, status=400)
    try:
        added = services.circulate_issue(
            user_id=request.user.pk, issue_id=found.pk, department_ids=form.cleaned_data["departments"]
        )
    except BriefingError as exc:
        return _issue_refused(request, found, exc, circulate_form=form, errors=form_errors(form, exc))
    messages.success(request, _("已送%(count)s人传阅") % {"count": added})
    return redirect("briefings:issue", issue_id=found.pk)


@require_GET
@staff_only
def pdf(request: HttpRequest, issue_id: int) -> HttpResponse:
    """The issue's PDF (made at 印发), for its editors and its readers; a reader's download counts as
    reading it."""
    found = readable_issue(request, issue_id, event="briefing_issue.pdf")
    if found.pdf is None:
        raise Http404
    services.mark_issue_read(user_id=request.user.pk, issue_id=found.pk)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{found.year}-{found.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_only
def reading(request: HttpRequest) -> HttpResponse:
    """信息待阅: issues circulated to me, unread first."""
    unread, read = selectors.circulations_to(request.user.pk)
    return render(
        request, "briefings/reading.html", {"unread": unread, "read": read, "limit": selectors.LIST_LIMIT}
    )


@require_GET
@staff_only
def read(request: HttpRequest, issue_id: int) -> HttpResponse:
    """An issue as its readers see it; opening it records my read receipt (the first time stays)."""
    found = readable_issue(request, issue_id)
    if found.status != IssueStatus.PUBLISHED:
        raise Http404
    services.mark_issue_read(user_id=request.user.pk, issue_id=found.pk)
    entries = list(found.entries.select_related("submission").order_by("position"))
    names = departments_by_ids(
        {e.submission.department_id for e in entries} | {found.publication.department_id}
    )
    return render(
        request,
        "briefings/read.html",
        {
            "issue": found,
            "department_name": names[found.publication.department_id].name,
            "entries": [
                (
                    e.submission,
                    [p for p in e.submission.body.splitlines() if p.strip()],
                    names[e.submission.department_id].name,
                )
                for e in entries
            ],
        },
    )
