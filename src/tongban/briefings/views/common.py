"""What every 政务信息 page does first: find the object within the viewer's scope and audit the view, or
answer 404 and audit the refusal (T-B3); and the error summary of a form."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest

from tongban.briefings.access import (
    editor_department_ids,
    get_issue_for_editor,
    get_issue_for_reader,
    get_submission_for,
    reporter_department_ids,
)
from tongban.briefings.errors import BriefingError
from tongban.briefings.models import Issue, Submission
from tongban.core.audit import record_request


def visible_submission(
    request: HttpRequest, submission_id: int, *, event: str = "briefing.view"
) -> Submission:
    submission = get_submission_for(request.user.pk, submission_id)
    record_request(
        request, event=event, object_type="briefing", object_id=submission_id, denied=submission is None
    )
    if submission is None:
        raise Http404
    return submission


def editable_issue(request: HttpRequest, issue_id: int, *, event: str = "briefing_issue.edit") -> Issue:
    issue = get_issue_for_editor(request.user.pk, issue_id)
    record_request(
        request, event=event, object_type="briefing_issue", object_id=issue_id, denied=issue is None
    )
    if issue is None:
        raise Http404
    return issue


def readable_issue(request: HttpRequest, issue_id: int, *, event: str = "briefing_issue.read") -> Issue:
    issue = get_issue_for_reader(request.user.pk, issue_id)
    record_request(
        request, event=event, object_type="briefing_issue", object_id=issue_id, denied=issue is None
    )
    if issue is None:
        raise Http404
    return issue


def require_editor(request: HttpRequest) -> set[int]:
    """The editor's departments; anyone else gets a 404 (audited)."""
    departments = editor_department_ids(request.user.pk)
    if not departments:
        record_request(request, event="briefing.page", object_type="url", object_id=request.path, denied=True)
        raise Http404
    return departments


def require_briefing_role(request: HttpRequest) -> tuple[set[int], set[int]]:
    """(reporter departments, editor departments); a 404 (audited) for whoever holds neither role."""
    reporting, editing = reporter_department_ids(request.user.pk), editor_department_ids(request.user.pk)
    if not reporting and not editing:
        record_request(request, event="briefing.page", object_type="url", object_id=request.path, denied=True)
        raise Http404
    return reporting, editing


def form_errors(form: forms.Form, exc: BriefingError | None = None) -> list[tuple[str, str]]:
    """The error summary's items: each links to its field. A service refusal goes to the field its
    code names, else to the first field."""
    if exc is not None:
        field = exc.code if exc.code in form.fields else next(iter(form.fields))
        form.add_error(field, exc.message)
    return [
        (form[name].auto_id if name in form.fields else "main-heading", message)
        for name, messages in form.errors.items()
        for message in messages
    ]
