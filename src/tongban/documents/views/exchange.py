"""公文交换 pages: the sender's 分发情况 (and 撤回, 交换包), a clerk's 待签收, a received copy with its PDF,
签收 and 退文, and 导入交换包."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.uploads import UPLOAD_MAX_MB
from tongban.documents import exchange_selectors
from tongban.documents.access import clerk_department_ids
from tongban.documents.models import IncomingState, OfficialDocument, ReceivedDocument
from tongban.documents.services import exchange
from tongban.documents.views.common import visible_document, visible_received
from tongban.organizations.selectors import departments_by_ids


def _distribution_page(
    request: HttpRequest, document: OfficialDocument, *, refusal: str = "", status: int = 200
) -> HttpResponse:
    is_clerk = exchange_selectors.is_sender_clerk(request.user.pk, document)
    context = {
        "document": document,
        "rows": exchange_selectors.distribution_of(document),
        "can_withdraw": is_clerk and exchange_selectors.may_withdraw(document),
        "can_export": is_clerk and bool(document.sealed_pdf),
        "refusal": refusal,
    }
    return render(request, "documents/distribution.html", context, status=status)


@require_GET
@staff_only
def distribution(request: HttpRequest, document_id: int) -> HttpResponse:
    """分发情况: per 主送/抄送 body, 已送达 / 已签收 / 已退文 / 已撤回 with times and 退文理由."""
    document = visible_document(request, document_id, event="document.distribution")
    return _distribution_page(request, document)


@require_POST
@staff_only
def withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    """撤回 the distribution while nobody has signed for it."""
    document = visible_document(request, document_id, event="document.withdraw")
    try:
        exchange.withdraw_document(document_id=document.pk, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _distribution_page(request, document, refusal=exc.message, status=exc.status)
    messages.success(request, _("已撤回，收文单位不再看到这份公文"))
    return redirect("documents:distribution", document_id=document.pk)


@require_GET
@staff_only
def package(request: HttpRequest, document_id: int) -> HttpResponse:
    """The document's exchange package (zip), for its issuing body's 文书人员 only."""
    document = OfficialDocument.objects.select_related("issuing_body").filter(pk=document_id).first()
    allowed = document is not None and exchange_selectors.is_sender_clerk(request.user.pk, document)
    record_request(
        request,
        event="document.export_package",
        object_type="document",
        object_id=document_id,
        denied=not allowed,
    )
    if not allowed:
        raise Http404
    try:
        data = exchange.export_package(document_id)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _distribution_page(request, document, refusal=exc.message, status=exc.status)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="document-{document_id}-exchange.zip"'
    return response


@require_GET
@staff_only
def pending(request: HttpRequest) -> HttpResponse:
    """待签收: copies delivered to the departments where the user is 文书人员, newest first."""
    rows, has_more = exchange_selectors.pending_for_clerk(request.user.pk)
    departments = departments_by_ids({r.department_id for r in rows})
    return render(
        request,
        "documents/pending.html",
        {
            "rows": [
                (r, departments[r.department_id].short_name or departments[r.department_id].name)
                for r in rows
            ],
            "has_more": has_more,
            "shown": exchange_selectors.PENDING_SHOWN,
        },
    )


def receipt_context(request: HttpRequest, received: ReceivedDocument) -> dict[str, Any]:
    """What ``documents/_receipt_actions.html`` needs (签收 / 退文 while the copy waits)."""
    return {
        "received": received,
        "can_sign_for": received.state == IncomingState.PENDING
        and received.department_id in clerk_department_ids(request.user.pk),
        "receipt_errors": [],
        "return_reason": "",
    }


def _received_page(
    request: HttpRequest, received: ReceivedDocument, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = receipt_context(request, received) | extra
    department = departments_by_ids({received.department_id})[received.department_id]
    return render(request, "documents/received.html", context | {"department": department}, status=status)


@require_GET
@staff_only
def received_page(request: HttpRequest, received_id: int) -> HttpResponse:
    """A received copy: its facts, the PDF (view and download) and, while it waits, 签收 / 退文."""
    received = visible_received(request, received_id)
    return _received_page(request, received)


@require_GET
@staff_only
def received_pdf(request: HttpRequest, received_id: int) -> FileResponse:
    """The copy's PDF: shown by the browser's viewer with ``?inline=1``, else downloaded."""
    received = visible_received(request, received_id, event="received.pdf")
    if not received.pdf:
        raise Http404
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        received.pdf.open("rb"),
        as_attachment=not inline,
        filename=f"{received.document_number or received.title}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_only
def receive(request: HttpRequest, received_id: int) -> HttpResponse:
    """签收."""
    received = visible_received(request, received_id, event="received.sign_for")
    try:
        exchange.receive_document(received_id=received.pk, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _received_page(
            request, received, status=exc.status, receipt_errors=[("receipt-actions", exc.message)]
        )
    messages.success(request, _("已签收：%(title)s") % {"title": received.title})
    return redirect("documents:received", received_id=received.pk)


@require_POST
@staff_only
def return_document(request: HttpRequest, received_id: int) -> HttpResponse:
    """退文, with a reason."""
    received = visible_received(request, received_id, event="received.return")
    reason = request.POST.get("reason", "")
    try:
        exchange.return_document(received_id=received.pk, user_id=request.user.pk, reason=reason)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        field = "return-reason" if exc.code.startswith("reason") else "receipt-actions"
        return _received_page(
            request,
            received,
            status=exc.status,
            receipt_errors=[(field, exc.message)],
            return_reason=reason,
        )
    messages.success(request, _("已退文：%(title)s") % {"title": received.title})
    return redirect("documents:received", received_id=received.pk)


@require_http_methods(["GET", "POST"])
@staff_only
def import_package(request: HttpRequest) -> HttpResponse:
    """导入交换包: a package from a body outside the platform becomes a 收文 waiting for 签收."""
    department_ids = clerk_department_ids(request.user.pk)
    if not department_ids:
        record_request(
            request, event="received.import_package", object_type="url", object_id=request.path, denied=True
        )
        raise Http404
    departments = sorted(departments_by_ids(department_ids).values(), key=lambda d: d.name)
    errors: list[tuple[str, str]] = []
    chosen = request.POST.get("department", "") if request.method == "POST" else ""
    if request.method == "POST":
        upload = request.FILES.get("package")
        department_id = (
            int(chosen) if chosen.isdigit() else (departments[0].id if len(departments) == 1 else 0)
        )
        if department_id not in department_ids:
            errors.append(("department", _("请选择收文部门")))
        if upload is None or upload.size == 0:
            errors.append(("package", _("请选择交换包")))
        elif upload.size > exchange.exchange_package.MAX_PACKAGE_BYTES:
            errors.append(("package", _("所选文件须小于 %(size)sMB") % {"size": UPLOAD_MAX_MB}))
        if not errors and upload is not None:
            try:
                received_id = exchange.import_package(
                    data=upload.read(), department_id=department_id, user_id=request.user.pk
                )
            except TongbanError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                errors.append(("package", exc.message))
            else:
                messages.success(request, _("交换包已导入，请签收"))
                return redirect("documents:received", received_id=received_id)
    return render(
        request,
        "documents/import_package.html",
        {"departments": departments, "errors": errors, "chosen": chosen, "max_mb": UPLOAD_MAX_MB},
        status=400 if errors else 200,
    )
