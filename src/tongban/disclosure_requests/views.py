"""依申请公开 pages: the applicant's (apply, 我的依申请公开, one request with its notices, 告知书 and released
files), the staff's (queue, one request with its actions, redaction rules, annual reports) and the public
annual reports. Every action posts to its own URL, calls one service and redirects; a refusal re-renders
the page with the error summary (400, or 409 when the request moved on)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.disclosure_requests import selectors, services
from tongban.disclosure_requests.access import (
    approver_department_ids,
    handler_department_ids,
    is_government_report_editor,
    is_rule_editor,
)
from tongban.disclosure_requests.forms import AnswerForm, ApplyForm, ReportForm, RuleForm, errors_of
from tongban.disclosure_requests.models import (
    AnnualReport,
    ApplicantType,
    DisclosureRequest,
    RedactionRule,
    ReportStatus,
    Status,
)
from tongban.disclosure_requests.rules import REVIEW_GROUPS, REVIEW_RESULTS
from tongban.organizations.selectors import active_departments_by_region, general_office_id

applicant_only = login_required(login_url="accounts:login")


def _errors(exc: TongbanError, default_field: str = "main-heading") -> list[tuple[str, str]]:
    problems = getattr(exc, "problems", None)
    if problems:
        return [(f"id_{field}", message) for field, message in problems]
    return [(default_field, exc.message)]


def _pdf(file, filename: str) -> FileResponse:
    handle = file.open("rb")
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")


# --- the applicant ------------------------------------------------------------------------------------


def _department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for group in active_departments_by_region() for d in group.departments]


def _applicant(request: HttpRequest) -> None:
    if getattr(request.user, "kind", "") not in ("citizen", "enterprise"):
        record_request(
            request, event="disclosure_request.portal", object_type="url", object_id=request.path, denied=True
        )
        raise Http404


@require_http_methods(["GET", "POST"])
@applicant_only
def apply(request: HttpRequest) -> HttpResponse:
    """在线申请: the form; on success the receipt number and due date are shown on the request page."""
    _applicant(request)
    form = ApplyForm(
        request.POST if request.method == "POST" else None,
        departments=_department_choices(),
        initial={"idempotency_key": uuid.uuid4(), "delivery": "online", "format": "electronic"},
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                request_id = services.submit_request(
                    user_id=request.user.pk,
                    application=services.Application(
                        department_id=data["department"],
                        description=data["description"],
                        purpose=data["purpose"],
                        delivery=data["delivery"],
                        format=data["format"],
                        applicant_type=data["applicant_type"],
                        contact_email=data["contact_email"],
                        postal_address=data["postal_address"],
                    ),
                    idempotency_key=data["idempotency_key"],
                )
            except TongbanError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("申请已提交。"))
                return redirect("disclosure_requests:mine_detail", request_id)
        else:
            errors = errors_of(form)
    return render(
        request,
        "disclosure_requests/apply.html",
        {"form": form, "errors": errors, "is_enterprise": request.user.kind == "enterprise"},
        status=400 if errors else 200,
    )


@require_GET
@applicant_only
def mine(request: HttpRequest) -> HttpResponse:
    _applicant(request)
    return render(
        request, "disclosure_requests/mine.html", {"requests": selectors.applicant_requests(request.user.pk)}
    )


def _own(
    request: HttpRequest, request_id: int, event: str = "disclosure_request.viewed"
) -> DisclosureRequest:
    _applicant(request)
    found = selectors.applicant_request(request.user.pk, request_id)
    record_request(
        request,
        event=event,
        object_type="disclosure_request",
        object_id=request_id,
        subject_id=request.user.pk,
        denied=found is None,
    )
    if found is None:
        raise Http404
    return found


def _mine_page(
    request: HttpRequest, found: DisclosureRequest, errors=None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "disclosure_requests/mine_detail.html",
        {
            "item": found,
            "notices": list(found.notices.all()),
            "files": selectors.released_files(found),
            "pauses": list(found.pauses.all()),
            "errors": errors or [],
        },
        status=status,
    )


@require_GET
@applicant_only
def mine_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _mine_page(request, _own(request, request_id))


@require_POST
@applicant_only
def correct(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _own(request, request_id, "disclosure_request.correct")
    try:
        services.reply_correction(
            request_id=found.pk, user_id=request.user.pk, text=request.POST.get("text", "")
        )
    except TongbanError as exc:
        found.refresh_from_db()
        return _mine_page(request, found, errors=[("id_text", exc.message)], status=exc.status)
    messages.success(request, _("补正内容已提交，答复期限继续计算。"))
    return redirect("disclosure_requests:mine_detail", found.pk)


@require_GET
@applicant_only
def mine_answer_pdf(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _own(request, request_id, "disclosure_request.answer_download")
    if not found.answer_pdf:
        raise Http404
    return _pdf(found.answer_pdf, f"{found.number}答复告知书.pdf")


@require_GET
@applicant_only
def mine_notice_pdf(request: HttpRequest, request_id: int, notice_id: int) -> HttpResponse:
    found = _own(request, request_id, "disclosure_request.notice_download")
    notice = found.notices.filter(pk=notice_id).first()
    if notice is None or not notice.pdf:
        raise Http404
    return _pdf(notice.pdf, f"{found.number}{notice.title}.pdf")


@require_GET
@applicant_only
def mine_file(request: HttpRequest, request_id: int, file_id: int) -> HttpResponse:
    """A released file: always the redacted PDF, never the original."""
    found = _own(request, request_id, "disclosure_request.file_download")
    file = next((f for f in selectors.released_files(found) if f.pk == file_id), None)
    if file is None:
        raise Http404
    return _pdf(file.redacted, file.released_name)


# --- the staff ----------------------------------------------------------------------------------------------


@require_GET
@staff_only
def staff_queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    department = request.GET.get("department", "")
    department_id = int(department) if department.isdigit() else None
    data = selectors.queue(request.user.pk, show=show, department_id=department_id)
    return render(
        request,
        "disclosure_requests/staff_queue.html",
        {
            "queue": data,
            "show": show if show in selectors.FILTERS else "open",
            "department_id": department_id,
            "filters": [
                ("open", _("办理中")),
                ("overdue", _("已超期")),
                ("review", _("待审核签发")),
                ("answered", _("已答复")),
                ("all", _("全部")),
            ],
        },
    )


def _staff_item(
    request: HttpRequest, request_id: int, event: str = "disclosure_request.viewed"
) -> DisclosureRequest:
    found = selectors.staff_request(request.user.pk, request_id)
    record_request(
        request,
        event=event,
        object_type="disclosure_request",
        object_id=request_id,
        subject_id=found.applicant_id if found else None,
        denied=found is None,
    )
    if found is None:
        raise Http404
    return found


def _staff_page(
    request: HttpRequest, found: DisclosureRequest, *, errors=None, status: int = 200, answer_form=None
) -> HttpResponse:
    user_id = request.user.pk
    handler = found.department_id in handler_department_ids(user_id)
    approver = found.department_id in approver_department_ids(user_id)
    pending = selectors.pending_extension(found)
    handling = found.status == Status.HANDLING
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {
        "item": found,
        "level": selectors.request_level(found),
        "pauses": list(found.pauses.all()),
        "extensions": list(found.extensions.all()),
        "notices": list(found.notices.all()),
        "files": list(found.files.all()),
        "pending_extension": pending,
        "can_accept": handler and found.status == Status.SUBMITTED,
        "can_pause": handler and handling,
        "can_end_consultation": handler and found.status == Status.CONSULTATION,
        "can_extend": handler
        and found.is_open
        and found.status != Status.REVIEW
        and not found.extended
        and pending is None,
        "can_decide_extension": approver and pending is not None,
        "can_files": handler and handling,
        "can_answer": handler and handling,
        "can_sign": approver and found.status == Status.REVIEW,
        "answer_form": answer_form or AnswerForm(),
        "query": query,
        "published": selectors.published_items(query, department_id=found.department_id) if query else [],
        "errors": errors or [],
        "applicant_type_label": ApplicantType(found.applicant_type).label,
    }
    return render(request, "disclosure_requests/staff_request.html", context, status=status)


@require_GET
@staff_only
def staff_request(request: HttpRequest, request_id: int) -> HttpResponse:
    return _staff_page(request, _staff_item(request, request_id))


ACTIONS = {
    "accept",
    "pause",
    "end-consultation",
    "extend",
    "approve-extension",
    "refuse-extension",
    "upload",
    "confirm-file",
    "remove-file",
    "answer",
    "return",
    "sign",
}


@require_POST
@staff_only
def staff_act(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    found = _staff_item(request, request_id, event=f"disclosure_request.{action}")
    if action not in ACTIONS:
        raise Http404
    user_id = request.user.pk
    post = request.POST
    answer_form = None
    done = {
        "accept": _("已受理。"),
        "pause": _("已暂停计时，并告知申请人。"),
        "end-consultation": _("已结束征求第三方意见，继续计时。"),
        "extend": _("延期申请已提交审批。"),
        "approve-extension": _("已批准延期，并向申请人发出延期答复告知书。"),
        "refuse-extension": _("未批准延期。"),
        "upload": _("文件已遮蔽，请预览后确认。"),
        "confirm-file": _("已确认遮蔽版本。"),
        "remove-file": _("已删除文件。"),
        "answer": _("答复已提交审核签发。"),
        "return": _("已退回承办人修改。"),
        "sign": _("已签发，答复告知书已加盖电子印章并送达申请人。"),
    }[action]
    field = "main-heading"
    try:
        if action == "accept":
            services.accept(request_id=found.pk, user_id=user_id)
        elif action == "pause":
            field = "id_pause_reason"
            services.start_pause(
                request_id=found.pk, user_id=user_id, kind=post.get("kind", ""), reason=post.get("reason", "")
            )
        elif action == "end-consultation":
            field = "id_opinion"
            services.end_consultation(request_id=found.pk, user_id=user_id, opinion=post.get("opinion", ""))
        elif action == "extend":
            field = "id_extension_reason"
            services.request_extension(request_id=found.pk, user_id=user_id, reason=post.get("reason", ""))
        elif action in ("approve-extension", "refuse-extension"):
            services.decide_extension(
                request_id=found.pk, user_id=user_id, approve=action == "approve-extension"
            )
        elif action == "upload":
            field = "id_file"
            upload = request.FILES.get("file")
            if upload is None:
                raise TongbanError(_("请选择要公开的文件"), code="file_required")
            services.add_file(
                request_id=found.pk,
                user_id=user_id,
                name=upload.name,
                data=upload.read(),
                terms=post.get("terms", ""),
            )
        elif action in ("confirm-file", "remove-file"):
            file_id = int(post.get("file", "0") or 0) if post.get("file", "").isdigit() else 0
            if action == "confirm-file":
                services.confirm_file(request_id=found.pk, file_id=file_id, user_id=user_id)
            else:
                services.remove_file(request_id=found.pk, file_id=file_id, user_id=user_id)
        elif action == "answer":
            answer_form = AnswerForm(post)
            if not answer_form.is_valid():
                found.refresh_from_db()
                return _staff_page(
                    request, found, errors=errors_of(answer_form), status=400, answer_form=answer_form
                )
            data = answer_form.cleaned_data
            services.draft_answer(
                request_id=found.pk,
                user_id=user_id,
                answer=services.Answer(
                    answer_type=data["answer_type"],
                    text=data["text"],
                    refusal_ground=data["refusal_ground"],
                    url=data["url"] or data["picked_url"],
                    holder_name=data["holder_name"],
                    holder_contact=data["holder_contact"],
                ),
            )
        elif action == "return":
            services.return_answer(request_id=found.pk, user_id=user_id)
        elif action == "sign":
            services.sign_answer(request_id=found.pk, user_id=user_id)
    except TongbanError as exc:
        found.refresh_from_db()
        return _staff_page(
            request, found, errors=_errors(exc, field), status=exc.status, answer_form=answer_form
        )
    messages.success(request, done)
    return redirect("disclosure_requests:staff_request", found.pk)


@require_GET
@staff_only
def staff_file(request: HttpRequest, request_id: int, file_id: int, which: str) -> HttpResponse:
    """The original or the redacted version of a file, for the handling department only."""
    found = _staff_item(request, request_id, event=f"disclosure_request.file_{which}")
    file = found.files.filter(pk=file_id).first()
    if file is None or which not in ("original", "redacted"):
        raise Http404
    if which == "original":
        name = file.original_name
        handle = file.original.open("rb")
        return FileResponse(handle, as_attachment=True, filename=name)
    return _pdf(file.redacted, file.released_name)


@require_GET
@staff_only
def staff_answer_pdf(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _staff_item(request, request_id, event="disclosure_request.answer_download")
    if not found.answer_pdf:
        raise Http404
    return _pdf(found.answer_pdf, f"{found.number}答复告知书.pdf")


# --- redaction rules --------------------------------------------------------------------------------------------


def _rule_editor(request: HttpRequest) -> None:
    if not is_rule_editor(request.user.pk):
        record_request(
            request, event="disclosure_request.rules", object_type="url", object_id=request.path, denied=True
        )
        raise Http404


@require_http_methods(["GET", "POST"])
@staff_only
def rules_page(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """遮蔽规则: the list, and a form for a new rule or the one chosen."""
    _rule_editor(request)
    rule = RedactionRule.objects.filter(pk=rule_id).first() if rule_id else None
    if rule_id and rule is None:
        raise Http404
    initial = (
        {
            "name": rule.name,
            "kind": rule.kind,
            "pattern": rule.pattern,
            "replacement": rule.replacement,
            "is_active": rule.is_active,
        }
        if rule
        else None
    )
    form = RuleForm(request.POST if request.method == "POST" else None, initial=initial)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_rule(
                    user_id=request.user.pk,
                    rule_id=rule.pk if rule else None,
                    fields=services.RuleFields(
                        data["name"], data["kind"], data["pattern"], data["replacement"], data["is_active"]
                    ),
                )
            except TongbanError as exc:
                errors = _errors(exc, "id_pattern")
            else:
                messages.success(request, _("遮蔽规则已保存。"))
                return redirect("disclosure_requests:rules")
        else:
            errors = errors_of(form)
    return render(
        request,
        "disclosure_requests/rules.html",
        {"rules": selectors.rules_table(), "form": form, "rule": rule, "errors": errors},
        status=400 if errors else 200,
    )


# --- annual reports ------------------------------------------------------------------------------------------------


def _report_departments(user_id: int) -> list[tuple[str, str]]:
    from tongban.organizations.selectors import departments_by_ids

    choices = [
        (str(d.id), d.name)
        for d in sorted(departments_by_ids(approver_department_ids(user_id)).values(), key=lambda d: d.id)
    ]
    if is_government_report_editor(user_id):
        choices.insert(0, ("government", _("本级人民政府（全部部门）")))
    return choices


@require_http_methods(["GET", "POST"])
@staff_only
def staff_reports(request: HttpRequest) -> HttpResponse:
    """年度报告: the reports the viewer edits, and making the draft of a year."""
    choices = _report_departments(request.user.pk)
    if not choices:
        record_request(
            request,
            event="disclosure_request.reports",
            object_type="url",
            object_id=request.path,
            denied=True,
        )
        raise Http404
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        scope = request.POST.get("scope", "")
        year = request.POST.get("year", "")
        if scope not in dict(choices) or not year.isdigit() or not 2019 <= int(year) <= 2100:
            errors = [("id_year", _("请选择报告主体并填写年度"))]
        else:
            report_id = services.ensure_report(
                user_id=request.user.pk,
                year=int(year),
                department_id=None if scope == "government" else int(scope),
            )
            return redirect("disclosure_requests:staff_report", report_id)
    return render(
        request,
        "disclosure_requests/staff_reports.html",
        {"reports": selectors.reports_for_staff(request.user.pk), "choices": choices, "errors": errors},
        status=400 if errors else 200,
    )


def _editable_report(request: HttpRequest, report_id: int) -> AnnualReport:
    report = AnnualReport.objects.filter(pk=report_id).select_related("department").first()
    allowed = report is not None and (
        is_government_report_editor(request.user.pk)
        if report.department_id is None
        else report.department_id in approver_department_ids(request.user.pk)
    )
    record_request(
        request,
        event="disclosure_request.report",
        object_type="annual_report",
        object_id=report_id,
        denied=not allowed,
    )
    if not allowed or report is None:
        raise Http404
    return report


@require_http_methods(["GET", "POST"])
@staff_only
def staff_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    initial = {
        "overview": report.overview,
        "proactive_note": report.proactive_note,
        "problems": report.problems,
        "other_matters": report.other_matters,
        **{k: v for k, v in report.review_counts.items()},
    }
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "publish":
                services.publish_report(user_id=request.user.pk, report_id=report.pk)
                messages.success(request, _("年度报告已发布。"))
                return redirect("disclosure_requests:staff_report", report.pk)
            if form.is_valid():
                data = form.cleaned_data
                services.update_report(
                    user_id=request.user.pk,
                    report_id=report.pk,
                    fields=services.ReportFields(
                        data["overview"],
                        data["proactive_note"],
                        data["problems"],
                        data["other_matters"],
                        form.review_counts(),
                    ),
                )
                messages.success(request, _("年度报告已保存。"))
                return redirect("disclosure_requests:staff_report", report.pk)
            errors = errors_of(form)
        except TongbanError as exc:
            errors = _errors(exc)
    return render(
        request,
        "disclosure_requests/staff_report.html",
        {
            "report": report,
            "content": selectors.report_content(report),
            "form": form,
            "errors": errors,
            **_review_fields(form),
        },
        status=400 if errors else 200,
    )


def _review_fields(form: ReportForm) -> dict[str, Any]:
    return {
        "review_groups": [
            (label, [(form[f"{group}:{result}"], result_label) for result, result_label in REVIEW_RESULTS])
            for group, label in REVIEW_GROUPS
        ]
    }


# --- the public annual reports ----------------------------------------------------------------------------------------


@require_GET
def public_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "disclosure_requests/public_reports.html", {"reports": selectors.published_reports()}
    )


def _published(report_id: int) -> AnnualReport:
    report = (
        AnnualReport.objects.filter(pk=report_id, status=ReportStatus.PUBLISHED)
        .select_related("department")
        .first()
    )
    if report is None:
        raise Http404
    return report


@require_GET
def public_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published(report_id)
    return render(
        request,
        "disclosure_requests/public_report.html",
        {"report": report, "content": selectors.report_content(report)},
    )


@require_GET
def public_report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published(report_id)
    return _pdf(report.pdf, f"{report.year}年政府信息公开工作年度报告.pdf")


def government_office_id() -> int | None:
    return general_office_id()
