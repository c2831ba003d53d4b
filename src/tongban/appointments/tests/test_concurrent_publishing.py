"""Publishing and closing under real concurrency (PostgreSQL row locks): runs at the same time create
each slot once, and a day closed while people book it ends with no booking and no place on it."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tongban.appointments import services
from tongban.appointments.errors import AppointmentError
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.appointments.tests.conftest import MONDAY, citizen, item_rule, schedule
from tongban.appointments.types import PublishReport

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Start every job at once, each in its own thread and connection; their results (or errors)."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            start.wait()
            try:
                results[index] = job()
            except AppointmentError as exc:
                results[index] = exc.code
            except Exception as exc:  # anything else fails the test below, with its name
                results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_four_runs_of_the_job_at_once_create_each_slot_once(item, clerk):
    services.import_rule(schedule=schedule(), item_id=item.item_id)
    results = run_together([services.publish_ahead] * 4)
    assert sorted(r.created for r in results) == [0, 0, 0, 40]
    assert results.count(PublishReport()) == 3
    assert AppointmentSlot.objects.count() == 40


def test_a_day_closed_while_people_book_it_keeps_no_booking(item, clerk):
    item_rule(item, clerk)
    monday = list(AppointmentSlot.objects.filter(date=MONDAY).values_list("pk", flat=True))
    applicants = [citizen(f"citizen_{n:02d}").id for n in range(12)]

    def booking(n: int) -> Callable[[], object]:
        return lambda: services.book(slot_id=monday[n % len(monday)], applicant_id=applicants[n]).code

    def closing() -> object:
        return services.close_day(
            staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="检修"
        ).cancelled

    results = run_together([booking(n) for n in range(12)] + [closing])
    *bookings, cancelled = results
    assert all(
        isinstance(r, str) and (len(r) == 6 or r in {"slot_full", "slot_not_found"}) for r in bookings
    ), results
    made = [r for r in bookings if len(r) == 6]
    assert cancelled == len(made)
    assert Appointment.objects.filter(date=MONDAY, status="booked").count() == 0
    assert set(AppointmentSlot.objects.filter(date=MONDAY).values_list("capacity", "booked_count")) <= {
        (0, 0)
    }
