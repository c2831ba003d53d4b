"""信息 pages: the list (信息员: their units'; 信息编辑: submitted to them), 报送, a 信息 with what the editor
decides (采用 / 不采用 / 退修, 修改, 采用级别) and the reporter's 重报 after 退修."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.briefings import selectors
from tongban.briefings.access import is_editor_of, is_reporter_of
from tongban.briefings.errors import BriefingError
from tongban.briefings.forms import (
    NEW_ISSUE,
    AdoptForm,
    LevelRecordForm,
    ReasonForm,
    SubmissionForm,
    TextForm,
)
from tongban.briefings.models import IssueStatus, Submission, SubmissionStatus
from tongban.briefings.services import issues as issue_services
from tongban.briefings.services import submissions as services
from tongban.briefings.views.common import form_errors, require_briefing_role, visible_submission
from tongban.core.uploads import UploadError, check_upload, scan_upload
from tongban.core.views import attachment_download
from tongban.organizations.selectors import departments_by_ids

ATTACHMENT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_MAX_MB = 10


@require_GET
@staff_only
def submission_list(request: HttpRequest) -> HttpResponse:
    reporting, editing = require_briefing_role(request)
    status = request.GET.get("status", "")
    if status not in SubmissionStatus.values:
        status = ""
    rows = selectors.submission_rows(request.user.pk, status=status)
    return render(
        request,
        "briefings/list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": SubmissionStatus.choices,
            "is_reporter": bool(reporting),
            "is_editor": bool(editing),
            "limit": selectors.LIST_LIMIT,
        },
    )


def _submission_form(request: HttpRequest, reporting: set[int], data=None, files=None) -> SubmissionForm:
    departments = departments_by_ids(reporting)
    return SubmissionForm(
        data,
        files,
        departments=sorted(((d.id, d.name) for d in departments.values()), key=lambda c: c[1]),
        publications=[(p.pk, p.name) for p in selectors.publications_for_reporting()],
        initial={
            "department": next(iter(sorted(reporting)), None),
            "publication": next((p.pk for p in selectors.publications_for_reporting()), None),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    """报送信息: only a 信息员 (a 404 for anyone else)."""
    reporting, _editing = require_briefing_role(request)
    if not reporting:
        raise Http404
    if request.method == "GET":
        return render(request, "briefings/new.html", {"form": _submission_form(request, reporting)})
    form = _submission_form(request, reporting, request.POST, request.FILES)
    errors: list[tuple[str, str]] = []
    if form.is_valid():
        data = form.cleaned_data
        attachments = []
        try:
            if data["attachment"]:
                upload = data["attachment"]
                checked = check_upload(
                    name=upload.name,
                    data=upload,
                    allowed_types=ATTACHMENT_TYPES,
                    max_size_mb=ATTACHMENT_MAX_MB,
                )
                scan_upload(checked, uploader_id=request.user.pk)
                attachments.append(checked)
            submission_id = services.submit_submission(
                user_id=request.user.pk,
                department_id=data["department"],
                publication_id=data["publication"],
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                urgency=data["urgency"],
                attachments=attachments,
                idempotency_key=data["idempotency_key"],
            )
        except UploadError as exc:
            form.add_error("attachment", exc.message)
            errors = form_errors(form)
        except BriefingError as exc:
            if exc.status == 404:
                raise Http404 from exc
            errors = form_errors(form, exc)
        else:
            messages.success(request, _("已报送：%(title)s") % {"title": data["title"]})
            return redirect("briefings:submission", submission_id=submission_id)
    else:
        errors = form_errors(form)
    return render(request, "briefings/new.html", {"form": form, "errors": errors}, status=400)


def _issue_choices(publication_id: int) -> list[tuple[str, str]]:
    """The issues being compiled a 信息 may be adopted into, by the day they were started."""
    return [
        (str(i.pk), _("编辑中的一期（%(date)s新建）") % {"date": f"{i.created_at:%Y-%m-%d}"})
        for i in selectors.draft_issues(publication_id)
    ]


def _detail_context(request: HttpRequest, submission: Submission, **forms) -> dict:
    user_id = request.user.pk
    editor = is_editor_of(user_id, submission)
    versions = list(submission.versions.order_by("number"))
    adoptions = list(submission.adoptions.select_related("level").order_by("recorded_at", "id"))
    entry = getattr(submission, "entry", None) if submission.status == SubmissionStatus.ADOPTED else None
    names = names_of({v.author_id for v in versions} | {a.recorded_by_id for a in adoptions})
    department = departments_by_ids({submission.department_id})[submission.department_id]
    context = {
        "submission": submission,
        "department_name": department.name,
        "versions": [(v, names.get(v.author_id, "")) for v in versions],
        "adoptions": [(a, names.get(a.recorded_by_id, "")) for a in adoptions],
        "attachments": list(submission.attachments.defer("content")),
        "entry": entry,
        "is_editor": editor,
        "is_reporter": is_reporter_of(user_id, submission),
        "errors": forms.pop("errors", []),
    }
    if editor and submission.status == SubmissionStatus.SUBMITTED:
        issues = _issue_choices(submission.publication_id)
        context["adopt_form"] = forms.get("adopt_form") or AdoptForm(issues=issues)
        context["reject_form"] = forms.get("reject_form") or ReasonForm(prefix="reject")
        context["return_form"] = forms.get("return_form") or ReasonForm(prefix="return")
    if editor and submission.status == SubmissionStatus.ADOPTED:
        recorded = {a.level_id for a in adoptions}
        levels = [
            (lv.pk, f"{lv.name}（{lv.points}分）")
            for lv in selectors.active_levels(issue_level=False)
            if lv.pk not in recorded
        ]
        context["level_form"] = forms.get("level_form") or LevelRecordForm(levels=levels)
        context["can_withdraw"] = (
            entry is not None and entry.issue.status == IssueStatus.DRAFT and len(adoptions) == 1
        )
    context["can_edit"] = editor and (
        submission.status == SubmissionStatus.SUBMITTED
        or (entry is not None and entry.issue.status == IssueStatus.DRAFT)
    )
    return context


@require_GET
@staff_only
def submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    item = visible_submission(request, submission_id)
    return render(request, "briefings/submission.html", _detail_context(request, item))


def _refused(
    request: HttpRequest, item: Submission, form, exc: BriefingError | None, name: str
) -> HttpResponse:
    if exc is not None and exc.status == 404:
        raise Http404 from exc
    errors = form_errors(form, exc)
    item.refresh_from_db()
    context = _detail_context(request, item, **{name: form, "errors": errors})
    return render(request, "briefings/submission.html", context, status=exc.status if exc else 400)


@require_POST
@staff_only
def adopt(request: HttpRequest, submission_id: int) -> HttpResponse:
    item = visible_submission(request, submission_id, event="briefing.adopt")
    form = AdoptForm(request.POST, issues=_issue_choices(item.publication_id))
    if not form.is_valid():
        return _refused(request, item, form, None, "adopt_form")
    try:
        choice = form.cleaned_data["issue"]
        if choice == NEW_ISSUE:
            issue_id = issue_services.create_issue(
                user_id=request.user.pk, publication_id=item.publication_id
            )
        else:
            issue_id = int(choice)
        services.adopt_submission(user_id=request.user.pk, submission_id=item.pk, issue_id=issue_id)
    except BriefingError as exc:
        return _refused(request, item, form, exc, "adopt_form")
    messages.success(request, _("已采用：%(title)s") % {"title": item.title})
    return redirect("briefings:issue", issue_id=issue_id)


def _decision(request: HttpRequest, submission_id: int, *, prefix: str) -> HttpResponse:
    item = visible_submission(request, submission_id, event=f"briefing.{prefix}")
    form = ReasonForm(request.POST, prefix=prefix)
    name = f"{prefix}_form"
    if not form.is_valid():
        return _refused(request, item, form, None, name)
    service = services.reject_submission if prefix == "reject" else services.return_submission
    try:
        service(user_id=request.user.pk, submission_id=item.pk, reason=form.cleaned_data["reason"])
    except BriefingError as exc:
        return _refused(request, item, form, exc, name)
    done = _("不采用") if prefix == "reject" else _("已退修")
    messages.success(request, f"{done}：{item.title}")
    return redirect("briefings:submission", submission_id=item.pk)


@require_POST
@staff_only
def reject(request: HttpRequest, submission_id: int) -> HttpResponse:
    return _decision(request, submission_id, prefix="reject")


@require_POST
@staff_only
def return_for_revision(request: HttpRequest, submission_id: int) -> HttpResponse:
    return _decision(request, submission_id, prefix="return")


@require_POST
@staff_only
def record_level(request: HttpRequest, submission_id: int) -> HttpResponse:
    item = visible_submission(request, submission_id, event="briefing.record_level")
    levels = [(lv.pk, lv.name) for lv in selectors.active_levels(issue_level=False)]
    form = LevelRecordForm(request.POST, levels=levels)
    if not form.is_valid():
        return _refused(request, item, form, None, "level_form")
    try:
        services.record_adoption(
            user_id=request.user.pk,
            submission_id=item.pk,
            level_id=form.cleaned_data["level"],
            evidence=form.cleaned_data["evidence"],
        )
    except BriefingError as exc:
        return _refused(request, item, form, exc, "level_form")
    messages.success(request, _("已记录采用级别"))
    return redirect("briefings:submission", submission_id=item.pk)


@require_POST
@staff_only
def withdraw(request: HttpRequest, submission_id: int) -> HttpResponse:
    item = visible_submission(request, submission_id, event="briefing.withdraw")
    try:
        services.withdraw_adoption(user_id=request.user.pk, submission_id=item.pk)
    except BriefingError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤出本期，信息回到待审核"))
    return redirect("briefings:submission", submission_id=item.pk)


def _text_page(request: HttpRequest, submission_id: int, *, as_editor: bool) -> HttpResponse:
    item = visible_submission(
        request, submission_id, event="briefing.edit" if as_editor else "briefing.revise"
    )
    allowed = is_editor_of(request.user.pk, item) if as_editor else is_reporter_of(request.user.pk, item)
    if not allowed:
        raise Http404
    template = "briefings/text.html"
    context = {"submission": item, "as_editor": as_editor}
    if request.method == "GET":
        form = TextForm(initial={"title": item.title, "body": item.body})
        return render(request, template, context | {"form": form})
    form = TextForm(request.POST)
    if form.is_valid():
        service = services.edit_submission if as_editor else services.resubmit_submission
        try:
            service(
                user_id=request.user.pk,
                submission_id=item.pk,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except BriefingError as exc:
            if exc.status == 404:
                raise Http404 from exc
            errors = form_errors(form, exc)
        else:
            messages.success(request, _("已保存修改") if as_editor else _("已重新报送"))
            return redirect("briefings:submission", submission_id=item.pk)
    else:
        errors = form_errors(form)
    return render(request, template, context | {"form": form, "errors": errors}, status=400)


@require_http_methods(["GET", "POST"])
@staff_only
def edit(request: HttpRequest, submission_id: int) -> HttpResponse:
    """修改 by an editor: a new version; the reporter's text stays."""
    return _text_page(request, submission_id, as_editor=True)


@require_http_methods(["GET", "POST"])
@staff_only
def revise(request: HttpRequest, submission_id: int) -> HttpResponse:
    """修改后重新报送, by a 信息员 of the unit, after 退修."""
    return _text_page(request, submission_id, as_editor=False)


@require_GET
@staff_only
def attachment(request: HttpRequest, submission_id: int, attachment_id: int) -> HttpResponse:
    """An attachment, always downloaded (never shown inline: T-C1, T-C2)."""
    item = visible_submission(request, submission_id, event="briefing.attachment")
    file = item.attachments.filter(pk=attachment_id).first()
    if file is None:
        raise Http404
    return attachment_download(file.name, file.mime_type, bytes(file.content))
