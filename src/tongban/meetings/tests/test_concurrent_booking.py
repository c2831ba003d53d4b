"""Double booking under real concurrency (issue 16 "Must show", T-H6): ten people book the same room
for the same slot at once; exactly one gets it, the nine others a clear Chinese refusal
(PostgreSQL: the room row lock, with the exclusion constraint behind it)."""

import threading

import pytest
from conftest import make_staff
from django.db import connection

from tongban.meetings.errors import RoomTaken
from tongban.meetings.models import Meeting
from tongban.meetings.services import booking
from tongban.meetings.tests.helpers import at, plan, room


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_T_H6_ten_concurrent_bookings_of_one_slot_one_wins(department):
    hall = room(department)
    people = [make_staff(f"booker{n}", department, "clerk") for n in range(10)]
    start = threading.Barrier(len(people))
    outcomes: list[str] = []
    record = threading.Lock()

    def book(user_id: int) -> None:
        try:
            start.wait()
            try:
                booking.book_meeting(
                    user_id=user_id,
                    plan=plan(department, room_id=hall.pk, start=at(1, 14), end=at(1, 15, 30)),
                    idempotency_key=f"booker-{user_id}",
                )
                outcome = "booked"
            except RoomTaken as exc:
                outcome = exc.message
            except Exception as exc:  # anything else fails the test below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=book, args=(person.id,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["第一会议室在14:00至15:30已被预订，请选择其他时段或会议室"] * 9
    assert Meeting.objects.filter(room=hall).count() == 1
