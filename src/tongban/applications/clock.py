"""The application's clock (STANDARDS.md §2): the promised finish date counts working days from the
day after receipt; days in 补正 (correction) and 特别程序 (special procedures) do not count.

Everything is computed from stored timestamps, so it is right even when no background job ran.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tongban.applications.models import Application, ApplicationStatus
from tongban.core.calendar import add_natural_days, add_working_days, working_days_between


def promised_finish_date(
    *, submitted_at: dt.datetime, limit: int, unit: str, paused_days: int = 0
) -> dt.date:
    """The promised finish date: the day of receipt is not counted (STANDARDS.md §2); paused days
    (correction, special procedures) are added on the same kind of days as the limit."""
    if unit == "natural_day":
        return add_natural_days(submitted_at, limit + paused_days)
    return add_working_days(submitted_at, limit + paused_days)


def _pauses(application: Application) -> list[tuple[dt.datetime, dt.datetime | None]]:
    # Iterated, not queried: a case page prefetches both (a list of cases reads every case's pauses
    # in two queries and counts them with ``days_paused``).
    corrections = [(c.requested_at, c.resolved_at) for c in application.corrections.all()]
    procedures = [(p.started_at, p.ended_at) for p in application.special_procedures.all()]
    return [*corrections, *procedures]


def paused_days(
    application: Application,
    *,
    unit: str = "working_day",
    now: dt.datetime | None = None,
    ended_only: bool = False,
) -> int:
    """Days the clock stood still: for each pause, the days strictly after it began up to and
    including the day it ended (or today, while it lasts; not at all with ``ended_only``). A pause
    that begins and ends on the same day costs nothing; overlapping pauses are counted once per day."""
    return days_paused(_pauses(application), unit=unit, now=now, ended_only=ended_only)


def days_paused(
    pauses: list[tuple[dt.datetime, dt.datetime | None]],
    *,
    unit: str = "working_day",
    now: dt.datetime | None = None,
    ended_only: bool = False,
) -> int:
    """``paused_days`` of the (start, end or None) pauses of a case: a list loads every case's
    pauses in two queries and counts here."""
    now = now or timezone.now()
    if ended_only:
        pauses = [(start, end) for start, end in pauses if end is not None]
    if unit == "natural_day":
        days: set[dt.date] = set()
        for start, end in pauses:
            first = timezone.localdate(start) + dt.timedelta(days=1)
            last = timezone.localdate(end or now)
            days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return len(days)
    total = 0
    for start, end in _merged(pauses, now):
        total += working_days_between(start, end)
    return total


def _merged(
    pauses: list[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = sorted((start, end or now) for start, end in pauses)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def is_paused(application: Application) -> bool:
    return stands_still(
        application.status,
        in_procedure=any(procedure.ended_at is None for procedure in application.special_procedures.all()),
    )


def stands_still(status: str, *, in_procedure: bool) -> bool:
    """Whether a case's clock stands still: waiting for the applicant's 补正, or in an open 特别程序."""
    return status == ApplicationStatus.CORRECTION_REQUESTED or in_procedure
