"""Kinds of days for schedules: weekday, weekend, holiday (weekend days inside one included), 调休."""

import datetime as dt

import pytest

from tongban.core import calendar
from tongban.core.calendar import DayKind, day_kinds, seed_year, set_calendar_day

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _fresh_unseeded_warnings():
    calendar._warn_unseeded.cache_clear()


def test_national_day_2026_week_by_kind(db, django_assert_num_queries):
    seed_year(2026)
    with django_assert_num_queries(1):
        kinds = day_kinds(D("2026-09-24"), D("2026-10-11"))
    assert {day.isoformat(): kind for day, kind in kinds.items()} == {
        "2026-09-24": DayKind.WORKDAY,  # Thursday
        "2026-09-25": DayKind.HOLIDAY,  # Friday, Mid-autumn Festival
        "2026-09-26": DayKind.HOLIDAY,  # Saturday inside the holiday
        "2026-09-27": DayKind.HOLIDAY,
        "2026-09-28": DayKind.WORKDAY,
        "2026-09-29": DayKind.WORKDAY,
        "2026-09-30": DayKind.WORKDAY,
        "2026-10-01": DayKind.HOLIDAY,
        "2026-10-02": DayKind.HOLIDAY,
        "2026-10-03": DayKind.HOLIDAY,
        "2026-10-04": DayKind.HOLIDAY,
        "2026-10-05": DayKind.HOLIDAY,  # a Monday
        "2026-10-06": DayKind.HOLIDAY,
        "2026-10-07": DayKind.HOLIDAY,
        "2026-10-08": DayKind.WORKDAY,
        "2026-10-09": DayKind.WORKDAY,
        "2026-10-10": DayKind.ADJUSTED_WORKDAY,  # 调休 Saturday
        "2026-10-11": DayKind.WEEKEND,
    }


def test_a_weekday_an_administrator_closed_without_a_name_is_a_holiday(db):
    seed_year(2026)
    set_calendar_day(D("2026-11-23"), is_working_day=False)
    assert day_kinds(D("2026-11-21"), D("2026-11-23")) == {
        D("2026-11-21"): DayKind.WEEKEND,
        D("2026-11-22"): DayKind.WEEKEND,
        D("2026-11-23"): DayKind.HOLIDAY,
    }


def test_an_unseeded_year_counts_monday_to_friday(db):
    assert day_kinds(D("2031-01-03"), D("2031-01-06")) == {
        D("2031-01-03"): DayKind.WORKDAY,  # Friday
        D("2031-01-04"): DayKind.WEEKEND,
        D("2031-01-05"): DayKind.WEEKEND,
        D("2031-01-06"): DayKind.WORKDAY,
    }
