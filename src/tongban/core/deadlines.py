"""Warning levels for anything with a start and a due date (电子监察 yellow and red cards).

Computed from stored dates each time it is read, so a level is right even if no job ran.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings

from tongban.core.calendar import working_days_between


class Level(StrEnum):
    NORMAL = "normal"
    YELLOW = "yellow"  # used ≥ TONGBAN_WARNING_PERCENT of the time
    RED = "red"  # overdue

    @property
    def label(self) -> str:
        return {"normal": "正常", "yellow": "黄牌预警", "red": "红牌超期"}[self.value]


def warning_level(
    *,
    start: dt.datetime | dt.date,
    due: dt.date | None,
    today: dt.date,
    paused_days: int = 0,
    remind_before: int | None = None,
) -> Level:
    """RED after the due date; YELLOW once the working days used reach the configured share of the
    working days allowed; NORMAL otherwise or without a due date. ``due`` already includes the
    ``paused_days`` (补正, 特别程序), which count neither as used nor as allowed.

    ``remind_before`` (a step's ``remind_before_days``) replaces the share: YELLOW from the day that
    is that many working days before the due date (0: the due date itself)."""
    if due is None:
        return Level.NORMAL
    if today > due:
        return Level.RED
    if remind_before is not None:
        return Level.YELLOW if working_days_between(today, due) <= remind_before else Level.NORMAL
    allowed = working_days_between(start, due) - paused_days
    used = max(working_days_between(start, today) - paused_days, 0)
    if allowed == 0 or used * 100 >= allowed * settings.TONGBAN_WARNING_PERCENT:
        return Level.YELLOW
    return Level.NORMAL
