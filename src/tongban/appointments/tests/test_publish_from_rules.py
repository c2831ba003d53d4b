"""Publishing from opening rules: the weeks ahead, the working-day calendar's exceptions, window rules
and item rules, idempotent runs, and changes that never take a booked place away.

The clock is Friday 2026-11-20 10:00 in Beijing: two weeks ahead are Saturday the 21st to Friday
4 December, ten working days."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tongban.appointments import selectors, services
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.appointments.tasks import publish_slots_ahead
from tongban.appointments.tests.conftest import MONDAY, citizen, item_rule, schedule, window
from tongban.appointments.types import PublishReport

D = dt.date.fromisoformat
T = dt.time


def slots_per_day(item) -> dict[str, int]:
    days = AppointmentSlot.objects.filter(item_id=item.item_id).values_list("date", flat=True)
    return {day.isoformat(): count for day, count in sorted(Counter(days).items())}


def day_rows(item, day) -> list[tuple]:
    return list(
        AppointmentSlot.objects.filter(item_id=item.item_id, date=day)
        .order_by("start_time")
        .values_list("start_time", "end_time", "capacity", "booked_count")
    )


def all_rows() -> list[tuple]:
    return list(
        AppointmentSlot.objects.order_by("pk").values_list(
            "pk", "item_id", "hall_id", "date", "start_time", "end_time", "capacity", "booked_count"
        )
    )


WEEKDAYS = {
    day: 4
    for day in [
        *(f"2026-11-{d}" for d in range(23, 28)),
        "2026-11-30",
        *(f"2026-12-0{d}" for d in range(1, 5)),
    ]
}


def test_an_item_rule_publishes_every_working_day_ahead_with_the_daily_quota_shared(
    item, clerk, department, hall
):
    saved = item_rule(item, clerk)
    assert saved.published == PublishReport(created=40, changed=0, withdrawn=0)
    assert slots_per_day(item) == WEEKDAYS
    assert day_rows(item, MONDAY) == [
        (T(9, 0), T(9, 30), 3, 0),
        (T(9, 30), T(10, 0), 3, 0),
        (T(14, 0), T(14, 30), 2, 0),
        (T(14, 30), T(15, 0), 2, 0),
    ]
    slot = AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0))
    assert (slot.item_name, slot.department_id, slot.hall_id) == (
        "个体工商户营业执照核发",
        department.pk,
        hall.pk,
    )


def test_running_the_job_again_changes_nothing(item, clerk):
    item_rule(item, clerk)
    before = all_rows()
    assert services.publish_ahead() == PublishReport()
    assert services.publish_ahead() == PublishReport()
    assert all_rows() == before


def test_T_H6_the_database_refuses_a_second_slot_at_the_same_start(item, clerk):
    item_rule(item, clerk)
    slot = AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0))
    slot.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        slot.save()
    assert AppointmentSlot.objects.count() == 40


def test_the_weeks_ahead_follow_the_setting(item, clerk, settings):
    settings.TONGBAN_APPOINTMENT_WEEKS_AHEAD = 1
    item_rule(item, clerk)
    assert slots_per_day(item) == {f"2026-11-{d}": 4 for d in range(23, 28)}
    settings.TONGBAN_APPOINTMENT_WEEKS_AHEAD = 2
    assert services.publish_ahead() == PublishReport(created=20)
    assert slots_per_day(item) == WEEKDAYS


def test_the_next_day_the_job_publishes_one_more_day(item, clerk, time_machine):
    item_rule(item, clerk)
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))  # Monday evening in Beijing
    assert services.publish_ahead() == PublishReport(created=4)
    assert list(slots_per_day(item))[-1] == "2026-12-07"
    assert slots_per_day(item)["2026-11-23"] == 4  # today's slots are left as they are


def test_the_command_and_the_periodic_task_run_the_same_job(item, clerk, capsys):
    services.create_rule(staff_id=clerk.id, item_id=item.item_id, schedule=schedule(ends_on=MONDAY))
    AppointmentSlot.objects.all().delete()
    call_command("publish_appointment_slots", "--weeks", "1")
    assert capsys.readouterr().out == "4 slots created, 0 changed, 0 withdrawn\n"
    assert publish_slots_ahead() == 0
    assert slots_per_day(item) == {"2026-11-23": 4}


@pytest.fixture
def national_day(time_machine):
    """Wednesday 30 September 2026: ahead are the National Day holiday (1–7 October, the weekend
    inside it included), Thursday and Friday, the 调休 Saturday the 10th, Sunday, Monday to Wednesday."""
    time_machine.move_to(dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC))


def test_holidays_are_skipped_and_a_ti_xiu_saturday_opens(item, clerk, national_day):
    item_rule(item, clerk, starts_on=D("2026-09-01"))
    assert slots_per_day(item) == {
        "2026-10-08": 4,
        "2026-10-09": 4,
        "2026-10-10": 4,  # 调休 Saturday
        "2026-10-12": 4,
        "2026-10-13": 4,
        "2026-10-14": 4,
    }


def test_a_rule_can_keep_ti_xiu_saturdays_closed(item, clerk, national_day):
    item_rule(item, clerk, starts_on=D("2026-09-01"), on_adjusted_workdays=False)
    assert "2026-10-10" not in slots_per_day(item)
    assert len(slots_per_day(item)) == 5


def test_a_saturday_rule_skips_holiday_and_ti_xiu_saturdays(item, clerk, national_day):
    item_rule(
        item,
        clerk,
        starts_on=D("2026-09-01"),
        weekdays=frozenset({6}),
        on_adjusted_workdays=False,
        time_ranges=((T(9, 0), T(12, 0)),),
        slot_minutes=60,
    )
    services.publish_ahead(weeks=3)
    # The 3rd is inside the holiday, the 10th is a working day (weekday rules apply), the 17th opens.
    assert slots_per_day(item) == {"2026-10-17": 3}
    assert day_rows(item, D("2026-10-17")) == [
        (T(9, 0), T(10, 0), 4, 0),
        (T(10, 0), T(11, 0), 3, 0),
        (T(11, 0), T(12, 0), 3, 0),
    ]


def test_a_day_an_administrator_marks_as_holiday_loses_its_free_slots(item, clerk, zhang):
    from tongban.core.calendar import set_calendar_day

    item_rule(item, clerk)
    [booked_slot] = AppointmentSlot.objects.filter(date=MONDAY, start_time=T(9, 0))
    services.book(slot_id=booked_slot.pk, applicant_id=zhang.id)
    set_calendar_day(MONDAY, is_working_day=False, name="地方假日")
    assert services.publish_ahead() == PublishReport(withdrawn=4)
    assert day_rows(item, MONDAY) == [(T(9, 0), T(9, 30), 1, 1)]  # the booking stays; no new ones


def test_a_small_quota_offers_only_the_earliest_slots(department, hall, clerk, publish_item):
    small = publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=3)
    item_rule(small, clerk)
    assert day_rows(small, MONDAY) == [
        (T(9, 0), T(9, 30), 1, 0),
        (T(9, 30), T(10, 0), 1, 0),
        (T(14, 0), T(14, 30), 1, 0),
    ]


@pytest.fixture
def hall_items(department, other_department, hall, other_hall, publish_item):
    """At the hall: two items of the market regulator and one of civil affairs; a third market item
    at another hall; a window staffed for both departments."""
    items = {
        "a": publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10),
        "b": publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=4),
        "elsewhere": publish_item(
            department, hall_id=other_hall.pk, supports_appointment=True, appointment_daily_quota=10
        ),
        "civil": publish_item(
            other_department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10
        ),
        "walk_in": publish_item(department, hall_id=hall.pk),
    }
    return items, window(hall, "B01", department, other_department)


def test_a_window_rule_covers_the_departments_appointable_items_in_its_hall(hall_items, clerk, department):
    items, window_id = hall_items
    saved = services.create_rule(
        staff_id=clerk.id, window_id=window_id, department_id=department.pk, schedule=schedule()
    )
    assert saved.published == PublishReport(created=80)
    assert slots_per_day(items["a"]) == WEEKDAYS
    assert day_rows(items["b"], MONDAY) == [
        (T(9, 0), T(9, 30), 1, 0),
        (T(9, 30), T(10, 0), 1, 0),
        (T(14, 0), T(14, 30), 1, 0),
        (T(14, 30), T(15, 0), 1, 0),
    ]
    assert slots_per_day(items["elsewhere"]) == {}
    assert slots_per_day(items["civil"]) == {}
    assert slots_per_day(items["walk_in"]) == {}
    assert services.publish_ahead() == PublishReport()


def test_an_items_own_rule_replaces_its_window_rules_on_the_days_it_opens(hall_items, clerk, department):
    items, window_id = hall_items
    services.create_rule(
        staff_id=clerk.id, window_id=window_id, department_id=department.pk, schedule=schedule()
    )
    saved = item_rule(
        items["a"],
        clerk,
        weekdays=frozenset({3}),
        on_adjusted_workdays=False,
        time_ranges=((T(16, 0), T(17, 0)),),
    )
    assert saved.published == PublishReport(created=4, changed=0, withdrawn=8)
    wednesday = D("2026-11-25")
    assert day_rows(items["a"], wednesday) == [(T(16, 0), T(16, 30), 5, 0), (T(16, 30), T(17, 0), 5, 0)]
    assert [row[0] for row in day_rows(items["a"], MONDAY)] == [T(9, 0), T(9, 30), T(14, 0), T(14, 30)]
    assert [row[0] for row in day_rows(items["b"], wednesday)] == [T(9, 0), T(9, 30), T(14, 0), T(14, 30)]


@pytest.fixture
def booked_monday(item, clerk, zhang):
    """The rule published; 张三 booked Monday 9:00."""
    item_rule(item, clerk)
    slot = AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0))
    return services.book(slot_id=slot.pk, applicant_id=zhang.id)


def test_changing_the_times_withdraws_free_slots_and_keeps_the_booked_one(item, clerk, booked_monday):
    [rule] = selectors.rules_for(clerk.id)
    saved = services.update_rule(
        staff_id=clerk.id,
        rule_id=rule.pk,
        schedule=schedule(time_ranges=((T(10, 0), T(11, 0)),)),
        is_active=True,
    )
    # Each of the ten days: 2 new slots; 4 old ones go (3 deleted, and on Monday the booked one closed).
    assert saved.published == PublishReport(created=20, changed=0, withdrawn=40)
    assert day_rows(item, MONDAY) == [
        (T(9, 0), T(9, 30), 1, 1),
        (T(10, 0), T(10, 30), 5, 0),
        (T(10, 30), T(11, 0), 5, 0),
    ]
    assert Appointment.objects.get(pk=booked_monday.id).status == "booked"


def test_a_slot_that_stays_follows_its_share_of_the_quota_but_never_below_its_bookings(
    item, clerk, booked_monday
):
    nine = AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0))
    services.book(slot_id=nine.pk, applicant_id=citizen("citizen_wang").id)
    [rule] = selectors.rules_for(clerk.id)

    def change_to(end: dt.time) -> None:
        services.update_rule(
            staff_id=clerk.id,
            rule_id=rule.pk,
            schedule=schedule(time_ranges=((T(9, 0), end),)),
            is_active=True,
        )

    change_to(T(9, 30))  # one slot a day: the whole quota
    assert day_rows(item, MONDAY) == [(T(9, 0), T(9, 30), 10, 2)]
    change_to(T(11, 30))  # five slots: 2 each
    assert day_rows(item, MONDAY)[0] == (T(9, 0), T(9, 30), 2, 2)
    change_to(T(14, 0))  # ten slots: 1 each, but two people booked 9:00
    assert [row[2:] for row in day_rows(item, MONDAY)] == [(2, 2)] + [(1, 0)] * 9


def test_stopping_a_rule_withdraws_its_slots_but_no_booking(item, clerk, booked_monday):
    [rule] = selectors.rules_for(clerk.id)
    saved = services.update_rule(staff_id=clerk.id, rule_id=rule.pk, schedule=schedule(), is_active=False)
    assert saved.published == PublishReport(withdrawn=40)
    assert all_rows()[0][3:] == (MONDAY, T(9, 0), T(9, 30), 1, 1)
    assert AppointmentSlot.objects.count() == 1
    assert list(selectors.available_slots(item.implementation_code, from_date=MONDAY)) == []
    assert Appointment.objects.get(pk=booked_monday.id).status == "booked"


def test_a_slot_once_booked_and_cancelled_is_closed_not_deleted(item, clerk, zhang, booked_monday):
    services.cancel(appointment_id=booked_monday.id, applicant_id=zhang.id)
    [rule] = selectors.rules_for(clerk.id)
    services.update_rule(staff_id=clerk.id, rule_id=rule.pk, schedule=schedule(), is_active=False)
    # The cancelled appointment still points at its slot: the slot stays, with no place to book.
    assert day_rows(item, MONDAY) == [(T(9, 0), T(9, 30), 0, 0)]
    assert Appointment.objects.get(pk=booked_monday.id).slot.start_time == T(9, 0)
