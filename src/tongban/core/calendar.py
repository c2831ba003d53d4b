"""The working-day calendar: which days people work in mainland China, and deadlines counted on it.

Working days are weekdays minus statutory holidays plus adjusted working days (调休), as published each
year by the State Council (国办发明电). ``seed_year`` copies a year from the ``chinesecalendar``
package into ``CalendarDay`` (one row per day); administrators correct single days in the admin and
re-seeding never overwrites their rows. Deadlines follow STANDARDS.md §2: the day of receipt is never
counted, whatever kind of day it is.

A year whose schedule is not published yet (chinesecalendar learns it in about November of the year
before) is counted Monday to Friday; a date counted over such a year is *provisional* (暂按周末计算,
``is_provisional``). Seeding a year sends ``calendar_changed`` inside the seeding transaction, and the
apps that keep dates counted on the calendar (promised finish dates, step due dates) recompute them.

Every other app counts working days only through this module (STYLE.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.errors import TongbanError
from tongban.core.models import CalendarDay, DaySource

logger = logging.getLogger(__name__)

# The national calendar runs on Beijing time whatever the server's time zone.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
ADJUSTED_WORKING_DAY = "调休上班"
HOLIDAY_NAMES = {
    Holiday.new_years_day.value: "元旦",
    Holiday.spring_festival.value: "春节",
    Holiday.tomb_sweeping_day.value: "清明节",
    Holiday.labour_day.value: "劳动节",
    Holiday.dragon_boat_festival.value: "端午节",
    Holiday.mid_autumn_festival.value: "中秋节",
    Holiday.national_day.value: "国庆节",
    Holiday.anti_fascist_70th_day.value: "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
ONE_DAY = dt.timedelta(days=1)
# Administrators are warned from this day of December while the next year is still missing.
BANNER_FROM = (12, 1)

# Sent with ``years`` (a frozenset of years whose working days changed) inside the transaction that
# changed them; a receiver that fails rolls the change back, so dates are never left counted on the old
# calendar.
calendar_changed = Signal()


class CalendarError(TongbanError):
    """The calendar cannot answer: the holiday schedule of a year is not available."""


def _published_days(year: int) -> dict[dt.date, tuple[bool, str]]:
    """Every day of ``year`` as chinesecalendar knows it: date -> (is working day, name)."""
    try:
        first = dt.date(year, 1, 1)
        chinese_calendar.is_workday(first)
    except (ValueError, NotImplementedError) as exc:
        raise CalendarError(
            _(
                "尚无 %(year)s 年的法定节假日安排：国务院办公厅发布通知后，请升级 chinesecalendar "
                "再导入该年日历。"
            )
            % {"year": year},
            code="calendar_year_unknown",
        ) from exc
    days = {}
    day = first
    while day.year == year:
        is_working = chinese_calendar.is_workday(day)
        _on_holiday, english = chinese_calendar.get_holiday_detail(day)
        if english is None:
            name = ""
        elif is_working:
            name = ADJUSTED_WORKING_DAY
        else:
            # A holiday the mapping does not know yet keeps the package's name rather than a guess.
            name = HOLIDAY_NAMES.get(english, english)
        days[day] = (is_working, name)
        day += ONE_DAY
    return days


def seed_year(year: int) -> int:
    """Write every day of ``year`` from chinesecalendar and return how many rows were created or changed.

    Idempotent: unchanged rows are not written, so a second run returns 0. Rows an administrator
    edited (source "admin") are never overwritten.

    Raises CalendarError when chinesecalendar has no schedule for the year (it is published late in
    the previous year): the calendar never guesses a year's holidays.
    """
    published = _published_days(year)
    with transaction.atomic():
        provisional_before = year not in published_years()
        existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year=year)}
        now = timezone.now()
        new_rows, changed_rows = [], []
        for day, (is_working, name) in published.items():
            row = existing.get(day)
            if row is None:
                new_rows.append(CalendarDay(date=day, is_working_day=is_working, name=name))
            elif row.source == DaySource.SEEDED and (row.is_working_day, row.name) != (is_working, name):
                row.is_working_day, row.name, row.updated_at = is_working, name, now
                changed_rows.append(row)
        CalendarDay.objects.bulk_create(new_rows)
        CalendarDay.objects.bulk_update(changed_rows, ["is_working_day", "name", "updated_at"])
        if provisional_before or changed_rows:
            calendar_changed.send(sender=CalendarDay, years=frozenset({year}))
    return len(new_rows) + len(changed_rows)


def seed_coming_years(*, today: dt.date | None = None) -> dict[int, int | None]:
    """Seed the previous, the current and the next year; return year -> rows written, None for a year
    chinesecalendar does not know: the next one until its schedule is published (about November: try
    again later), or a previous one older than the package's data.

    The previous year matters for cases received in late December and for counting back (warning
    levels of old cases). Raises CalendarError when the current year itself is unknown: deadlines
    would be wrong.
    """
    this_year = (today or timezone.localdate(timezone=CHINA_TZ)).year
    written: dict[int, int | None] = {}
    for year in (this_year - 1, this_year, this_year + 1):
        try:
            written[year] = seed_year(year)
        except CalendarError:
            if year == this_year:
                raise
            logger.warning("The %s holiday schedule is not in chinesecalendar yet; seed it later.", year)
            written[year] = None
    return written


def published_years() -> set[int]:
    """Years whose holiday schedule is in the calendar (seeded; an administrator's single days do not
    make a year known)."""
    return {day.year for day in CalendarDay.objects.filter(source=DaySource.SEEDED).dates("date", "year")}


def is_provisional(start: dt.datetime | dt.date, due: dt.date, *, published: set[int] | None = None) -> bool:
    """True when a working-day count from ``start`` to ``due`` crosses a year whose holidays are not
    published: the date is provisional (暂按周末计算) and moves when the year is seeded.

    Pass ``published`` (``published_years()``) to check many dates with one query."""
    years = published_years() if published is None else published
    return any(year not in years for year in range(_local_date(start).year, due.year + 1))


def next_year_missing(today: dt.date | None = None) -> bool:
    """True from 1 December while next year's holidays are not in the calendar: administrators are
    told to upgrade chinesecalendar and run ``manage.py seed_calendar`` (dates into that year are
    provisional until then)."""
    today = today or timezone.localdate(timezone=CHINA_TZ)
    return (today.month, today.day) >= BANNER_FROM and today.year + 1 not in published_years()


def set_calendar_day(day: dt.date, *, is_working_day: bool, name: str = "") -> CalendarDay:
    """An administrator's correction of one day (a local extra holiday, a late change of the notice).

    The row becomes the administrator's: ``seed_year`` will not overwrite it. Dates counted over the
    day are recomputed (``calendar_changed``) when it changes whether people work.
    """
    with transaction.atomic():
        before = CalendarDay.objects.select_for_update().filter(date=day).first()
        was_working = before.is_working_day if before else day.weekday() < 5
        row, _created = CalendarDay.objects.update_or_create(
            date=day,
            defaults={"is_working_day": is_working_day, "name": name, "source": DaySource.ADMIN},
        )
        if was_working != is_working_day:
            calendar_changed.send(sender=CalendarDay, years=frozenset({day.year}))
    return row


@functools.cache
def _warn_unseeded(year: int) -> None:
    # Once per year and process: the periodic job or an administrator must seed the year.
    logger.warning(
        "Working-day calendar has no rows for %s; counting Monday to Friday. Run `manage.py seed_calendar`.",
        year,
    )


# Days read once for a block of code (``preloaded``): (first, last, {date: is working day}).
_preloaded: ContextVar[tuple[dt.date, dt.date, dict[dt.date, bool]] | None] = ContextVar(
    "calendar_preloaded", default=None
)


def _calendar_rows(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day"))


@contextmanager
def preloaded(first: dt.date, last: dt.date) -> Iterator[None]:
    """Within the block, working-day questions about days from ``first`` to ``last`` are answered
    from one query made here: a list that computes a deadline or a warning level per row asks the
    database once, not once a row. Questions reaching outside the range query as usual. Request
    scoped (a context variable): nothing is kept after the block."""
    token = _preloaded.set((first, last, _calendar_rows(first, last)))
    try:
        yield
    finally:
        _preloaded.reset(token)


def _working_flags(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, bool]]:
    """(date, is working day) for every day from ``first`` to ``last`` inclusive, in one query (none
    inside ``preloaded`` covering the range)."""
    loaded = _preloaded.get()
    if loaded is not None and loaded[0] <= first and last <= loaded[1]:
        rows = loaded[2]
    else:
        rows = _calendar_rows(first, last)
    day = first
    while day <= last:
        if day in rows:
            yield day, rows[day]
        else:
            _warn_unseeded(day.year)
            yield day, day.weekday() < 5
        day += ONE_DAY


def _local_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar date in China of a date or an aware datetime (a naive datetime is a bug: ValueError)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, CHINA_TZ).date()
    return value


def is_working_day(day: dt.date) -> bool:
    """True if people work on ``day``; Monday to Friday (and a logged warning) for an unseeded year."""
    return next(_working_flags(day, day))[1]


def add_working_days(start: dt.datetime | dt.date, days: int) -> dt.date:
    """The due date ``days`` working days after ``start`` (STANDARDS.md §2).

    The day of receipt is never counted, whatever kind of day it is: the due date is the Nth working
    day strictly after it, so a Saturday receipt plus 1 is Monday, or an adjusted working weekend day
    if one comes first. ``days=0`` (即办) is the day of receipt itself. An aware datetime is taken as
    its date in Beijing time. Not chinesecalendar's ``find_workday()``, which counts the start day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    first = _local_date(start)
    if days == 0:
        return first
    counted = 0
    window_start = first + ONE_DAY
    # Twice the days plus two weeks spans weekends and the longest holidays: one query in practice.
    window = dt.timedelta(days=2 * days + 14)
    while True:
        window_end = window_start + window
        for day, working in _working_flags(window_start, window_end):
            if working:
                counted += 1
                if counted == days:
                    return day
        window_start = window_end + ONE_DAY


def add_natural_days(start: dt.datetime | dt.date, days: int) -> dt.date:
    """The due date ``days`` calendar days after ``start`` (the day of receipt is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    return _local_date(start) + dt.timedelta(days=days)


def working_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
    """Working days strictly after ``start`` up to and including ``end``; 0 when ``end`` is not later.

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    first, last = _local_date(start) + ONE_DAY, _local_date(end)
    if last < first:
        return 0
    return sum(working for _day, working in _working_flags(first, last))


class DayKind(StrEnum):
    """What kind of day a date is, for schedules that differ between weekdays, weekends and holidays."""

    WORKDAY = "workday"  # Monday to Friday, not a holiday
    WEEKEND = "weekend"  # Saturday or Sunday, neither a holiday nor adjusted
    HOLIDAY = "holiday"  # a statutory holiday (weekend days inside a holiday period included)
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休上班: a Saturday or Sunday people work


def day_kinds(first: dt.date, last: dt.date) -> dict[dt.date, DayKind]:
    """The kind of every day from ``first`` to ``last`` inclusive, in one query.

    A non-working weekday is a holiday whatever its name (an administrator's local closure included);
    a non-working weekend day is a holiday when it carries a holiday's name (the Saturday inside the
    National Day week), else a plain weekend. An unseeded year counts Monday to Friday, as
    ``is_working_day`` does.
    """
    rows = dict(
        (row_date, (working, name))
        for row_date, working, name in CalendarDay.objects.filter(date__range=(first, last)).values_list(
            "date", "is_working_day", "name"
        )
    )
    kinds = {}
    day = first
    while day <= last:
        weekend = day.weekday() >= 5
        if day not in rows:
            _warn_unseeded(day.year)
            kinds[day] = DayKind.WEEKEND if weekend else DayKind.WORKDAY
        else:
            working, name = rows[day]
            if working:
                kinds[day] = DayKind.ADJUSTED_WORKDAY if weekend else DayKind.WORKDAY
            else:
                kinds[day] = DayKind.HOLIDAY if (name or not weekend) else DayKind.WEEKEND
        day += ONE_DAY
    return kinds
