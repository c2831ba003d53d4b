"""我的数据使用记录: a citizen or an enterprise sees who used their data, when and why (T-E5)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tongban.sharing import selectors, services


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
    records = selectors.usage_of(subject) if subject else []
    return render(request, "sharing/my_data_usage.html", {"records": records, "subject": subject})
