"""Cancelling frees the place; rescheduling moves it atomically or not at all."""

import datetime as dt

import pytest

from tongban.appointments import selectors, services
from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.appointments.tests.conftest import MONDAY, TIMES, citizen, publish

TUESDAY = MONDAY + dt.timedelta(days=1)


def counts(*slot_refs) -> list[int]:
    return [AppointmentSlot.objects.get(pk=slot.id).booked_count for slot in slot_refs]


def statuses() -> list[tuple[int, str]]:
    return list(Appointment.objects.order_by("pk").values_list("slot_id", "status"))


def test_cancel_frees_the_place(slots, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    services.cancel(appointment_id=booked.id, applicant_id=zhang.id)
    stored = Appointment.objects.get()
    assert (stored.status, stored.cancelled_at) == (
        "cancelled",
        dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC),
    )
    assert counts(slots[0]) == [0]
    # The same day can be booked again once cancelled.
    again = services.book(slot_id=slots[1].id, applicant_id=zhang.id)
    assert statuses() == [(slots[0].id, "cancelled"), (slots[1].id, "booked")]
    assert again.start_time == dt.time(10, 0)


def test_cancelling_twice_changes_nothing(slots, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    services.cancel(appointment_id=booked.id, applicant_id=zhang.id)
    services.cancel(appointment_id=booked.id, applicant_id=zhang.id)
    assert counts(slots[0]) == [0]
    assert statuses() == [(slots[0].id, "cancelled")]


def test_T_B1_another_persons_appointment_is_not_found(slots, zhang, li):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    with pytest.raises(AppointmentError, match=r"^没有找到该预约$"):
        services.cancel(appointment_id=booked.id, applicant_id=li.id)
    with pytest.raises(AppointmentError, match=r"^没有找到该预约$"):
        services.reschedule(appointment_id=booked.id, applicant_id=li.id, new_slot_id=slots[1].id)
    assert selectors.get_appointment_for_applicant(li.id, booked.id) is None
    assert list(selectors.appointments_of(li.id)) == []
    assert statuses() == [(slots[0].id, "booked")]
    assert counts(*slots) == [1, 0, 0]


def test_started_appointment_cannot_be_cancelled(slots, zhang, time_machine):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    time_machine.move_to(dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC))  # 9:00 in Beijing
    with pytest.raises(AppointmentConflictError, match=r"^预约时段已开始，不能取消或改约$"):
        services.cancel(appointment_id=booked.id, applicant_id=zhang.id)
    assert statuses() == [(slots[0].id, "booked")]
    assert counts(slots[0]) == [1]


def test_reschedule_moves_the_booking(slots, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    moved = services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=slots[2].id)
    assert (moved.status, moved.date, moved.start_time) == ("booked", MONDAY, dt.time(14, 0))
    assert moved.code != booked.code
    assert statuses() == [(slots[0].id, "cancelled"), (slots[2].id, "booked")]
    assert counts(*slots) == [0, 0, 1]


def test_reschedule_to_another_day(slots, item, hall, clerk, zhang):
    tuesday = publish(item, hall, clerk, day=TUESDAY, times=TIMES[:1])
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    moved = services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=tuesday[0].id)
    assert moved.date == TUESDAY
    assert Appointment.objects.get(pk=moved.id).date == TUESDAY
    assert counts(slots[0], tuesday[0]) == [0, 1]


def test_reschedule_into_a_full_slot_keeps_the_old_booking(item, hall, clerk, zhang, li):
    [tuesday] = publish(item, hall, clerk, day=TUESDAY, times=[(dt.time(9, 0), dt.time(10, 0))])
    [monday] = publish(item, hall, clerk, times=TIMES[:1])
    for n in range(10):  # fill Tuesday's only slot (the whole quota of 10)
        services.book(slot_id=tuesday.id, applicant_id=citizen(f"citizen_{n}").id)
    booked = services.book(slot_id=monday.id, applicant_id=zhang.id)
    with pytest.raises(AppointmentConflictError, match=r"^该时段已约满，请选择其他时段$"):
        services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=tuesday.id)
    stored = Appointment.objects.get(pk=booked.id)
    assert (stored.status, stored.cancelled_at, stored.slot_id) == ("booked", None, monday.id)
    assert counts(monday, tuesday) == [1, 10]
    assert Appointment.objects.filter(applicant_id=zhang.id).count() == 1


def test_reschedule_to_a_slot_of_another_item_is_refused(slots, single_place, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    with pytest.raises(AppointmentError, match=r"^所选时段不属于该事项$"):
        services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=single_place.id)
    assert statuses() == [(slots[0].id, "booked")]
    assert counts(slots[0], single_place) == [1, 0]


def test_reschedule_to_the_same_slot_changes_nothing(slots, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    assert (
        services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=slots[0].id)
        == booked
    )
    assert statuses() == [(slots[0].id, "booked")]
    assert counts(slots[0]) == [1]


def test_cancelled_appointment_cannot_be_rescheduled(slots, zhang):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    services.cancel(appointment_id=booked.id, applicant_id=zhang.id)
    with pytest.raises(AppointmentConflictError, match=r"^该预约已取消，不能取消或改约$"):
        services.reschedule(appointment_id=booked.id, applicant_id=zhang.id, new_slot_id=slots[1].id)
    assert statuses() == [(slots[0].id, "cancelled")]
    assert counts(*slots) == [0, 0, 0]
