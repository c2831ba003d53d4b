"""取号叫号: numbers, ordering (appointments first, transfers first at their window), calling, recall,
过号, 转窗口, 办结, and the day's waiting times."""

import datetime as dt

import pytest
import time_machine

from tongban.appointments import services as appointment_services
from tongban.appointments.models import Appointment
from tongban.core.calendar import CHINA_TZ
from tongban.queueing import selectors, services
from tongban.queueing.errors import QueueConflict, QueueError, QueueNotFound
from tongban.queueing.models import QueueTicket


@pytest.fixture
def booked(item, hall, clerk, zhang):
    """张三's appointment for the item today at 09:00, published and booked on the Friday before."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ), tick=False):
        slots = appointment_services.publish_slots(
            implementation_code=item.implementation_code,
            hall_id=hall.pk,
            date=dt.date(2026, 11, 23),
            times=[(dt.time(9, 0), dt.time(10, 0))],
            staff_id=clerk.id,
        )
        return appointment_services.book(slot_id=slots[0].id, applicant_id=zhang.id)


def walk_in(hall, item):
    return services.take_ticket(hall_id=hall.pk, item_id=item.item_id, source="kiosk")


def test_walk_in_numbers_count_up_per_hall_and_day(hall, item, windows):
    assert [walk_in(hall, item).number for _ in range(3)] == ["A001", "A002", "A003"]


def test_an_item_without_a_window_in_the_hall_gets_no_number(hall, item):
    with pytest.raises(QueueError):
        walk_in(hall, item)
    assert QueueTicket.objects.count() == 0


def test_a_logged_in_applicant_gets_their_waiting_ticket_back(hall, item, windows, zhang):
    first = services.take_ticket(hall_id=hall.pk, item_id=item.item_id, source="phone", applicant_id=zhang.id)
    again = services.take_ticket(hall_id=hall.pk, item_id=item.item_id, source="phone", applicant_id=zhang.id)
    assert (first.id, first.number) == (again.id, "A001")
    assert QueueTicket.objects.count() == 1


def test_an_appointment_is_checked_in_and_called_before_earlier_walk_ins(
    hall, item, windows, booked, clerk, clock
):
    walk_in(hall, item)
    clock.shift(dt.timedelta(minutes=5))
    ticket = services.take_ticket_with_appointment(hall_id=hall.pk, code=booked.code.lower())
    assert ticket.number == "Y001"
    assert Appointment.objects.get(pk=booked.id).status == "attended"
    assert services.take_ticket_with_appointment(hall_id=hall.pk, code=booked.code).id == ticket.id
    called = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    assert (called.number, called.window_number) == ("Y001", "A01")


def test_a_wrong_code_is_refused_without_saying_why(hall, item, windows):
    with pytest.raises(QueueError) as refused:
        services.take_ticket_with_appointment(hall_id=hall.pk, code="ZZZZZZ")
    assert refused.value.message == "预约码无效，或不是今天在本大厅的预约。"


def test_two_windows_call_different_tickets_and_each_department_only_its_own(
    hall, item, tax_item, windows, clerk, tax_clerk
):
    walk_in(hall, item)
    walk_in(hall, tax_item)
    walk_in(hall, item)
    assert services.call_next(window_id=windows["A01"], staff_id=clerk.id).number == "A001"
    assert services.call_next(window_id=windows["A02"], staff_id=clerk.id).number == "A003"
    assert services.call_next(window_id=windows["B05"], staff_id=tax_clerk.id).number == "A002"
    assert services.call_next(window_id=windows["A02"], staff_id=clerk.id) is None


def test_a_clerk_cannot_call_at_another_departments_window(hall, item, windows, clerk):
    walk_in(hall, item)
    with pytest.raises(QueueNotFound):
        services.call_next(window_id=windows["B05"], staff_id=clerk.id)
    assert QueueTicket.objects.get().status == "waiting"


def test_calling_the_next_finishes_the_current_one(hall, item, windows, clerk, clock):
    walk_in(hall, item)
    walk_in(hall, item)
    first = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    clock.shift(dt.timedelta(minutes=4))
    services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    assert QueueTicket.objects.get(pk=first.id).status == "done"


def test_recall_moves_the_number_to_the_top_of_the_display(hall, item, windows, clerk, clock):
    walk_in(hall, item)
    walk_in(hall, item)
    first = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    clock.shift(dt.timedelta(minutes=1))
    services.call_next(window_id=windows["A02"], staff_id=clerk.id)
    assert [c.number for c in selectors.display_calls(hall.pk)] == ["A002", "A001"]
    clock.shift(dt.timedelta(minutes=1))
    services.recall(ticket_id=first.id, staff_id=clerk.id)
    assert [c.number for c in selectors.display_calls(hall.pk)] == ["A001", "A002"]
    assert QueueTicket.objects.get(pk=first.id).call_count == 2


def test_skip_and_finish_take_the_number_off_the_display_and_a_skipped_ticket_is_not_finished(
    hall, item, windows, clerk
):
    walk_in(hall, item)
    ticket = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    services.skip(ticket_id=ticket.id, staff_id=clerk.id)
    assert selectors.display_calls(hall.pk) == []
    with pytest.raises(QueueConflict):
        services.finish(ticket_id=ticket.id, staff_id=clerk.id)
    assert QueueTicket.objects.get(pk=ticket.id).status == "skipped"


def test_a_transferred_ticket_is_called_first_at_its_new_window(hall, item, windows, clerk, clock):
    walk_in(hall, item)
    walk_in(hall, item)
    first = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    services.transfer(ticket_id=first.id, staff_id=clerk.id, to_window_id=windows["A02"])
    assert QueueTicket.objects.get(pk=first.id).status == "waiting"
    assert services.call_next(window_id=windows["A01"], staff_id=clerk.id).number == "A002"
    assert services.call_next(window_id=windows["A02"], staff_id=clerk.id).number == "A001"


def test_transfer_to_a_window_of_another_department_is_refused(hall, item, windows, clerk):
    walk_in(hall, item)
    ticket = services.call_next(window_id=windows["A01"], staff_id=clerk.id)
    with pytest.raises(QueueError):
        services.transfer(ticket_id=ticket.id, staff_id=clerk.id, to_window_id=windows["B05"])
    assert QueueTicket.objects.get(pk=ticket.id).status == "called"


def test_waiting_before_counts_only_the_same_department_ahead(hall, item, tax_item, windows):
    walk_in(hall, item)
    walk_in(hall, tax_item)
    third = walk_in(hall, item)
    assert selectors.waiting_before(QueueTicket.objects.get(pk=third.id)) == 1


def test_waiting_and_service_minutes_per_window_and_item(hall, item, windows, clerk, clock):
    walk_in(hall, item)  # 09:00
    clock.shift(dt.timedelta(minutes=10))
    walk_in(hall, item)  # 09:10
    clock.shift(dt.timedelta(minutes=10))
    first = services.call_next(window_id=windows["A01"], staff_id=clerk.id)  # 09:20: waited 20
    clock.shift(dt.timedelta(minutes=6))
    second = services.call_next(
        window_id=windows["A01"], staff_id=clerk.id
    )  # 09:26: first served 6; waited 16
    clock.shift(dt.timedelta(minutes=8))
    services.finish(ticket_id=second.id, staff_id=clerk.id)  # served 8
    [stat] = selectors.waiting_stats(staff_id=clerk.id, hall_id=hall.pk, date=dt.date(2026, 11, 23))
    assert (stat.window_number, stat.served, stat.average_wait_minutes, stat.average_service_minutes) == (
        "A01",
        2,
        18.0,
        7.0,
    )
    assert first.number == "A001"
