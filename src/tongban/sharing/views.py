"""我的数据使用记录: a citizen or an enterprise sees who used their data, when and why (T-E5); the
provider department answers 共享申请."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.sharing import case_refs, selectors, services
from tongban.sharing.errors import SharingError
from tongban.sharing.forms import AnswerRequestForm


@require_GET
@login_required(login_url="accounts:login")
def my_data_usage(request: HttpRequest) -> HttpResponse:
    user = request.user
    subject = services.subject_of_account(
        kind=user.kind,  # type: ignore[union-attr]
        resident_id_hmac=user.resident_id_hmac,  # type: ignore[union-attr]
        resident_id_masked=user.resident_id_masked,  # type: ignore[union-attr]
        uscc=user.uscc,  # type: ignore[union-attr]
    )
    before = _before(request)
    page = selectors.usage_page_of(subject, before=before) if subject else None
    records = page.records if page else ()
    # A use made for a draft shows its 办件编号 once the application is submitted.
    refs = case_refs.shown({r.case_ref for r in records if r.case_ref}, account_id=user.pk)
    return render(
        request,
        "sharing/my_data_usage.html",
        {
            "records": [(r, refs.get(r.case_ref, r.case_ref)) for r in records],
            "subject": subject,
            "next_before": page.next_before if page else None,
            "is_first_page": before is None,
        },
    )


def _before(request: HttpRequest) -> int | None:
    """The keyset cursor of a usage-log list (``?before=<row id>``); anything else means the first page."""
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() and len(value) <= 18 else None


@require_GET
@staff_only
def resource_usage(request: HttpRequest) -> HttpResponse:
    """数据使用记录 for the provider department's admin: who used which of its resources, newest first."""
    before = _before(request)
    found = selectors.usage_page_for_steward(request.user.pk, request.GET.get("resource", ""), before=before)
    if found is None:
        raise Http404
    resources, code, page = found
    return render(
        request,
        "sharing/staff_usage.html",
        {
            "resources": resources,
            "resource_code": code,
            "records": page.records,
            "next_before": page.next_before,
            "is_first_page": before is None,
        },
    )


@require_GET
@staff_only
def access_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sharing/staff_requests.html",
        {"requests": selectors.pending_requests_for_steward(request.user.pk)},
    )


@require_http_methods(["GET", "POST"])
@staff_only
def answer_access_request(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = selectors.get_access_request_for(request.user.pk, request_id)
    if access_request is None:
        raise Http404
    form = AnswerRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_access_request(request_id=request_id, actor_id=request.user.pk)
                messages.success(request, _("已同意共享，授权已生效。"))
            else:
                services.refuse_access_request(
                    request_id=request_id, actor_id=request.user.pk, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已答复不同意共享。"))
        except SharingError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            return redirect("sharing:staff_requests")
    return render(
        request, "sharing/staff_answer_request.html", {"access_request": access_request, "form": form}
    )
