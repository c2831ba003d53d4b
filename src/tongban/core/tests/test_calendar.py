"""The working-day calendar: seeding from chinesecalendar, administrators' corrections, and deadlines
counted per STANDARDS.md §2 (the day of receipt is never counted)."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from tongban.core import calendar
from tongban.core.calendar import (
    CalendarError,
    add_natural_days,
    add_working_days,
    is_working_day,
    seed_coming_years,
    seed_year,
    set_calendar_day,
    working_days_between,
)
from tongban.core.models import CalendarDay

D = dt.date.fromisoformat
UTC = dt.UTC
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_unseeded_warnings():
    calendar._warn_unseeded.cache_clear()


@pytest.fixture
def year_2025(db):
    seed_year(2025)


def row(day: str) -> tuple[bool, str, str]:
    found = CalendarDay.objects.get(date=D(day))
    return found.is_working_day, found.name, found.source


# Seeding


def test_seeding_a_year_writes_every_day_with_chinese_names(db):
    assert seed_year(2025) == 365
    assert CalendarDay.objects.count() == 365
    assert CalendarDay.objects.filter(is_working_day=True).count() == 248
    assert row("2025-01-01") == (False, "元旦", "seeded")
    assert row("2025-01-29") == (False, "春节", "seeded")
    assert row("2025-04-04") == (False, "清明节", "seeded")
    assert row("2025-05-01") == (False, "劳动节", "seeded")
    assert row("2025-05-31") == (False, "端午节", "seeded")  # a Saturday inside the holiday
    assert row("2025-10-06") == (False, "中秋节", "seeded")
    assert row("2025-10-01") == (False, "国庆节", "seeded")
    assert row("2025-09-28") == (True, "调休上班", "seeded")  # a working Sunday
    assert row("2025-09-27") == (False, "", "seeded")  # an ordinary Saturday
    assert row("2025-03-10") == (True, "", "seeded")  # an ordinary Monday


def test_seeding_again_writes_nothing_and_restores_a_changed_seeded_day(year_2025):
    assert seed_year(2025) == 0
    CalendarDay.objects.filter(date=D("2025-10-01")).update(is_working_day=True, name="")
    assert seed_year(2025) == 1
    assert row("2025-10-01") == (False, "国庆节", "seeded")
    assert CalendarDay.objects.count() == 365


def test_day_edited_by_an_administrator_survives_reseeding(year_2025):
    set_calendar_day(D("2025-10-01"), is_working_day=True, name="应急值守")
    set_calendar_day(D("2025-03-11"), is_working_day=False, name="防汛停工")
    assert seed_year(2025) == 0
    assert row("2025-10-01") == (True, "应急值守", "admin")
    assert row("2025-03-11") == (False, "防汛停工", "admin")


def test_unknown_year_is_refused_in_chinese_and_nothing_is_written(db):
    with pytest.raises(CalendarError) as caught:
        seed_year(2099)
    assert caught.value.message == (
        "尚无 2099 年的法定节假日安排：国务院办公厅发布通知后，请升级 chinesecalendar 再导入该年日历。"
    )
    assert caught.value.code == "calendar_year_unknown"
    assert CalendarDay.objects.count() == 0


def test_seed_coming_years_seeds_last_this_and_next_year(db):
    assert seed_coming_years(today=D("2025-06-01")) == {2024: 366, 2025: 365, 2026: 365}
    assert CalendarDay.objects.count() == 1096
    assert row("2024-12-31") == (True, "", "seeded")


def test_seed_coming_years_skips_a_next_year_not_published_yet(db, caplog):
    last_known = max(chinese_calendar.holidays).year
    days_in_year = (dt.date(last_known, 12, 31) - dt.date(last_known, 1, 1)).days + 1
    with caplog.at_level(logging.WARNING, logger="tongban.core.calendar"):
        written = seed_coming_years(today=dt.date(last_known, 11, 23))
    days_last_year = (dt.date(last_known, 1, 1) - dt.date(last_known - 1, 1, 1)).days
    assert written == {last_known - 1: days_last_year, last_known: days_in_year, last_known + 1: None}
    assert CalendarDay.objects.filter(date__year=last_known + 1).count() == 0
    assert [r.getMessage() for r in caplog.records] == [
        f"The {last_known + 1} holiday schedule is not in chinesecalendar yet; seed it later."
    ]


def test_seed_coming_years_refuses_an_unknown_current_year(db):
    with pytest.raises(CalendarError):
        seed_coming_years(today=D("2099-03-01"))
    assert CalendarDay.objects.count() == 0


@time_machine.travel(dt.datetime(2025, 12, 31, 20, 0, tzinfo=UTC))  # already 2026 in Beijing
def test_seed_coming_years_takes_the_year_in_beijing(db):
    assert list(seed_coming_years()) == [2025, 2026, 2027]


# Reading the calendar


def test_is_working_day_reads_the_table(year_2025):
    assert is_working_day(D("2025-10-01")) is False
    assert is_working_day(D("2025-09-28")) is True
    assert is_working_day(D("2025-09-27")) is False
    assert is_working_day(D("2025-09-29")) is True


def test_unseeded_days_fall_back_to_monday_to_friday_with_one_warning(db, caplog):
    with caplog.at_level(logging.WARNING, logger="tongban.core.calendar"):
        assert is_working_day(D("2030-10-01")) is True  # a Tuesday: no holidays without the table
        assert is_working_day(D("2030-10-05")) is False  # a Saturday
        assert add_working_days(D("2030-10-04"), 1) == D("2030-10-07")
    assert [r.getMessage() for r in caplog.records] == [
        "Working-day calendar has no rows for 2030; counting Monday to Friday. Run `manage.py seed_calendar`."
    ]


# Deadlines


def test_national_day_and_mid_autumn_holidays_are_skipped(year_2025):
    # Receipt Tue 30 Sep; 1–8 Oct off (国庆 + 中秋); 9, 10, Sat 11 (调休), 13, 14 Oct are working days 1–5.
    assert add_working_days(D("2025-09-30"), 5) == D("2025-10-14")


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2025-03-08", 1, "2025-03-10"),  # Saturday receipt + 1 = Monday
        ("2025-03-09", 1, "2025-03-10"),  # Sunday receipt + 1 = Monday
        ("2025-03-10", 1, "2025-03-11"),  # a working day of receipt is not counted either
        ("2025-03-07", 5, "2025-03-14"),  # Friday + 5 = next Friday
        ("2025-09-27", 1, "2025-09-28"),  # Saturday receipt: the working Sunday (调休) comes first
        ("2025-09-26", 1, "2025-09-28"),  # Friday receipt: Saturday off, Sunday 28 Sep is worked
        ("2025-10-03", 1, "2025-10-09"),  # receipt during the holiday
        ("2025-01-24", 3, "2025-02-05"),  # Fri; Sun 26 Jan worked (调休), 27 Jan, 春节 28 Jan–4 Feb
    ],
)
def test_working_day_deadlines(year_2025, received, days, due):
    assert add_working_days(D(received), days) == D(due)


def test_zero_days_is_the_day_of_receipt_itself(year_2025):
    assert add_working_days(D("2025-10-01"), 0) == D("2025-10-01")
    assert add_working_days(dt.datetime(2025, 3, 8, 9, 30, tzinfo=BEIJING), 0) == D("2025-03-08")


def test_aware_datetime_counts_from_its_date_in_beijing(year_2025):
    # 16:30 UTC on Sunday 9 March is 00:30 on Monday 10 March in Beijing.
    received = dt.datetime(2025, 3, 9, 16, 30, tzinfo=UTC)
    assert add_working_days(received, 1) == D("2025-03-11")
    assert add_natural_days(received, 1) == D("2025-03-11")


def test_naive_datetime_is_refused(year_2025):
    with pytest.raises(ValueError, match="naive datetime"):
        add_working_days(dt.datetime(2025, 3, 10, 9, 0), 1)  # noqa: DTZ001


def test_negative_days_are_refused(year_2025):
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(D("2025-03-10"), -1)
    with pytest.raises(ValueError, match="days must not be negative"):
        add_natural_days(D("2025-03-10"), -1)


def test_an_extra_holiday_added_by_an_administrator_shifts_the_due_date(year_2025):
    assert add_working_days(D("2025-03-10"), 1) == D("2025-03-11")
    set_calendar_day(D("2025-03-11"), is_working_day=False, name="防汛停工")
    assert add_working_days(D("2025-03-10"), 1) == D("2025-03-12")


def test_deadline_across_the_new_year_reads_both_years(db):
    seed_year(2025)
    seed_year(2026)
    # 1–3 Jan 2026 are 元旦; Sunday 4 Jan is an adjusted working day.
    assert add_working_days(D("2025-12-31"), 1) == D("2026-01-04")


def test_working_day_count_queries_the_table_once(year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert add_working_days(D("2025-09-30"), 5) == D("2025-10-14")
    with django_assert_max_num_queries(1):
        # 2025 has 248 working days: counting all of them from New Year's Eve ends on 31 December.
        assert add_working_days(D("2024-12-31"), 248) == D("2025-12-31")
    with django_assert_max_num_queries(1):
        assert working_days_between(D("2024-12-31"), D("2025-12-31")) == 248


def test_natural_days_count_every_day_after_receipt(db):
    assert add_natural_days(D("2025-09-30"), 5) == D("2025-10-05")
    assert add_natural_days(D("2025-09-30"), 0) == D("2025-09-30")


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2025-09-30", "2025-10-14", 5),
        ("2025-09-30", "2025-10-08", 0),  # only holidays after the start
        ("2025-09-26", "2025-09-28", 1),  # the working Sunday counts
        ("2025-03-10", "2025-03-10", 0),  # the start itself is never counted
        ("2025-03-12", "2025-03-10", 0),  # end before start
    ],
)
def test_working_days_between(year_2025, start, end, count):
    assert working_days_between(D(start), D(end)) == count


def test_working_days_between_undoes_add_working_days(year_2025):
    for days in (1, 5, 20, 60):
        assert working_days_between(D("2025-09-30"), add_working_days(D("2025-09-30"), days)) == days


# Provisional dates: counted over a year whose holidays are not published


def test_published_years_are_the_seeded_ones(db):
    set_calendar_day(D("2026-03-02"), is_working_day=False, name="防汛停工")  # one day is not a year
    seed_year(2025)
    assert calendar.published_years() == {2025}


def test_a_count_into_an_unpublished_year_is_provisional(year_2025):
    assert calendar.is_provisional(D("2025-12-31"), D("2026-01-05")) is True
    assert calendar.is_provisional(dt.datetime(2025, 12, 31, 15, 0, tzinfo=BEIJING), D("2025-12-31")) is False
    assert calendar.is_provisional(D("2024-12-30"), D("2025-01-03")) is True  # the start's year counts too
    assert calendar.is_provisional(D("2025-12-31"), D("2026-01-05"), published={2025, 2026}) is False


@pytest.mark.parametrize(
    ("today", "missing"),
    [("2025-11-30", False), ("2025-12-01", True), ("2025-12-31", True), ("2025-06-01", False)],
)
def test_next_year_is_reported_missing_from_the_first_of_december(year_2025, today, missing):
    assert calendar.next_year_missing(D(today)) is missing


def test_next_year_is_not_missing_once_seeded(year_2025):
    seed_year(2026)
    assert calendar.next_year_missing(D("2025-12-01")) is False


def _listen(changes: list) -> None:
    calendar.calendar_changed.connect(
        lambda sender, years, **kw: changes.append(years), weak=False, dispatch_uid="test-calendar-changed"
    )


@pytest.fixture
def calendar_changes():
    changes: list = []
    _listen(changes)
    yield changes
    calendar.calendar_changed.disconnect(dispatch_uid="test-calendar-changed")


def test_seeding_an_unpublished_year_announces_the_change_once(db, calendar_changes):
    seed_year(2025)
    seed_year(2025)
    assert calendar_changes == [frozenset({2025})]


def test_correcting_whether_a_day_is_worked_announces_the_change(year_2025, calendar_changes):
    set_calendar_day(D("2025-03-11"), is_working_day=True, name="")  # was a working day already
    assert calendar_changes == []
    set_calendar_day(D("2025-03-11"), is_working_day=False, name="防汛停工")
    assert calendar_changes == [frozenset({2025})]


def test_a_failing_reaction_leaves_the_year_unseeded(db):
    def refuse(sender, years, **kwargs):
        raise RuntimeError("cannot recompute")

    calendar.calendar_changed.connect(refuse, weak=False, dispatch_uid="test-refuse")
    try:
        with pytest.raises(RuntimeError):
            seed_year(2025)
    finally:
        calendar.calendar_changed.disconnect(dispatch_uid="test-refuse")
    assert CalendarDay.objects.count() == 0


def test_preloaded_days_answer_without_a_query_and_the_same(db, django_assert_num_queries):
    calendar.seed_year(2025)
    start, end = D("2025-09-26"), D("2025-10-20")
    expected = calendar.working_days_between(start, end)
    with calendar.preloaded(start, end):
        with django_assert_num_queries(0):
            assert calendar.working_days_between(start, end) == expected
        with django_assert_num_queries(1):  # reaching outside the preloaded days queries as usual
            calendar.working_days_between(start, D("2025-11-30"))
    with django_assert_num_queries(1):  # nothing kept after the block
        assert calendar.working_days_between(start, end) == expected
