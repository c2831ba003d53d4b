"""A step's reminder and escalation settings, as its BPMN properties (camunda:properties) state
them; supervision's periodic job acts on them and the inbox colours the step by them.

Upload refuses bad values (``validation``); anything unreadable in an older stored definition
counts as not set, so the job never fails on one task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class StepTimers:
    # Working days before the due date from which the handlers are reminded (催办提醒); None: the
    # configured share of the step's time (TONGBAN_WARNING_PERCENT), like every other warning.
    remind_before_days: int | None
    # Role whose holders in the task's department are alerted and a 督办 recorded; "" for none.
    escalate_to: str
    # Working days of grace after the due date: escalated on the next working day after them, so
    # 0 is the first working day overdue.
    escalate_after_days: int


def working_days(value: str | None) -> int | None:
    """A day-count property as written in a model (``limit_days`` …): a non-negative integer in
    ASCII digits ("²".isdigit() is true, but int() refuses it), else None."""
    return int(value) if value is not None and value.isascii() and value.isdigit() else None


def step_timers(properties: Mapping[str, str]) -> StepTimers:
    return StepTimers(
        remind_before_days=working_days(properties.get("remind_before_days")),
        escalate_to=properties.get("escalate", "").strip(),
        escalate_after_days=working_days(properties.get("escalate_after_days")) or 0,
    )
