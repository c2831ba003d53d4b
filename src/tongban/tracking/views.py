"""督办 pages: the board, 立项, one item with its actions, attachments and the monthly 督办通报 (PDF).
Each action posts to its own URL, calls one service and redirects; a refusal re-renders the item page
with the error summary (400, or 409 when the item moved on)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.views import attachment_download
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids
from tongban.tracking import selectors, services, sources
from tongban.tracking.access import (
    acts_for_lead,
    feedback_department,
    get_item_for,
    is_officer_of,
    officer_department_ids,
)
from tongban.tracking.forms import ItemForm, errors_of
from tongban.tracking.models import Evaluation, ItemStatus, TrackingItem
from tongban.tracking.report import render_monthly_report


def _visible_item(request: HttpRequest, item_id: int, event: str = "tracking.viewed") -> TrackingItem:
    item = get_item_for(request.user.pk, item_id)
    record_request(request, event=event, object_type="tracking_item", object_id=item_id, denied=item is None)
    if item is None:
        raise Http404
    return item


def _department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for group in active_departments_by_region() for d in group.departments]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@require_GET
@staff_only
def board(request: HttpRequest) -> HttpResponse:
    """督办 board: counts by status and lead department; the items of a filter, red and yellow first."""
    show = request.GET.get("show", "open")
    department_id = _int(request.GET.get("department"))
    data = selectors.board(request.user.pk, show=show, department_id=department_id)
    return render(
        request,
        "tracking/board.html",
        {
            "board": data,
            "show": show if show in selectors.FILTERS else "open",
            "department_id": department_id,
            "departments": selectors.lead_departments_of(request.user.pk),
            "is_officer": bool(officer_department_ids(request.user.pk)),
            "filters": [
                ("open", _("办理中")),
                ("overdue", _("已超期")),
                ("mine", _("我批示的")),
                ("closed", _("已办结")),
                ("all", _("全部")),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    """立项: a 督查人员 records a 督办事项, prefilled from ``?source=<kind>:<id>`` (收文批示 …)."""
    offices = officer_department_ids(request.user.pk)
    if not offices:
        record_request(request, event="tracking.new", object_type="tracking_item", object_id="", denied=True)
        raise Http404
    source_value = request.POST.get("source") or request.GET.get("source") or "manual"
    source = sources.resolve(request.user.pk, source_value)
    if source is None:
        record_request(
            request,
            event="tracking.source",
            object_type="tracking_source",
            object_id=source_value,
            denied=True,
        )
        raise Http404
    office_choices = sorted((d.id, d.name) for d in departments_by_ids(offices).values())
    initial: dict[str, Any] = {
        "office_department": office_choices[0][0],
        "title": source.title,
        "requirement": source.requirement,
        "lead_department": source.lead_department_id,
        "assisting_departments": list(source.assisting_department_ids),
        "deadline_days": source.deadline_days,
        "level": "ordinary",
        "cycle": "weekly",
    }
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        offices=office_choices,
        departments=_department_choices(),
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item_id = services.open_item(
                    user_id=request.user.pk,
                    office_department_id=data["office_department"],
                    source=source,
                    fields=services.ItemFields(
                        title=data["title"],
                        requirement=data["requirement"],
                        lead_department_id=data["lead_department"],
                        assisting_department_ids=tuple(data["assisting_departments"]),
                        level=data["level"],
                        deadline_days=data["deadline_days"],
                        cycle=data["cycle"],
                        leader_id=source.leader_id,
                    ),
                )
            except TongbanError as exc:
                errors = [("id_title", m) for m in (exc.details or [exc.message])]
            else:
                messages.success(request, _("已立项，请核对后交办。"))
                return redirect("tracking:item", item_id)
        else:
            errors = errors_of(form)
    leader = None
    if source.leader_id:
        leader = names_of({source.leader_id}).get(source.leader_id, "")
    return render(
        request,
        "tracking/new.html",
        {
            "form": form,
            "errors": errors,
            "source": source,
            "source_value": source_value,
            "leader": leader,
            "source_kind_label": sources.kind_label(source.kind),
        },
        status=400 if errors else 200,
    )


def _item_context(request: HttpRequest, item: TrackingItem) -> dict[str, Any]:
    user_id = request.user.pk
    today = timezone.localdate()
    page = selectors.item_page(item, today=today)
    officer = is_officer_of(user_id, item)
    lead = acts_for_lead(user_id, item)
    pending = selectors.pending_extension(item)
    in_progress = item.status == ItemStatus.IN_PROGRESS
    return {
        "page": page,
        "item": item,
        "can_assign": officer and item.status == ItemStatus.OPENED,
        "can_sign": lead and item.status == ItemStatus.ASSIGNED,
        "can_feedback": in_progress and feedback_department(user_id, item) is not None,
        "can_close": lead and in_progress,
        "can_extend": lead and in_progress and pending is None,
        "can_review": officer and item.status == ItemStatus.CLOSING,
        "can_evaluate": officer and item.status == ItemStatus.CLOSED,
        "can_decide_extension": officer and pending is not None,
        "pending_extension": pending,
        "can_nudge": services.may_nudge(item, user_id=user_id, today=today),
        "evaluations": Evaluation.choices,
        "source_url": _source_url(user_id, item),
    }


def _source_url(user_id: int, item: TrackingItem) -> str:
    """The source's page when the viewer may see it (the 收文 stays within its 知悉范围)."""
    if not item.source_id:
        return ""
    source = sources.resolve(user_id, f"{item.source_kind}:{item.source_id}")
    return source.url if source else ""


@require_GET
@staff_only
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """One 督办事项: its facts and warning, 阶段反馈, 延期, record, and what the viewer may do now."""
    item = _visible_item(request, item_id)
    return render(request, "tracking/item.html", _item_context(request, item))


def _refused(
    request: HttpRequest, item: TrackingItem, exc: TongbanError, field: str, values: dict[str, str]
) -> HttpResponse:
    item.refresh_from_db()
    context = _item_context(request, item) | {
        "errors": [(field, m) for m in (exc.details or [exc.message])],
        "values": values,
        "error_field": field,
    }
    return render(request, "tracking/item.html", context, status=exc.status)


def _uploads(request: HttpRequest) -> list[services.UploadedFile]:
    return [services.UploadedFile(name=f.name or "", data=f.read()) for f in request.FILES.getlist("files")]


@require_POST
@staff_only
def act(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    """The item's actions by name: assign, sign, feedback, close, review, evaluate, extend,
    decide_extension, nudge."""
    item = _visible_item(request, item_id, event=f"tracking.{action}")
    user_id = request.user.pk
    post = request.POST
    values = {
        k: post.get(k, "") for k in ("text", "result", "note", "days", "reason", "decision", "evaluation")
    }
    field = {
        "feedback": "id_text",
        "close": "id_result",
        "review": "id_review_note",
        "evaluate": "id_evaluation_note",
        "extend": "id_days",
        "decide_extension": "id_decision_note",
    }.get(action, "main-heading")
    done = {
        "assign": _("已交办，已通知牵头单位签收。"),
        "sign": _("已签收。"),
        "feedback": _("已提交阶段反馈。"),
        "close": _("已申请办结，等待督查人员审核。"),
        "evaluate": _("已评价。"),
        "extend": _("已提交延期申请。"),
        "nudge": _("已催办。"),
    }
    try:
        if action == "assign":
            services.assign_item(item_id=item.pk, user_id=user_id)
        elif action == "sign":
            services.sign_item(item_id=item.pk, user_id=user_id)
        elif action == "feedback":
            feedback = services.add_feedback(
                item_id=item.pk, user_id=user_id, text=post.get("text", ""), files=_uploads(request)
            )
            if feedback.is_late:
                done["feedback"] = _("已提交阶段反馈（逾期反馈，应于%(due)s前反馈）。") % {
                    "due": f"{feedback.due_date:%Y年%-m月%-d日}" if feedback.due_date else ""
                }
        elif action == "close":
            services.request_closing(
                item_id=item.pk, user_id=user_id, result=post.get("result", ""), files=_uploads(request)
            )
        elif action == "review":
            approve = post.get("decision") == "approve"
            if post.get("decision") not in ("approve", "return"):
                raise services.TrackingError(_("请选择审核结果"), code="decision_required")
            status = services.review_closing(
                item_id=item.pk, user_id=user_id, approve=approve, note=post.get("note", "")
            )
            done["review"] = _("已办结。") if status == ItemStatus.CLOSED else _("已退回继续办理。")
        elif action == "evaluate":
            services.evaluate(
                item_id=item.pk,
                user_id=user_id,
                evaluation=post.get("evaluation", ""),
                note=post.get("note", ""),
            )
        elif action == "extend":
            services.request_extension(
                item_id=item.pk, user_id=user_id, days=_int(post.get("days")), reason=post.get("reason", "")
            )
        elif action == "decide_extension":
            if post.get("decision") not in ("approve", "refuse"):
                raise services.TrackingError(_("请选择审批结果"), code="decision_required")
            approve = post.get("decision") == "approve"
            services.decide_extension(
                extension_id=_int(post.get("extension")) or 0,
                user_id=user_id,
                approve=approve,
                note=post.get("note", ""),
            )
            done["decide_extension"] = _("已同意延期。") if approve else _("已不同意延期。")
        elif action == "nudge":
            services.nudge(item_id=item.pk, user_id=user_id)
        else:
            raise Http404
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _refused(request, item, exc, field, values)
    messages.success(request, done[action])
    return redirect("tracking:item", item.pk)


@require_GET
@staff_only
def attachment(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    item = _visible_item(request, item_id, event="tracking.attachment")
    found = selectors.attachment_of(item, attachment_id)
    if found is None:
        raise Http404
    return attachment_download(*found)


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year, month = _int(request.GET.get("year")), _int(request.GET.get("month"))
    if year is None or month is None or not 1 <= month <= 12 or not 2000 <= year <= today.year + 1:
        return today.year, today.month
    return year, month


@require_GET
@staff_only
def report(request: HttpRequest) -> HttpResponse:
    """督办通报: choose a month; the page shows its counts and downloads the PDF."""
    year, month = _month(request)
    data = selectors.monthly_report(request.user.pk, year=year, month=month)
    today = timezone.localdate()
    return render(
        request,
        "tracking/report.html",
        {
            "report": data,
            "years": list(range(today.year - 3, today.year + 1)),
            "months": list(range(1, 13)),
        },
    )


@require_GET
@staff_only
def report_pdf(request: HttpRequest) -> HttpResponse:
    year, month = _month(request)
    record_request(
        request, event="tracking.report", object_type="tracking_report", object_id=f"{year}-{month}"
    )
    data = selectors.monthly_report(request.user.pk, year=year, month=month)
    response = HttpResponse(render_monthly_report(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tracking-report-{year}-{month:02d}.pdf"'
    return response
