"""差评整改 in the workbench: the list, one rectification with its rating, case and rater, and its
steps (整改情况 with attachments, 回访, 办结). Handling roles of the department act; supervisors read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.uploads import UploadError
from tongban.ratings import selectors, services
from tongban.ratings.forms import FollowUpForm, ReplyForm
from tongban.ratings.models import Rectification
from tongban.ratings.rules import Step

TAB_LABELS = {
    "unfinished": gettext_lazy("未办结"),
    "overdue": gettext_lazy("已超期"),
    **{status.value: status.label for status in Rectification.Status},
}
# Which field a refusal of the service belongs to (anything else goes to the top of the page).
ERROR_FIELDS = {
    "text_required": "text",
    "result_required": "result",
    "note_required": "note",
    "date_in_future": "contacted_year",
    "date_before_reply": "contacted_year",
}


@require_GET
@staff_only
def staff_list(request: HttpRequest) -> HttpResponse:
    """The rectifications of the viewer's departments, one tab at a time (未办结 first)."""
    if selectors.staff_scope(request.user.pk).is_empty:
        raise Http404
    show = request.GET.get("show", "unfinished")
    show = show if show in selectors.FILTERS else "unfinished"
    result = selectors.rectifications_for_staff(request.user.pk, show=show)
    tabs = [(key, str(TAB_LABELS[key]), result.counts[key]) for key in selectors.FILTERS]
    return render(
        request,
        "ratings/staff_list.html",
        {"rows": result.rows, "tabs": tabs, "show": show, "is_truncated": result.is_truncated},
    )


def _readable(request: HttpRequest, rectification_id: int) -> selectors.RectificationDetail:
    detail = selectors.get_rectification_for(request.user.pk, rectification_id)
    if detail is None:
        record_request(
            request,
            event="rectification.viewed",
            object_type="rectification",
            object_id=rectification_id,
            denied=True,
        )
        raise Http404
    return detail


def _page(
    request: HttpRequest,
    detail: selectors.RectificationDetail,
    *,
    bound: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    # The page shows the rater's name and phone, and what they wrote: who saw whose (T-J2).
    record_request(
        request,
        event="rectification.viewed",
        object_type="rectification",
        object_id=detail.rectification.pk,
        subject_id=detail.rating.rater_id,
        department_id=detail.rectification.department_id,
    )
    reply_form = bound if isinstance(bound, ReplyForm) else ReplyForm()
    follow_up_form = bound if isinstance(bound, FollowUpForm) else _fresh_follow_up_form()
    return render(
        request,
        "ratings/staff_detail.html",
        {
            "detail": detail,
            "rectification": detail.rectification,
            "rating": detail.rating,
            "may_reply": Step.REPLY in detail.steps,
            "may_follow_up": Step.FOLLOW_UP in detail.steps,
            "may_close": Step.CLOSE in detail.steps,
            "reply_form": reply_form,
            "follow_up_form": follow_up_form,
            "bound": bound,
        },
        status=status,
    )


def _fresh_follow_up_form() -> FollowUpForm:
    today = timezone.localdate()
    return FollowUpForm(
        initial={"contacted_year": today.year, "contacted_month": today.month, "contacted_day": today.day}
    )


def _refused(form: forms.Form, exc: TongbanError) -> int:
    if exc.code == "not_found":
        raise Http404 from exc
    field = "attachments" if isinstance(exc, UploadError) else ERROR_FIELDS.get(exc.code)
    form.add_error(field if field in form.fields else None, exc.message)
    return exc.status


@require_GET
@staff_only
def staff_detail(request: HttpRequest, rectification_id: int) -> HttpResponse:
    return _page(request, _readable(request, rectification_id))


@require_POST
@staff_only
def staff_reply(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """整改情况 with attachments; bad input re-renders the page with the error summary."""
    detail = _readable(request, rectification_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply_to_rectification(
                rectification_id=detail.rectification.pk,
                staff_id=request.user.pk,
                text=form.cleaned_data["text"],
                files=[services.Upload(name=f.name, data=f) for f in form.cleaned_data["attachments"]],
            )
        except TongbanError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("整改情况已提交，请回访评价人。"))
            return redirect("ratings:staff_detail", rectification_id=detail.rectification.pk)
    else:
        status = 400
    return _page(request, _readable(request, rectification_id), bound=form, status=status)


@require_POST
@staff_only
def staff_follow_up(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """回访 of the rater: result, date, what they said."""
    detail = _readable(request, rectification_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.record_follow_up(
                rectification_id=detail.rectification.pk,
                staff_id=request.user.pk,
                result=form.cleaned_data["result"],
                contacted_on=form.cleaned_data["contacted_on"],
                note=form.cleaned_data["note"],
            )
        except TongbanError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("回访已记录。"))
            return redirect("ratings:staff_detail", rectification_id=detail.rectification.pk)
    else:
        status = 400
    return _page(request, _readable(request, rectification_id), bound=form, status=status)


@require_POST
@staff_only
def staff_close(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """办结 after the 回访; the rater is told."""
    detail = _readable(request, rectification_id)
    form = forms.Form(request.POST)
    try:
        services.close_rectification(rectification_id=detail.rectification.pk, staff_id=request.user.pk)
    except TongbanError as exc:
        status = _refused(form, exc)
        return _page(request, _readable(request, rectification_id), bound=form, status=status)
    messages.success(request, _("整改已办结，评价人将收到通知。"))
    return redirect("ratings:staff_detail", rectification_id=detail.rectification.pk)


@require_GET
@staff_only
def staff_attachment(request: HttpRequest, rectification_id: int, attachment_id: int) -> FileResponse:
    """An attachment as a download, never rendered by the browser (T-C1, T-C2); audited."""
    attachment = selectors.attachment_for_staff(request.user.pk, rectification_id, attachment_id)
    record_request(
        request,
        event="rectification.attachment",
        object_type="rectification_attachment",
        object_id=attachment_id,
        department_id=attachment.reply.rectification.department_id if attachment else None,
        denied=attachment is None,
    )
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.display_name)
    response["Content-Security-Policy"] = "sandbox"
    return response
