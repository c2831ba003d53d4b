"""Pure rules of opening schedules: which days a rule opens, how its opening times split into slots,
how a day's places are shared, when two rules clash. No ORM: the services feed them plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from tongban.core.calendar import DayKind

# The choices offered for a slot's length; the database allows 5 to 480 minutes.
SLOT_MINUTES = (10, 15, 20, 30, 45, 60, 90, 120)


@dataclass(frozen=True)
class Schedule:
    """What an opening rule says: days of the week (ISO numbers, 1 = Monday), whether 调休 working
    weekend days open too, the opening times, the slot length, and the dates it is in force."""

    weekdays: frozenset[int]
    on_adjusted_workdays: bool
    time_ranges: tuple[tuple[dt.time, dt.time], ...]
    slot_minutes: int
    starts_on: dt.date
    ends_on: dt.date | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def opens_on(self, day: dt.date, kind: DayKind) -> bool:
        """A holiday never opens (weekdays inside a holiday neither); a 调休 working Saturday or Sunday
        opens when the rule says so, whatever its weekdays; any other day by its weekday."""
        if not self.in_force_on(day) or kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.ADJUSTED_WORKDAY:
            return self.on_adjusted_workdays
        return day.isoweekday() in self.weekdays

    def slot_times(self) -> list[tuple[dt.time, dt.time]]:
        return [
            slot for start, end in self.time_ranges for slot in split_range(start, end, self.slot_minutes)
        ]

    @property
    def day_keys(self) -> set[str]:
        """The kinds of day it opens on, for clash checks: weekday numbers, and "adjusted"."""
        return {str(day) for day in self.weekdays} | ({"adjusted"} if self.on_adjusted_workdays else set())


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def split_range(start: dt.time, end: dt.time, minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Whole slots of ``minutes`` from ``start``; a remainder shorter than a slot is not offered
    (09:00–12:00 by 45 minutes: 09:00, 09:45, 10:30, 11:15)."""
    first, last = _minutes(start), _minutes(end)
    return [(_time(at), _time(at + minutes)) for at in range(first, last - minutes + 1, minutes)]


def split_quota(quota: int, slots: int) -> list[int]:
    """The daily quota over ``slots`` slots in time order: ``quota // slots`` each and the remainder one
    more each for the earliest slots (10 over 3 → 4, 3, 3), so the day offers exactly the quota."""
    share, remainder = divmod(quota, slots)
    return [share + 1 if index < remainder else share for index in range(slots)]


def day_slots(schedules: list[Schedule], quota: int) -> list[tuple[dt.time, dt.time, int]]:
    """The slots (start, end, places) of a day on which ``schedules`` open, in time order.

    The item's daily quota is shared by ``split_quota``; when the quota is smaller than the number of
    slots, the latest slots get no place and are not offered.
    """
    times = sorted({slot for schedule in schedules for slot in schedule.slot_times()})
    if not times:
        return []
    places = split_quota(quota, len(times))
    return [(start, end, count) for (start, end), count in zip(times, places, strict=True) if count > 0]


@dataclass(frozen=True)
class Problem:
    """What is wrong with a schedule: the field at fault and the message for it."""

    field: str
    code: str


def check_schedule(schedule: Schedule) -> list[Problem]:
    """A schedule's own rules: some day, some opening time, each time range ends after it starts and
    holds at least one slot, ranges do not overlap, the end date is not before the start date."""
    problems = []
    if not schedule.weekdays and not schedule.on_adjusted_workdays:
        problems.append(Problem("weekdays", "no_days"))
    ranges = sorted(schedule.time_ranges)
    if not ranges:
        problems.append(Problem("time_ranges", "no_times"))
    elif any(end <= start for start, end in ranges):
        problems.append(Problem("time_ranges", "end_before_start"))
    elif any(not split_range(start, end, schedule.slot_minutes) for start, end in ranges):
        problems.append(Problem("time_ranges", "shorter_than_a_slot"))
    elif any(later[0] < earlier[1] for earlier, later in pairwise(ranges)):
        problems.append(Problem("time_ranges", "overlap"))
    if schedule.ends_on is not None and schedule.ends_on < schedule.starts_on:
        problems.append(Problem("ends_on", "ends_before_start"))
    return problems


def schedules_clash(a: Schedule, b: Schedule) -> bool:
    """Two rules for the same items clash when their dates, their days and their times all meet."""
    dates_meet = (a.ends_on is None or b.starts_on <= a.ends_on) and (
        b.ends_on is None or a.starts_on <= b.ends_on
    )
    if not dates_meet or not (a.day_keys & b.day_keys):
        return False
    return any(
        a_start < b_end and b_start < a_end
        for a_start, a_end in a.time_ranges
        for b_start, b_end in b.time_ranges
    )
