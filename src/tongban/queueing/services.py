"""取号叫号 writes: take a ticket (walk-in or appointment), call the next one at a window, recall, skip
(过号), transfer to another window, finish. Server time only; every action on a ticket locks its row, so
two windows never call the same ticket (the second gets the next one, or nothing)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.appointments import services as appointment_services
from tongban.appointments.errors import AppointmentError
from tongban.appointments.selectors import china_now, handling_department_ids
from tongban.catalog.selectors import published_item_refs
from tongban.organizations.selectors import hall_windows, windows_serving
from tongban.queueing.errors import QueueConflict, QueueError, QueueNotFound
from tongban.queueing.models import (
    APPOINTMENT_PRIORITY,
    WALK_IN_PRIORITY,
    QueueTicket,
    TicketCounter,
    TicketSource,
    TicketStatus,
)
from tongban.queueing.types import TicketRef

WALK_IN_PREFIX = "A"
APPOINTMENT_PREFIX = "Y"


def ticket_ref(ticket: QueueTicket) -> TicketRef:
    return TicketRef(
        id=ticket.pk,
        number=ticket.number,
        hall_id=ticket.hall_id,
        item_name=ticket.item_name,
        status=ticket.status,
        window_number=ticket.window.number if ticket.window_id and ticket.window else "",
        taken_at=ticket.taken_at,
    )


def _next_number(hall_id: int, prefix: str) -> str:
    today = china_now().date()
    TicketCounter.objects.get_or_create(hall_id=hall_id, date=today, prefix=prefix)
    counter = TicketCounter.objects.select_for_update().get(hall_id=hall_id, date=today, prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def _served_here(hall_id: int, item_id: int) -> tuple[str, int]:
    """The item's name and department, if a window of the hall serves that department."""
    departments = {w.department_id for w in hall_windows(hall_id)}
    for item in published_item_refs():
        if item.item_id == item_id and item.department_id in departments:
            return item.name, item.department_id
    raise QueueError(_("本大厅不办理该事项，请咨询导办人员。"), code="not_served")


@transaction.atomic
def take_ticket(*, hall_id: int, item_id: int, source: str, applicant_id: int | None = None) -> TicketRef:
    """取号 for an item the hall serves (a window of its department is here). A logged-in applicant who
    already waits for the item today gets their ticket back, not a second one."""
    if source not in (TicketSource.KIOSK, TicketSource.PHONE):
        raise QueueError(_("取号方式不正确。"), code="bad_source")
    item_name, department_id = _served_here(hall_id, item_id)
    today = china_now().date()
    if applicant_id is not None:
        waiting = QueueTicket.objects.filter(
            applicant_id=applicant_id, item_id=item_id, date=today, status=TicketStatus.WAITING
        ).first()
        if waiting:
            return ticket_ref(waiting)
    try:
        with transaction.atomic():
            ticket = QueueTicket.objects.create(
                hall_id=hall_id, date=today, number=_next_number(hall_id, WALK_IN_PREFIX), item_id=item_id,
                item_name=item_name, department_id=department_id, source=source, priority=WALK_IN_PRIORITY,
                applicant_id=applicant_id, taken_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:  # the same applicant's second tap, at the same moment
        ticket = QueueTicket.objects.get(
            applicant_id=applicant_id, item_id=item_id, date=today, status=TicketStatus.WAITING
        )
    return ticket_ref(ticket)


@transaction.atomic
def take_ticket_with_appointment(*, hall_id: int, code: str) -> TicketRef:
    """取号 by showing the 预约码: the appointment is checked in (已到场) and its ticket is called before
    walk-ins. A code checked in already gives its ticket back."""
    try:
        appointment, department_id = appointment_services.check_in(code=code, hall_id=hall_id)
    except AppointmentError as error:
        raise QueueError(error.message, code="bad_code") from error
    ticket = QueueTicket.objects.filter(appointment_id=appointment.id).first()
    if ticket is None:
        ticket = QueueTicket.objects.create(
            hall_id=hall_id, date=appointment.date, number=_next_number(hall_id, APPOINTMENT_PREFIX),
            item_id=appointment.item_id, item_name=appointment.item_name, department_id=department_id,
            source=TicketSource.APPOINTMENT, priority=APPOINTMENT_PRIORITY, appointment_id=appointment.id,
            taken_at=timezone.now(),
        )  # fmt: skip
    return ticket_ref(ticket)


def _window_for(staff_id: int, window_id: int) -> tuple[int, set[int]]:
    """The window's hall and the departments the staff member calls for there (those the window serves
    and the staff member handles); a window not theirs is "not found"."""
    refs = [w for w in windows_serving(handling_department_ids(staff_id)) if w.id == window_id]
    if not refs:
        raise QueueNotFound(_("没有找到该窗口。"), code="not_found")
    return refs[0].hall_id, {w.department_id for w in refs}


def _finish_current(window_id: int, now: dt.datetime) -> None:
    QueueTicket.objects.filter(
        window_id=window_id, status__in=(TicketStatus.CALLED, TicketStatus.SERVING)
    ).update(status=TicketStatus.DONE, finished_at=now)


@transaction.atomic
def call_next(*, window_id: int, staff_id: int) -> TicketRef | None:
    """叫号: the window's current ticket is finished and the next one called — tickets transferred to
    this window first, then appointments, then walk-ins, each by the time taken. None when nobody waits.

    The candidate row is locked with SKIP LOCKED (PostgreSQL), so two windows calling at once get two
    different tickets."""
    hall_id, department_ids = _window_for(staff_id, window_id)
    now = timezone.now()
    _finish_current(window_id, now)
    ticket = (
        QueueTicket.objects.select_for_update(skip_locked=True)
        .filter(
            hall_id=hall_id,
            date=china_now().date(),
            status=TicketStatus.WAITING,
            department_id__in=department_ids,
        )
        .filter(Q(assigned_window__isnull=True) | Q(assigned_window_id=window_id))
        .annotate(
            mine=Case(
                When(assigned_window_id=window_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("mine", "priority", "taken_at", "pk")
        .first()
    )
    if ticket is None:
        return None
    ticket.status, ticket.window_id, ticket.called_by_id = TicketStatus.CALLED, window_id, staff_id
    ticket.called_at, ticket.call_count = now, 1
    ticket.save(update_fields=["status", "window", "called_by", "called_at", "call_count"])
    return ticket_ref(ticket)


def _locked_ticket(staff_id: int, ticket_id: int) -> QueueTicket:
    ticket = QueueTicket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.department_id not in handling_department_ids(staff_id):
        raise QueueNotFound(_("没有找到该排队号。"), code="not_found")
    return ticket


def _must_be_at_window(ticket: QueueTicket) -> None:
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING):
        raise QueueConflict(
            _("排队号%(number)s%(status)s，不能再操作。")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="not_called",
        )


@transaction.atomic
def recall(*, ticket_id: int, staff_id: int) -> TicketRef:
    """重呼: the called number is shown (and counted) again on the hall's display."""
    ticket = _locked_ticket(staff_id, ticket_id)
    if ticket.status != TicketStatus.CALLED:
        _must_be_at_window(ticket)
        raise QueueConflict(_("已开始办理，无需重呼。"), code="serving")
    ticket.call_count += 1
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["call_count", "called_at"])
    return ticket_ref(ticket)


@transaction.atomic
def start_serving(*, ticket_id: int, staff_id: int) -> TicketRef:
    """The applicant came to the window: 办理中."""
    ticket = _locked_ticket(staff_id, ticket_id)
    _must_be_at_window(ticket)
    ticket.status = TicketStatus.SERVING
    ticket.save(update_fields=["status"])
    return ticket_ref(ticket)


@transaction.atomic
def skip(*, ticket_id: int, staff_id: int) -> TicketRef:
    """过号: the called applicant did not come; the window may call the next."""
    ticket = _locked_ticket(staff_id, ticket_id)
    if ticket.status != TicketStatus.CALLED:
        _must_be_at_window(ticket)
        raise QueueConflict(_("已开始办理，不能过号。"), code="serving")
    ticket.status, ticket.finished_at = TicketStatus.SKIPPED, timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket_ref(ticket)


@transaction.atomic
def finish(*, ticket_id: int, staff_id: int) -> TicketRef:
    """办结: the window is done with the applicant."""
    ticket = _locked_ticket(staff_id, ticket_id)
    _must_be_at_window(ticket)
    ticket.status, ticket.finished_at = TicketStatus.DONE, timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket_ref(ticket)


@transaction.atomic
def transfer(*, ticket_id: int, staff_id: int, to_window_id: int) -> TicketRef:
    """转窗口: the applicant is sent to another window of the hall that serves the item's department;
    the ticket waits again and that window calls it before its other tickets (the waiting time keeps
    counting from the first 取号)."""
    ticket = _locked_ticket(staff_id, ticket_id)
    _must_be_at_window(ticket)
    targets = [
        w
        for w in hall_windows(ticket.hall_id)
        if w.id == to_window_id and w.department_id == ticket.department_id
    ]
    if not targets or to_window_id == ticket.window_id:
        raise QueueError(_("请选择本大厅办理该事项的其他窗口。"), code="bad_window")
    ticket.status, ticket.assigned_window_id, ticket.window_id = TicketStatus.WAITING, to_window_id, None
    ticket.called_at, ticket.call_count = None, 0
    ticket.save(update_fields=["status", "assigned_window", "window", "called_at", "call_count"])
    return ticket_ref(ticket)
