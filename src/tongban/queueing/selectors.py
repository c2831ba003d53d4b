"""取号叫号 reads: what the hall's display shows, how many wait before a ticket, a window's state, the
items a kiosk offers, and the day's waiting and service times."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from tongban.appointments.selectors import china_now, handling_department_ids
from tongban.catalog.selectors import published_item_refs
from tongban.catalog.types import PublishedItemRef
from tongban.organizations.selectors import departments_by_ids, hall_windows, windows_serving
from tongban.organizations.types import WindowRef
from tongban.queueing.models import QueueTicket, TicketStatus
from tongban.queueing.types import CallShown, WaitingStat

DISPLAY_LINES = 8


def kiosk_items(hall_id: int) -> list[tuple[str, list[PublishedItemRef]]]:
    """The published items a ticket can be taken for at the hall (a window of their department is
    there), grouped by department name."""
    department_ids = {w.department_id for w in hall_windows(hall_id)}
    names = {d.id: d.name for d in departments_by_ids(department_ids).values()}
    groups: dict[str, list[PublishedItemRef]] = defaultdict(list)
    for item in published_item_refs():
        if item.department_id in department_ids:
            groups[names[item.department_id]].append(item)
    return sorted(groups.items())


def display_calls(hall_id: int) -> list[CallShown]:
    """The hall screen: the latest called numbers (a recall moves a number back to the top)."""
    tickets = (
        QueueTicket.objects.filter(
            hall_id=hall_id, date=china_now().date(), status__in=(TicketStatus.CALLED, TicketStatus.SERVING)
        )
        .select_related("window")
        .order_by("-called_at", "-pk")[:DISPLAY_LINES]
    )
    return [
        CallShown(t.number, t.window.number, t.window.name, t.called_at)
        for t in tickets
        if t.window and t.called_at
    ]


def waiting_before(ticket: QueueTicket) -> int:
    """How many tickets of the same department are called before this one (0 once called)."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return (
        QueueTicket.objects.filter(
            hall_id=ticket.hall_id,
            date=ticket.date,
            department_id=ticket.department_id,
            status=TicketStatus.WAITING,
        )
        .filter(
            Q(priority__lt=ticket.priority)
            | Q(priority=ticket.priority, taken_at__lt=ticket.taken_at)
            | Q(priority=ticket.priority, taken_at=ticket.taken_at, pk__lt=ticket.pk)
        )
        .count()
    )


def ticket_by_id(ticket_id: int) -> QueueTicket | None:
    return QueueTicket.objects.select_related("window").filter(pk=ticket_id).first()


def staff_windows(staff_id: int) -> list[WindowRef]:
    """The windows the staff member may call at (staffed for a department they handle)."""
    seen: dict[int, WindowRef] = {}
    for window in windows_serving(handling_department_ids(staff_id)):
        seen.setdefault(window.id, window)
    return list(seen.values())


def window_current(window_id: int) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(
            window_id=window_id, status__in=(TicketStatus.CALLED, TicketStatus.SERVING)
        )
        .order_by("-called_at")
        .first()
    )


def waiting_count(*, hall_id: int, department_ids: set[int], window_id: int) -> int:
    return (
        QueueTicket.objects.filter(
            hall_id=hall_id,
            date=china_now().date(),
            status=TicketStatus.WAITING,
            department_id__in=department_ids,
        )
        .filter(Q(assigned_window__isnull=True) | Q(assigned_window_id=window_id))
        .count()
    )


def waiting_stats(*, staff_id: int, hall_id: int, date: dt.date) -> list[WaitingStat]:
    """Per window and item, the tickets served on the day (of the staff member's departments): count,
    average minutes from 取号 to 叫号 and from 叫号 to 办结. Skipped tickets are not served."""
    tickets = (
        QueueTicket.objects.filter(
            hall_id=hall_id,
            date=date,
            status=TicketStatus.DONE,
            department_id__in=handling_department_ids(staff_id),
            called_at__isnull=False,
            finished_at__isnull=False,
        )
        .select_related("window")
        .order_by()
    )
    groups: dict[tuple[str, str], list[QueueTicket]] = defaultdict(list)
    for ticket in tickets:
        groups[(ticket.window.number if ticket.window else "", ticket.item_name)].append(ticket)
    stats = []
    for (window_number, item_name), served in sorted(groups.items()):
        # The query keeps only tickets with both times.
        waits = [(t.called_at - t.taken_at).total_seconds() / 60 for t in served if t.called_at]
        services = [
            (t.finished_at - t.called_at).total_seconds() / 60
            for t in served
            if t.finished_at and t.called_at
        ]
        stats.append(
            WaitingStat(
                window_number=window_number,
                item_name=item_name,
                served=len(served),
                average_wait_minutes=round(sum(waits) / len(waits), 1),
                average_service_minutes=round(sum(services) / len(services), 1),
            )
        )
    return stats


def has_tickets_today(hall_id: int) -> bool:
    return QueueTicket.objects.filter(hall_id=hall_id, date=china_now().date()).exists()
