"""The pure schedule rules: slots from opening times, places from the daily quota, which days a rule
opens on, what makes a schedule wrong, when two rules clash."""

import datetime as dt

import pytest

from tongban.appointments.rules import Problem, check_schedule, day_slots, schedules_clash, split_range
from tongban.appointments.tests.conftest import MONDAY, schedule
from tongban.core.calendar import DayKind

T = dt.time


def test_opening_times_split_into_whole_slots_and_a_shorter_rest_is_not_offered():
    assert split_range(T(9, 0), T(12, 0), 45) == [
        (T(9, 0), T(9, 45)),
        (T(9, 45), T(10, 30)),
        (T(10, 30), T(11, 15)),
        (T(11, 15), T(12, 0)),
    ]
    assert split_range(T(14, 0), T(17, 30), 60) == [
        (T(14, 0), T(15, 0)),
        (T(15, 0), T(16, 0)),
        (T(16, 0), T(17, 0)),
    ]
    assert split_range(T(9, 0), T(9, 20), 30) == []


def test_a_days_places_are_the_daily_quota_the_earliest_slots_taking_the_rest():
    assert day_slots([schedule()], 10) == [
        (T(9, 0), T(9, 30), 3),
        (T(9, 30), T(10, 0), 3),
        (T(14, 0), T(14, 30), 2),
        (T(14, 30), T(15, 0), 2),
    ]


def test_a_quota_smaller_than_the_slots_leaves_the_latest_slots_out():
    assert day_slots([schedule()], 3) == [
        (T(9, 0), T(9, 30), 1),
        (T(9, 30), T(10, 0), 1),
        (T(14, 0), T(14, 30), 1),
    ]


def test_two_rules_open_on_the_same_day_share_the_quota():
    morning = schedule(time_ranges=((T(9, 0), T(10, 0)),), slot_minutes=60)
    afternoon = schedule(time_ranges=((T(14, 0), T(15, 0)),), slot_minutes=60)
    assert day_slots([afternoon, morning], 9) == [(T(9, 0), T(10, 0), 5), (T(14, 0), T(15, 0), 4)]
    assert day_slots([], 9) == []


MONDAY_AFTER = MONDAY + dt.timedelta(weeks=1)
SATURDAY = MONDAY + dt.timedelta(days=5)


@pytest.mark.parametrize(
    ("day", "kind", "opens"),
    [
        (MONDAY, DayKind.WORKDAY, True),
        (MONDAY, DayKind.HOLIDAY, False),  # a holiday weekday
        (SATURDAY, DayKind.WEEKEND, False),
        (SATURDAY, DayKind.ADJUSTED_WORKDAY, True),  # 调休 Saturday
        (MONDAY - dt.timedelta(days=7), DayKind.WORKDAY, False),  # before the rule starts
    ],
    ids=["weekday", "holiday-weekday", "weekend", "adjusted-saturday", "before-start"],
)
def test_which_days_a_weekday_rule_opens(day, kind, opens):
    assert schedule().opens_on(day, kind) is opens


def test_a_saturday_rule_opens_on_plain_saturdays_only():
    saturdays = schedule(weekdays=frozenset({6}), on_adjusted_workdays=False, starts_on=SATURDAY)
    assert saturdays.opens_on(SATURDAY, DayKind.WEEKEND) is True
    assert saturdays.opens_on(SATURDAY, DayKind.HOLIDAY) is False
    assert saturdays.opens_on(SATURDAY, DayKind.ADJUSTED_WORKDAY) is False
    assert saturdays.opens_on(MONDAY_AFTER, DayKind.WORKDAY) is False


def test_a_rule_ends_on_its_end_date():
    ending = schedule(ends_on=MONDAY_AFTER)
    assert ending.opens_on(MONDAY_AFTER, DayKind.WORKDAY) is True
    assert ending.opens_on(MONDAY_AFTER + dt.timedelta(days=1), DayKind.WORKDAY) is False


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"weekdays": frozenset(), "on_adjusted_workdays": False}, Problem("weekdays", "no_days")),
        ({"time_ranges": ()}, Problem("time_ranges", "no_times")),
        ({"time_ranges": ((T(10, 0), T(9, 0)),)}, Problem("time_ranges", "end_before_start")),
        ({"time_ranges": ((T(9, 0), T(9, 20)),)}, Problem("time_ranges", "shorter_than_a_slot")),
        ({"time_ranges": ((T(9, 0), T(11, 0)), (T(10, 0), T(12, 0)))}, Problem("time_ranges", "overlap")),
        ({"ends_on": MONDAY - dt.timedelta(days=1)}, Problem("ends_on", "ends_before_start")),
    ],
    ids=["no-days", "no-times", "backwards", "too-short", "overlap", "ends-before-start"],
)
def test_a_wrong_schedule_names_its_problem(overrides, problem):
    assert check_schedule(schedule(**overrides)) == [problem]


def test_a_good_schedule_has_no_problem():
    assert check_schedule(schedule()) == []
    assert check_schedule(schedule(weekdays=frozenset(), on_adjusted_workdays=True)) == []


def test_rules_clash_only_when_dates_days_and_times_all_meet():
    weekdays = schedule()
    assert schedules_clash(weekdays, schedule(time_ranges=((T(9, 30), T(11, 0)),))) is True
    assert schedules_clash(weekdays, schedule(time_ranges=((T(10, 0), T(11, 0)),))) is False  # back to back
    assert schedules_clash(weekdays, schedule(weekdays=frozenset({6}), on_adjusted_workdays=False)) is False
    assert schedules_clash(weekdays, schedule(weekdays=frozenset(), on_adjusted_workdays=True)) is True
    assert schedules_clash(schedule(ends_on=MONDAY_AFTER), schedule(starts_on=MONDAY_AFTER)) is True
    assert schedules_clash(schedule(ends_on=MONDAY), schedule(starts_on=MONDAY_AFTER)) is False
