"""取号叫号 pages: the hall's kiosk and its ticket page, the hall's display screen (public), and the
window's calling panel and the day's waiting times (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.limits import Limit, hit
from tongban.appointments.selectors import china_now
from tongban.core.errors import TongbanError
from tongban.core.views import client_ip
from tongban.organizations.selectors import hall_ref, hall_windows
from tongban.organizations.types import HallRef, WindowRef
from tongban.queueing import selectors, services
from tongban.queueing.errors import QueueError, QueueNotFound
from tongban.queueing.models import QueueTicket, TicketSource
from tongban.queueing.types import TicketRef

# A kiosk serves many people from one address: generous, but a script cannot exhaust the numbers.
TICKETS_PER_ADDRESS = Limit("queue-ticket-address", 120, 10 * 60)
TICKET_SALT = "queueing.ticket"


def _hall(hall_id: int) -> HallRef:
    try:
        return hall_ref(hall_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error


def _ticket_redirect(ticket: TicketRef) -> HttpResponse:
    # The ticket page's address is signed: a number cannot be guessed to watch someone else's place.
    return redirect("queueing:ticket", token=signing.dumps(ticket.id, salt=TICKET_SALT))


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    """取号: choose the item, or enter the 预约码. On a phone, a logged-in applicant's ticket is theirs."""
    hall = _hall(hall_id)
    error = ""
    status = 200
    if request.method == "POST":
        if not hit(TICKETS_PER_ADDRESS, client_ip(request)):
            error, status = _("取号过于频繁，请稍后再试。"), 429
        else:
            try:
                ticket = _take(request, hall.id)
            except TongbanError as refused:
                error, status = refused.message, refused.status
            else:
                return _ticket_redirect(ticket)
    return render(
        request,
        "queueing/kiosk.html",
        {
            "hall": hall,
            "groups": selectors.kiosk_items(hall.id),
            "error": error,
            "code": request.POST.get("code", ""),
        },
        status=status,
    )


def _take(request: HttpRequest, hall_id: int) -> TicketRef:
    code = request.POST.get("code", "").strip()
    if code:
        return services.take_ticket_with_appointment(hall_id=hall_id, code=code[:12])
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        raise QueueError(_("请选择要办理的事项，或输入预约码。"), code="no_item") from None
    user = request.user
    applicant_id = user.pk if user.is_authenticated and user.kind != "staff" else None
    source = TicketSource.PHONE if applicant_id else TicketSource.KIOSK
    return services.take_ticket(hall_id=hall_id, item_id=item_id, source=source, applicant_id=applicant_id)


@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket_id = signing.loads(token, salt=TICKET_SALT, max_age=24 * 3600)
    except signing.BadSignature as error:
        raise Http404 from error
    found = selectors.ticket_by_id(ticket_id)
    if found is None:
        raise Http404
    context = {"ticket": found, "ahead": selectors.waiting_before(found), "hall": _hall(found.hall_id)}
    template = "queueing/_ticket_status.html" if request.htmx else "queueing/ticket.html"
    return render(request, template, context)


@require_GET
def display(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The hall's screen: refreshed every few seconds by htmx (the list only); the newest call is
    announced to screen readers and shown large."""
    hall = _hall(hall_id)
    context = {"hall": hall, "calls": selectors.display_calls(hall.id)}
    if request.htmx:
        return render(request, "queueing/_display_calls.html", context)
    return render(request, "queueing/display.html", context)


@require_GET
@staff_only
def windows(request: HttpRequest) -> HttpResponse:
    mine = selectors.staff_windows(request.user.pk)
    if len(mine) == 1:
        return redirect("queueing:window", window_id=mine[0].id)
    return render(request, "queueing/windows.html", {"windows": mine})


def _my_window(request: HttpRequest, window_id: int) -> WindowRef:
    for window in selectors.staff_windows(request.user.pk):
        if window.id == window_id:
            return window
    raise Http404


@require_GET
@staff_only
def window(request: HttpRequest, window_id: int) -> HttpResponse:
    """叫号: the window's current number with 重呼 / 开始办理 / 过号 / 转窗口 / 办结, and how many wait."""
    here = _my_window(request, window_id)
    departments = {w.department_id for w in selectors.staff_windows(request.user.pk) if w.id == window_id}
    current = selectors.window_current(window_id)
    others = [w for w in _hall_windows_for(current) if w.id != window_id] if current else []
    return render(
        request,
        "queueing/window.html",
        {
            "window": here,
            "current": current,
            "waiting": selectors.waiting_count(
                hall_id=here.hall_id, department_ids=departments, window_id=window_id
            ),
            "transfer_windows": others,
        },
    )


def _hall_windows_for(current: QueueTicket) -> list[WindowRef]:
    return [w for w in hall_windows(current.hall_id) if w.department_id == current.department_id]


ACTIONS = {
    "recall": services.recall,
    "serve": services.start_serving,
    "skip": services.skip,
    "finish": services.finish,
}


@require_POST
@staff_only
def act(request: HttpRequest, window_id: int) -> HttpResponse:
    """One button of the window panel. A refused action is shown as a message on the panel."""
    _my_window(request, window_id)
    action = request.POST.get("action", "")
    try:
        if action == "next":
            called = services.call_next(window_id=window_id, staff_id=request.user.pk)
            if called is None:
                messages.info(request, _("暂无等候的群众。"))
            else:
                messages.success(
                    request,
                    _("请%(number)s号到%(window)s号窗口")
                    % {"number": called.number, "window": called.window_number},
                )
        else:
            ticket_id = int(request.POST.get("ticket", "0"))
            if action == "transfer":
                services.transfer(
                    ticket_id=ticket_id,
                    staff_id=request.user.pk,
                    to_window_id=int(request.POST.get("to_window", "0")),
                )
            elif action in ACTIONS:
                ACTIONS[action](ticket_id=ticket_id, staff_id=request.user.pk)
            else:
                raise Http404
    except QueueNotFound as error:
        raise Http404 from error
    except (TongbanError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("操作无效。")))
    return redirect("queueing:window", window_id=window_id)


@require_GET
@staff_only
def stats(request: HttpRequest, window_id: int) -> HttpResponse:
    """The day's served tickets at the window's hall: average waiting and service times per window and item."""
    here = _my_window(request, window_id)
    today = china_now().date()
    return render(
        request,
        "queueing/stats.html",
        {
            "window": here,
            "day": today,
            "stats": selectors.waiting_stats(staff_id=request.user.pk, hall_id=here.hall_id, date=today),
        },
    )
