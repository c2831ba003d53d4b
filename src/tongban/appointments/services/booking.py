"""Booking: book, reschedule, cancel, record attendance.

Capacity (T-H6): a booking locks its slot row (``select_for_update``), refuses a full slot and takes
the place with an F() increment of ``booked_count``, which the slot's check constraint stops at
``capacity`` whatever the caller. One booked appointment per applicant, item and day is a partial
unique constraint; its IntegrityError becomes the applicant's message. Locks are taken appointment
first, then slots in id order, so two writers never wait on each other in a circle.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.models import Appointment, AppointmentSlot, AppointmentStatus
from tongban.appointments.selectors import china_now, handling_department_ids
from tongban.appointments.types import AppointmentRef

# No 0/O or 1/I: the code is read aloud and typed at the counter.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def _appointment_ref(appointment: Appointment, slot: AppointmentSlot) -> AppointmentRef:
    return AppointmentRef(
        id=appointment.pk,
        code=appointment.code,
        status=appointment.status,
        slot_id=slot.pk,
        item_id=slot.item_id,
        item_name=slot.item_name,
        hall_id=slot.hall_id,
        date=slot.date,
        start_time=slot.start_time,
        end_time=slot.end_time,
    )


def _locked_slots(slot_ids: list[int]) -> dict[int, AppointmentSlot]:
    # In id order, whatever the caller's order (no lock cycles).
    return {
        slot.pk: slot
        for slot in AppointmentSlot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk")
    }


def _own_appointment(appointment_id: int, applicant_id: int) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update().filter(pk=appointment_id, applicant_id=applicant_id).first()
    )
    if appointment is None:
        # Someone else's appointment is indistinguishable from a missing one (T-B1).
        raise AppointmentError(_("没有找到该预约"), code="not_found")
    return appointment


def _holds_booking(applicant_id: int, item_id: int, date: dt.date) -> bool:
    return Appointment.objects.filter(
        applicant_id=applicant_id, item_id=item_id, date=date, status=AppointmentStatus.BOOKED
    ).exists()


def _already_booked() -> AppointmentConflictError:
    return AppointmentConflictError(_("您当天已预约该事项"), code="already_booked")


def _slot_full() -> AppointmentConflictError:
    return AppointmentConflictError(_("该时段已约满，请选择其他时段"), code="slot_full")


def _unused_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))
        if not Appointment.objects.filter(code=code).exists():
            return code


def _take_place(slot: AppointmentSlot, applicant_id: int) -> Appointment:
    """Book ``slot`` (locked by the caller) for the applicant, inside the caller's transaction."""
    if slot.starts_at <= timezone.now():
        raise AppointmentConflictError(_("该时段已过，请选择其他时段"), code="slot_past")
    if slot.booked_count >= slot.capacity:
        raise _slot_full()
    if _holds_booking(applicant_id, slot.item_id, slot.date):
        raise _already_booked()
    try:
        with transaction.atomic():
            AppointmentSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + 1)
    except IntegrityError as exc:
        # The capacity check constraint: the last guard should the row lock not hold (SQLite).
        raise _slot_full() from exc
    code = _unused_code()
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                code=code, slot=slot, applicant_id=applicant_id, item_id=slot.item_id, date=slot.date
            )
    except IntegrityError as exc:
        # A booking of the same person for another slot of that day committed after our check.
        if _holds_booking(applicant_id, slot.item_id, slot.date):
            raise _already_booked() from exc
        raise


@transaction.atomic
def book(*, slot_id: int, applicant_id: int) -> AppointmentRef:
    """Book a place in a slot; the answer carries the 预约码 to show at the hall.

    Rules (T-H6): the slot row is locked for the transaction and ``booked_count`` never passes
    ``capacity`` (check constraint); the slot has not started; the applicant holds no other booked
    appointment for the item that day (partial unique constraint).

    Raises AppointmentError "没有找到该时段"; AppointmentConflictError (409) "该时段已过，请选择其他时段",
    "该时段已约满，请选择其他时段" or "您当天已预约该事项".
    """
    slot = _locked_slots([slot_id]).get(slot_id)
    if slot is None:
        raise AppointmentError(_("没有找到该时段"), code="slot_not_found")
    return _appointment_ref(_take_place(slot, applicant_id), slot)


def _release(appointment: Appointment, slot: AppointmentSlot) -> None:
    """Cancel a booked appointment and give its place back (both rows locked by the caller)."""
    if slot.starts_at <= timezone.now():
        raise AppointmentConflictError(_("预约时段已开始，不能取消或改约"), code="slot_started")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    AppointmentSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") - 1)


def _must_be_booked(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise AppointmentConflictError(
            _("该预约%(status)s，不能取消或改约") % {"status": appointment.get_status_display()},
            code="not_booked",
        )


@transaction.atomic
def cancel(*, appointment_id: int, applicant_id: int) -> None:
    """The applicant cancels their appointment and the place is free again.

    Rules: only one's own appointment (another person's is "没有找到该预约", T-B1); cancelling a
    cancelled appointment does nothing; an appointment whose slot has started, or that staff have
    recorded as attended or missed, cannot be cancelled (AppointmentConflictError).
    """
    appointment = _own_appointment(appointment_id, applicant_id)
    if appointment.status == AppointmentStatus.CANCELLED:
        return
    _must_be_booked(appointment)
    _release(appointment, _locked_slots([appointment.slot_id])[appointment.slot_id])


@transaction.atomic
def reschedule(*, appointment_id: int, applicant_id: int, new_slot_id: int) -> AppointmentRef:
    """Move a booked appointment to another slot of the same item: cancel and book in one transaction,
    so when the new slot is refused (full, past, another booking that day) the old booking stays.

    The new booking gets a new 预约码; the old appointment stays, cancelled. Choosing the current slot
    changes nothing. Rules and errors: those of ``cancel`` and ``book``, plus AppointmentError
    "所选时段不属于该事项" for a slot of another item.
    """
    appointment = _own_appointment(appointment_id, applicant_id)
    _must_be_booked(appointment)
    slots = _locked_slots([appointment.slot_id, new_slot_id])
    old_slot = slots[appointment.slot_id]
    if new_slot_id == appointment.slot_id:
        return _appointment_ref(appointment, old_slot)
    new_slot = slots.get(new_slot_id)
    if new_slot is None:
        raise AppointmentError(_("没有找到该时段"), code="slot_not_found")
    if new_slot.item_id != appointment.item_id:
        raise AppointmentError(_("所选时段不属于该事项"), code="other_item")
    _release(appointment, old_slot)
    return _appointment_ref(_take_place(new_slot, applicant_id), new_slot)


def _record_attendance(*, appointment_id: int, staff_id: int, status: str) -> None:
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk=appointment_id, slot__department_id__in=handling_department_ids(staff_id))
        .first()
    )
    if appointment is None:
        raise AppointmentError(_("没有找到该预约"), code="not_found")
    if appointment.status == status:
        return
    if appointment.status != AppointmentStatus.BOOKED:
        raise AppointmentConflictError(
            _("该预约%(status)s，不能再登记") % {"status": appointment.get_status_display()},
            code="not_booked",
        )
    if appointment.date > china_now().date():
        raise AppointmentConflictError(_("预约日期未到，不能登记到场情况"), code="not_yet")
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def mark_attended(*, appointment_id: int, staff_id: int) -> None:
    """Staff record that the applicant came (已到场).

    Rules: only a clerk or department admin of the item's department (others: "没有找到该预约", T-B3);
    only a booked appointment, from its date on; recording it again does nothing. The place stays taken.
    """
    _record_attendance(appointment_id=appointment_id, staff_id=staff_id, status=AppointmentStatus.ATTENDED)


@transaction.atomic
def mark_no_show(*, appointment_id: int, staff_id: int) -> None:
    """Staff record that the applicant did not come (未到场). Rules as ``mark_attended``."""
    _record_attendance(appointment_id=appointment_id, staff_id=staff_id, status=AppointmentStatus.NO_SHOW)


@transaction.atomic
def check_in(*, code: str, hall_id: int) -> tuple[AppointmentRef, int]:
    """The applicant shows their 预约码 at the hall (取号 with an appointment): the appointment becomes
    已到场 and its ref and department are returned, so the queue can give it priority.

    Rules: only an appointment for this hall and today, booked or already checked in (checking in
    twice changes nothing); a cancelled one, or a code for another day or hall, is refused
    (AppointmentError, one message: a kiosk tells nothing about other people's bookings)."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot")
        .filter(code=code.strip().upper(), slot__hall_id=hall_id, date=china_now().date())
        .first()
    )
    if appointment is None or appointment.status not in (
        AppointmentStatus.BOOKED,
        AppointmentStatus.ATTENDED,
    ):
        raise AppointmentError(_("预约码无效，或不是今天在本大厅的预约。"), code="not_found")
    if appointment.status == AppointmentStatus.BOOKED:
        appointment.status = AppointmentStatus.ATTENDED
        appointment.save(update_fields=["status", "updated_at"])
    return _appointment_ref(appointment, appointment.slot), appointment.slot.department_id
