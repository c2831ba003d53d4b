"""Staff record who came (已到场) and who did not (未到场), for their own departments only."""

import datetime as dt

import pytest
from conftest import make_staff

from tongban.appointments import services
from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.models import Appointment, AppointmentSlot

MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def booked(slots, zhang):
    return services.book(slot_id=slots[0].id, applicant_id=zhang.id)


def status(appointment_id: int) -> str:
    return Appointment.objects.get(pk=appointment_id).status


def test_clerk_records_attendance_on_the_day(booked, clerk, time_machine):
    time_machine.move_to(MONDAY_MORNING)
    services.mark_attended(appointment_id=booked.id, staff_id=clerk.id)
    services.mark_attended(appointment_id=booked.id, staff_id=clerk.id)  # again: nothing changes
    assert status(booked.id) == "attended"
    assert AppointmentSlot.objects.get(pk=booked.slot_id).booked_count == 1  # the place stays used
    with pytest.raises(AppointmentConflictError, match=r"^该预约已到场，不能再登记$"):
        services.mark_no_show(appointment_id=booked.id, staff_id=clerk.id)
    assert status(booked.id) == "attended"


def test_no_show_is_recorded(booked, clerk, time_machine):
    time_machine.move_to(MONDAY_MORNING)
    services.mark_no_show(appointment_id=booked.id, staff_id=clerk.id)
    assert status(booked.id) == "no_show"


def test_attendance_cannot_be_recorded_before_the_day(booked, clerk):
    with pytest.raises(AppointmentConflictError, match=r"^预约日期未到，不能登记到场情况$"):
        services.mark_attended(appointment_id=booked.id, staff_id=clerk.id)
    assert status(booked.id) == "booked"


def test_T_B3_clerk_of_another_department_cannot_record(booked, other_department, time_machine):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    time_machine.move_to(MONDAY_MORNING)
    with pytest.raises(AppointmentError, match=r"^没有找到该预约$"):
        services.mark_attended(appointment_id=booked.id, staff_id=outsider.id)
    assert status(booked.id) == "booked"
