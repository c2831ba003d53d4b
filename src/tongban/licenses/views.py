"""E-license pages: 我的证照 (holders), the public verification and share pages (QR code, 加注件), and the
department's list with revocation (staff). Every page works without JavaScript: POST → redirect → GET."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.accounts.limits import Limit, hit
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.views import client_ip
from tongban.licenses import selectors, services
from tongban.licenses.forms import RevokeForm, ShareForm
from tongban.licenses.models import License
from tongban.licenses.rules import mask_name

holder_only = login_required(login_url="accounts:login")
# Verification pages take no login; a random 32-character token per license and this quota keep anyone
# from walking the register (T-F4).
VERIFICATIONS_PER_ADDRESS = Limit("license-verify-address", 60, 60)


@require_GET
@holder_only
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "licenses/mine.html", {"licenses": selectors.licenses_of(request.user.pk)})


@require_http_methods(["GET", "POST"])
@holder_only
def holder_detail(request: HttpRequest, license_pk: int) -> HttpResponse:
    """One of my licenses, its share links, and the form that makes a new one (加注件)."""
    license_row = selectors.get_license_for_holder(request.user.pk, license_pk)
    if license_row is None:
        raise Http404
    choices = [(f["key"], f["label"]) for f in license_row.face]
    form = ShareForm(request.POST if request.method == "POST" else None, face_choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.create_share(
                    license_pk=license_row.pk,
                    holder_id=request.user.pk,
                    purpose=form.cleaned_data["purpose"],
                    days=form.cleaned_data["days"],
                    fields=form.cleaned_data["fields"],
                )
            except TongbanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已生成加注件链接。"))
                return redirect("licenses:holder_detail", license_pk=license_row.pk)
        status = 400
    return render(
        request,
        "licenses/holder_detail.html",
        {
            "license": license_row,
            "form": form,
            # The address to give the other party: the host this page was served on (make run PORT=…
            # included), so the link works wherever the platform runs.
            "shares": [
                (share, request.build_absolute_uri(reverse("licenses:shared", args=[share.token])))
                for share in license_row.shares.all()
            ],
        },
        status=status,
    )


@require_GET
@holder_only
def holder_download(request: HttpRequest, license_pk: int) -> HttpResponse:
    license_row = selectors.get_license_for_holder(request.user.pk, license_pk)
    if license_row is None:
        raise Http404
    return _pdf_response(license_row)


def _pdf_response(license_row: License) -> HttpResponse:
    response = HttpResponse(bytes(license_row.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="license-{license_row.number}.pdf"'
    return response


def _public_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"  # a revocation shows at once (T-F3)
    return response


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the QR code: signature, then live status, and only what anyone may see."""
    if not hit(VERIFICATIONS_PER_ADDRESS, client_ip(request)):
        return _public_page(request, "licenses/verify.html", {"too_many": True}, status=429)
    result = services.verify_token(token)
    if result is None:
        return _public_page(request, "licenses/verify.html", {"result": None}, status=404)
    return _public_page(request, "licenses/verify.html", _public_context(result, fields=[]))


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """加注件: the same answer plus the face fields the holder chose, for the stated purpose, until expiry."""
    if not hit(VERIFICATIONS_PER_ADDRESS, client_ip(request)):
        return _public_page(request, "licenses/verify.html", {"too_many": True}, status=429)
    share = selectors.live_share(token)
    if share is None:
        return _public_page(request, "licenses/verify.html", {"expired_share": True}, status=404)
    result = services.verify_stored(share.license)
    context = _public_context(result, fields=share.fields)
    context.update(share=share)
    return _public_page(request, "licenses/verify.html", context)


def _public_context(result, *, fields: list[str]) -> dict:
    payload = result.payload
    holder = payload.get("holder", {})
    # A person's name is masked on public pages (T-F4); an enterprise's name and code are public records.
    holder_name = (
        holder.get("name", "") if holder.get("code_type") == "001" else mask_name(holder.get("name", ""))
    )
    valid_until = payload.get("valid_until")
    return {
        "result": result,
        "valid_from": dt.date.fromisoformat(payload["valid_from"]) if payload.get("valid_from") else None,
        "valid_until": dt.date.fromisoformat(valid_until) if valid_until else None,
        "holder_name": holder_name,
        "holder_code": holder.get("code", ""),
        "fields": [f for f in payload.get("face", []) if f["key"] in fields],
    }


@require_GET
@staff_only
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "licenses/staff_list.html", {"licenses": selectors.licenses_for_staff(request.user.pk)}
    )


@require_http_methods(["GET", "POST"])
@staff_only
def staff_detail(request: HttpRequest, license_pk: int) -> HttpResponse:
    license_row = selectors.get_license_for_staff(request.user.pk, license_pk)
    if license_row is None:
        record_request(
            request, event="license.viewed", object_type="license", object_id=license_pk, denied=True
        )
        raise Http404
    # The page shows the holder's signed face data: who saw whose license (T-J2).
    record_request(
        request,
        event="license.viewed",
        object_type="license",
        object_id=license_row.pk,
        subject_id=license_row.holder_id,
        department_id=license_row.department_id,
    )
    form = RevokeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.revoke_license(
                    license_pk=license_row.pk, staff_id=request.user.pk, reason=form.cleaned_data["reason"]
                )
            except TongbanError as exc:
                if exc.code == "not_found":
                    raise Http404 from exc
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("证照已注销。"))
                return redirect("licenses:staff_detail", license_pk=license_row.pk)
        else:
            status = 400
    return render(
        request,
        "licenses/staff_detail.html",
        {
            "license": license_row,
            "form": form,
            "events": license_row.events.all(),
            "payload": json.loads(license_row.signed_payload),
            "may_revoke": license_row.department_id in services.revoking_department_ids(request.user.pk),
        },
        status=status,
    )
