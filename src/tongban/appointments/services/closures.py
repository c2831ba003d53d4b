"""停止预约: hall staff close a day for their department's items at a hall (or for one item); the
bookings it meets are cancelled with the reason and their applicants are told. Reopening a day
publishes its slots again; the cancelled bookings stay cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.events import appointment_cancelled_by_hall
from tongban.appointments.models import (
    Appointment,
    AppointmentClosure,
    AppointmentRule,
    AppointmentSlot,
    AppointmentStatus,
)
from tongban.appointments.selectors import appointable_items, china_now, handling_department_ids
from tongban.appointments.services.publishing import publish_items
from tongban.appointments.types import PublishReport
from tongban.organizations.selectors import hall_ref

REASON_LENGTH = 200


@dataclass(frozen=True)
class ClosedDay:
    closure_id: int
    cancelled: int  # bookings cancelled


def _items_at(department_id: int, hall_id: int) -> set[int]:
    items = appointable_items(department_ids={department_id})
    return {item.item_id for item in items.values() if item.hall_id == hall_id}


def _closure_for(
    staff_id: int, item_id: int | None, department_id: int | None, hall_id: int | None
) -> AppointmentClosure:
    departments = handling_department_ids(staff_id)
    if item_id is not None:
        item = appointable_items(department_ids=departments, item_ids={item_id}).get(item_id)
        if item is None or item.hall_id is None:
            raise AppointmentError(_("没有找到该事项"), code="not_found")
        return AppointmentClosure(
            department_id=item.department_id, hall_id=item.hall_id, item_id=item.item_id, item_name=item.name
        )
    if department_id not in departments or hall_id is None or not _items_at(department_id, hall_id):
        raise AppointmentError(_("没有找到该大厅的可预约事项"), code="not_found")
    return AppointmentClosure(department_id=department_id, hall_id=hall_id)


def _cancel(appointments: list[Appointment], reason: str) -> None:
    now = timezone.now()
    for appointment in appointments:
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.cancel_reason = reason
    Appointment.objects.bulk_update(appointments, ["status", "cancelled_at", "cancel_reason", "updated_at"])


def _announce(appointments: list[Appointment], slots: dict[int, AppointmentSlot], reason: str) -> None:
    halls = {slot.hall_id: hall_ref(slot.hall_id).name for slot in slots.values()}
    for appointment in appointments:
        slot = slots[appointment.slot_id]
        details: dict[str, object] = {
            "appointment_id": appointment.pk,
            "applicant_id": appointment.applicant_id,
            "code": appointment.code,
            "item_name": slot.item_name,
            "hall_name": halls[slot.hall_id],
            "date": slot.date,
            "start_time": slot.start_time,
            "end_time": slot.end_time,
            "reason": reason,
        }
        transaction.on_commit(partial(appointment_cancelled_by_hall.send, sender=Appointment, **details))


@transaction.atomic
def close_day(
    *,
    staff_id: int,
    date: dt.date,
    reason: str,
    item_id: int | None = None,
    department_id: int | None = None,
    hall_id: int | None = None,
) -> ClosedDay:
    """Close ``date`` to appointments for one item (``item_id``), or for all of ``department_id``'s
    items at ``hall_id``: no slot is published on it, its booked places that have not started are
    cancelled with ``reason`` (applicants told after commit), and its slots take no new bookings.

    Rules: only a clerk or department admin of the department (others: "not found", T-B3); a reason
    of at most 200 characters; today or later; not closed already.

    Locks: the department's rules (as the publishing job does), then the day's booked appointments,
    then its slots (the order cancelling and rescheduling use), then any booking that committed
    meanwhile. Raises AppointmentError, AppointmentConflictError when the day is closed already.
    """
    reason = reason.strip()
    if not reason:
        raise AppointmentError(_("请填写停止预约的原因"), code="reason_required")
    if len(reason) > REASON_LENGTH:
        raise AppointmentError(_("原因须不超过200个字"), code="reason_too_long")
    if date < china_now().date():
        raise AppointmentError(_("只能停止今天及以后的预约"), code="past")
    closure = _closure_for(staff_id, item_id, department_id, hall_id)
    closure.date, closure.reason, closure.created_by_id = date, reason, staff_id
    # The publishing job's lock: it cannot publish the day between our check and our commit.
    list(
        AppointmentRule.objects.select_for_update().filter(department_id=closure.department_id).order_by("pk")
    )
    already = AppointmentClosure.objects.filter(
        department_id=closure.department_id, hall_id=closure.hall_id, date=date
    )
    if already.filter(Q(item__isnull=True) | Q(item_id=closure.item_id)).exists():
        raise AppointmentConflictError(_("该日已停止预约"), code="closed_already")
    try:
        with transaction.atomic():
            closure.save()
    except IntegrityError as exc:  # the same closure committed by someone else meanwhile
        raise AppointmentConflictError(_("该日已停止预约"), code="closed_already") from exc

    day_slots = AppointmentSlot.objects.filter(
        department_id=closure.department_id, hall_id=closure.hall_id, date=date
    )
    if closure.item_id is not None:
        day_slots = day_slots.filter(item_id=closure.item_id)
    slot_ids = list(day_slots.values_list("pk", flat=True))
    booked = Appointment.objects.select_for_update().filter(
        slot_id__in=slot_ids, status=AppointmentStatus.BOOKED
    )
    list(booked.order_by("pk"))  # appointments first, then slots: the order cancel and reschedule use
    slots = {
        slot.pk: slot
        for slot in AppointmentSlot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk")
    }
    now = timezone.now()
    # Read again under the slot locks: a booking that committed meanwhile is cancelled too.
    to_cancel = [a for a in booked.order_by("pk") if slots[a.slot_id].starts_at > now]
    _cancel(to_cancel, reason)
    for slot in slots.values():
        if slot.starts_at > now:
            slot.booked_count -= sum(1 for a in to_cancel if a.slot_id == slot.pk)
            slot.capacity = slot.booked_count
    AppointmentSlot.objects.bulk_update(list(slots.values()), ["booked_count", "capacity"])
    ever_booked = set(Appointment.objects.filter(slot_id__in=slot_ids).values_list("slot_id", flat=True))
    AppointmentSlot.objects.filter(pk__in=set(slot_ids) - ever_booked).delete()
    closure.cancelled_count = len(to_cancel)
    closure.save(update_fields=["cancelled_count"])
    _announce(to_cancel, slots, reason)
    return ClosedDay(closure.pk, len(to_cancel))


@transaction.atomic
def reopen_day(*, staff_id: int, closure_id: int) -> PublishReport:
    """Take back a closure of a day after today and publish that day's slots again from the rules.
    The bookings the closure cancelled stay cancelled (their applicants were told).

    Raises AppointmentError "没有找到该停止预约日" (another department's, T-B3), and
    AppointmentConflictError for today or a past day.
    """
    closure = (
        AppointmentClosure.objects.select_for_update()
        .filter(pk=closure_id, department_id__in=handling_department_ids(staff_id))
        .first()
    )
    if closure is None:
        raise AppointmentError(_("没有找到该停止预约日"), code="not_found")
    if closure.date <= china_now().date():
        raise AppointmentConflictError(_("今天及以前的停止预约不能撤销"), code="past")
    item_ids = (
        {closure.item_id}
        if closure.item_id is not None
        else _items_at(closure.department_id, closure.hall_id)
    )
    closure.delete()
    return publish_items(item_ids)
