"""T-H6 under real concurrency: the slot row lock keeps bookings within capacity (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from tongban.appointments import services
from tongban.appointments.errors import AppointmentConflictError
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.appointments.tests.conftest import TIMES, citizen, publish


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_T_H6_concurrent_bookings_never_exceed_capacity(department, hall, clerk, publish_item):
    item = publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=5)
    [slot] = publish(item, hall, clerk, times=TIMES[:1])
    assert slot.capacity == 5
    applicant_ids = [citizen(f"citizen_{n:02d}").id for n in range(20)]
    start = threading.Barrier(len(applicant_ids))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(applicant_id: int) -> None:
        try:
            start.wait()
            try:
                services.book(slot_id=slot.id, applicant_id=applicant_id)
                outcome = "booked"
            except AppointmentConflictError as exc:
                outcome = exc.code
            except Exception as exc:  # anything else fails the test below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=attempt, args=(applicant_id,)) for applicant_id in applicant_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] * 5 + ["slot_full"] * 15
    assert AppointmentSlot.objects.get(pk=slot.id).booked_count == 5
    assert Appointment.objects.filter(slot_id=slot.id, status="booked").count() == 5
