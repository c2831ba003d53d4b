"""The 督办 rules that need no database: when feedback is due, whether one was late."""

from __future__ import annotations

import datetime as dt

from tongban.core.calendar import add_working_days

# A 反馈周期 in working days (core.calendar): weekly every 5, monthly every 20 (a month's working days
# less its holidays, the usual "每月反馈" of a 督办通知). One-off: once, by the item's deadline.
CYCLE_WORKING_DAYS = {"weekly": 5, "monthly": 20}
MAX_DEADLINE_DAYS = 250  # a year of working days
MAX_EXTENSION_DAYS = 60


def feedback_due_dates(*, cycle: str, start: dt.datetime | dt.date, due: dt.date) -> list[dt.date]:
    """The dates by which a 阶段反馈 is due, from ``start`` (签收) to the item's deadline ``due``:
    every cycle period's end before the deadline, then the deadline itself."""
    period = CYCLE_WORKING_DAYS.get(cycle)
    dates: list[dt.date] = []
    if period is not None:
        k = 1
        while (day := add_working_days(start, period * k)) < due:
            dates.append(day)
            k += 1
    dates.append(due)
    return dates


def next_due(due_dates: list[dt.date], answered: int) -> dt.date | None:
    """The due date the next feedback answers: the earliest not yet answered by one of the
    ``answered`` feedbacks given so far; None once every one was answered."""
    return due_dates[answered] if answered < len(due_dates) else None


def is_late(*, submitted_on: dt.date, due: dt.date | None) -> bool:
    """A feedback given after the due date it answers is late (given on the day is in time)."""
    return due is not None and submitted_on > due
