"""Booking a place (T-H6): capacity, one booking per person, item and day, past slots."""

import datetime as dt

import pytest

from tongban.appointments import selectors, services
from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.appointments.services import CODE_ALPHABET, booking
from tongban.appointments.tests.conftest import MONDAY, citizen


def booked_count(slot_id: int) -> int:
    return AppointmentSlot.objects.get(pk=slot_id).booked_count


def test_booking_takes_a_place_and_gives_a_code(slots, zhang):
    first = slots[0]
    booked = services.book(slot_id=first.id, applicant_id=zhang.id)
    assert (booked.status, booked.item_name, booked.date, booked.start_time, booked.end_time) == (
        "booked",
        "个体工商户营业执照核发",
        MONDAY,
        dt.time(9, 0),
        dt.time(10, 0),
    )
    assert len(booked.code) == 6
    assert set(booked.code) <= set(CODE_ALPHABET)
    assert booked_count(first.id) == 1
    stored = Appointment.objects.get()
    assert (stored.pk, stored.code, stored.applicant_id, stored.item_id, stored.date, stored.slot_id) == (
        booked.id,
        booked.code,
        zhang.id,
        first.item_id,
        MONDAY,
        first.id,
    )


def test_second_booking_of_the_last_place_is_refused(single_place, zhang, li):
    services.book(slot_id=single_place.id, applicant_id=zhang.id)
    with pytest.raises(AppointmentConflictError, match=r"^该时段已约满，请选择其他时段$") as refused:
        services.book(slot_id=single_place.id, applicant_id=li.id)
    assert refused.value.status == 409
    assert booked_count(single_place.id) == 1
    assert list(Appointment.objects.values_list("applicant_id", flat=True)) == [zhang.id]


def test_full_slot_disappears_from_the_available_slots(single_place, item, slots, zhang):
    services.book(slot_id=single_place.id, applicant_id=zhang.id)
    assert list(selectors.open_slots_for_item(single_place.item_id, from_date=MONDAY)) == []
    available = selectors.available_slots(item.implementation_code, from_date=MONDAY)
    assert [slot.pk for slot in available] == [slot.id for slot in slots]


def test_T_H6_same_citizen_cannot_book_the_same_item_twice_a_day(slots, zhang):
    services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    with pytest.raises(AppointmentError, match=r"^您当天已预约该事项$") as refused:
        services.book(slot_id=slots[2].id, applicant_id=zhang.id)
    assert refused.value.status == 409
    assert [booked_count(slot.id) for slot in slots] == [1, 0, 0]
    assert Appointment.objects.count() == 1


def test_T_H6_the_database_refuses_a_second_booking_that_skips_the_check(slots, zhang, monkeypatch):
    """Two bookings racing past the check: the partial unique constraint answers with the same 409."""
    services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    checks = iter([False, True])  # the check misses the first booking, then sees it after the conflict
    monkeypatch.setattr(booking, "_holds_booking", lambda *args: next(checks))
    with pytest.raises(AppointmentError, match=r"^您当天已预约该事项$") as refused:
        services.book(slot_id=slots[1].id, applicant_id=zhang.id)
    assert refused.value.status == 409
    assert [booked_count(slot.id) for slot in slots] == [1, 0, 0]
    assert Appointment.objects.count() == 1


def test_same_citizen_may_book_another_item_the_same_day(slots, single_place, zhang):
    services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    services.book(slot_id=single_place.id, applicant_id=zhang.id)
    assert Appointment.objects.filter(applicant_id=zhang.id, status="booked").count() == 2


def test_past_slot_is_refused(slots, zhang, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    with pytest.raises(AppointmentConflictError, match=r"^该时段已过，请选择其他时段$"):
        services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    assert booked_count(slots[0].id) == 0
    assert Appointment.objects.count() == 0
    # The 10:00 slot is still open at 9:00, and only it and the afternoon are offered.
    assert [s.pk for s in selectors.open_slots_for_item(slots[0].item_id, from_date=MONDAY)] == [
        slots[1].id,
        slots[2].id,
    ]


def test_unknown_slot_is_refused(db, zhang):
    with pytest.raises(AppointmentError, match=r"^没有找到该时段$"):
        services.book(slot_id=999999, applicant_id=zhang.id)


def test_codes_are_unique(slots):
    codes = {
        services.book(slot_id=slots[0].id, applicant_id=citizen(f"citizen_{n}").id).code for n in range(4)
    }
    assert len(codes) == 4
