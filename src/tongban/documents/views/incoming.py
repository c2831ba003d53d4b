"""收文办理 pages (issue 15): the 收文 list of a department's clerks and 承办 handlers, 登记, the 收文办理单
(read-only), 催办, the 待阅 list with 标为已阅, and a 承办 attachment. Every 收文 is found through
``views.common.visible_received`` (404 and an audit row outside the 知悉范围)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.archives import selectors as archive_selectors
from tongban.core.errors import TongbanError
from tongban.core.views import attachment_download
from tongban.documents import incoming_selectors as selectors
from tongban.documents.access import clerk_department_ids
from tongban.documents.models import ReceivedDocument, Secrecy, Urgency
from tongban.documents.services import archiving, incoming
from tongban.documents.views.common import visible_received
from tongban.workflow import selectors as workflow_selectors

TAB_LABELS = (("unregistered", _("待登记")), ("handling", _("办理中")), ("done", _("已办结")))


@require_GET
@staff_only
def received_list(request: HttpRequest) -> HttpResponse:
    """收文: 待登记 (signed for, no 收文号 yet), 办理中, 已办结 — the newest first, at most
    ``LIST_LIMIT`` each."""
    tab = request.GET.get("tab", "unregistered")
    if tab not in selectors.TABS:
        tab = "unregistered"
    rows = selectors.received_list(request.user.pk, tab)
    return render(
        request,
        "documents/received_list.html",
        {
            "tab": tab,
            "tabs": [(code, str(label)) for code, label in TAB_LABELS],
            "rows": rows,
            "limit": selectors.LIST_LIMIT,
            "is_clerk": bool(clerk_department_ids(request.user.pk)),
        },
    )


# Which field a 登记 refusal is about (the error summary links to it).
FIELD_WORDS = (
    ("标题", "id_title"),
    ("密级", "id_secrecy"),
    ("缓急", "id_urgency"),
    ("页数", "id_page_count"),
)


def _field_of(message: str) -> str:
    return next((field for word, field in FIELD_WORDS if word in message), "id_sender_name")


def _page_count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else (None if not text else -1)


@require_http_methods(["GET", "POST"])
@staff_only
def register(request: HttpRequest, received_id: int) -> HttpResponse:
    """登记: 收文号 given on saving; 来文单位, 文号, 标题, 密级, 缓急, 页数 prefilled from the delivery."""
    received = visible_received(request, received_id, event="received.register")
    if received.registration_number:
        return redirect("documents:received_handling", received_id=received.pk)
    values = {
        "sender_name": received.sender_name,
        "document_number": received.document_number,
        "title": received.title,
        "secrecy": received.secrecy,
        "urgency": received.urgency,
        "page_count": "" if received.page_count is None else str(received.page_count),
    }
    errors: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        page_count = _page_count(values["page_count"])
        try:
            number = incoming.register_received(
                received_id=received.pk,
                user_id=request.user.pk,
                fields=incoming.Registration(
                    sender_name=values["sender_name"],
                    document_number=values["document_number"],
                    title=values["title"],
                    secrecy=values["secrecy"],
                    urgency=values["urgency"],
                    page_count=page_count,
                ),
            )
        except TongbanError as exc:
            if exc.status == 404:
                raise Http404 from exc
            errors = [(_field_of(d), d) for d in exc.details] or [("id_sender_name", exc.message)]
            status = exc.status
        else:
            messages.success(request, _("已登记，收文号：%(number)s") % {"number": number})
            return redirect("documents:received_handling", received_id=received.pk)
    return render(
        request,
        "documents/received_register.html",
        {
            "received": received,
            "values": values,
            "errors": errors,
            "secrecy_choices": Secrecy.choices,
            "urgency_choices": Urgency.choices,
        },
        status=status,
    )


def _handling_context(request: HttpRequest, received: ReceivedDocument) -> dict[str, object]:
    open_tasks = workflow_selectors.open_tasks_of(received.subject)
    today = timezone.localdate()
    is_clerk = received.department_id in clerk_department_ids(request.user.pk)
    record = workflow_selectors.process_record(received.subject)
    sheet = selectors.handling_sheet(received)
    return {
        "received": received,
        "sheet": sheet,
        "open_tasks": open_tasks,
        "record": record,
        "my_tasks": [t for t in open_tasks if workflow_selectors.task_for(request.user.pk, t.id)],
        "nudgeable": [t for t in open_tasks if incoming.may_nudge(t, today=today)] if is_clerk else [],
        "circulated_to_me": any(c.circulation.reader_id == request.user.pk for c in sheet.circulations),
        "archival_code": archive_selectors.archival_code_of(received.subject),
        "can_archive": received.handling_status == "done"
        and archiving.may_archive(request.user.pk, received.department_id),
    }


@require_GET
@staff_only
def handling_page(request: HttpRequest, received_id: int) -> HttpResponse:
    """收文办理单: every registered field, 拟办意见, 领导批示 with its signature, 承办 results, 传阅
    receipts, 办结 and the linked 答复 (read-only); 催办 for the receiving clerks."""
    received = visible_received(request, received_id)
    if not received.registration_number:
        raise Http404
    return render(request, "documents/received_handling.html", _handling_context(request, received))


@require_GET
@staff_only
def signature(request: HttpRequest, received_id: int) -> HttpResponse:
    """The 批示 signature image (a PNG checked on the server when it was drawn)."""
    received = visible_received(request, received_id, event="received.signature")
    handling = selectors.handling_sheet(received).handling
    if handling is None or not handling.signature_image:
        raise Http404
    data = bytes(handling.signature_image)
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    response = HttpResponse(data, content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_only
def attachment(request: HttpRequest, received_id: int, attachment_id: int) -> HttpResponse:
    """One 承办 attachment, as a download."""
    received = visible_received(request, received_id, event="received.attachment")
    found = selectors.attachment_for(received, attachment_id)
    if found is None:
        raise Http404
    return attachment_download(*found)


@require_POST
@staff_only
def nudge(request: HttpRequest, received_id: int, task_id: uuid.UUID) -> HttpResponse:
    """催办 an open step (a receiving clerk; overdue or waited; once a step a day)."""
    received = visible_received(request, received_id, event="received.nudge")
    try:
        told = incoming.nudge_step(received_id=received.pk, user_id=request.user.pk, task_id=task_id)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        context = _handling_context(request, received) | {"errors": [("nudge", exc.message)]}
        return render(request, "documents/received_handling.html", context, status=exc.status)
    messages.success(request, _("已催办，已通知%(n)d人") % {"n": told})
    return redirect("documents:received_handling", received_id=received.pk)


@require_GET
@staff_only
def circulation(request: HttpRequest) -> HttpResponse:
    """待阅: the 收文 circulated to me, unread first; 已阅 below with the time I marked them."""
    unread, read = selectors.circulations_to(request.user.pk)
    return render(
        request, "documents/circulation.html", {"unread": unread, "read": read, "limit": selectors.LIST_LIMIT}
    )


@require_POST
@staff_only
def mark_read(request: HttpRequest, received_id: int) -> HttpResponse:
    """标为已阅: my read receipt (the first time stays)."""
    received = visible_received(request, received_id, event="received.read")
    try:
        incoming.mark_read(received_id=received.pk, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        raise
    messages.success(request, _("已阅：%(title)s") % {"title": received.title})
    return redirect("documents:circulation")


@require_POST
@staff_only
def archive(request: HttpRequest, received_id: int) -> HttpResponse:
    """归档 of a 收文 that is 办结 by its department's 文书人员 or 档案管理员: its PDF and its 办理单 as one
    件; a refusal comes back on the 办理单."""
    received = visible_received(request, received_id, event="received.archive")
    try:
        code = archiving.archive_received(received_id=received.pk, user_id=request.user.pk)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        context = _handling_context(request, received) | {"errors": [("main-heading", exc.message)]}
        return render(request, "documents/received_handling.html", context, status=exc.status)
    messages.success(request, _("已归档，档号：%(code)s") % {"code": code})
    return redirect("documents:received_handling", received_id=received.pk)
