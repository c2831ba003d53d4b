"""A step's reminder, escalation and timeout settings, as its BPMN properties (camunda:properties)
state them; supervision's periodic job acts on reminders and escalations, the inbox colours the step
by them, and ``services.apply_timeout_actions`` completes steps that time out (approve, reject).

``timeout_action`` (issue 14, yudao's set) is an alias over what supervision already does, not a
second mechanism: ``escalate`` is ``escalate`` (default role ``supervisor``) with
``escalate_after_days`` = ``timeout_after_days``; ``remind`` is the overdue reminder (超期 card)
every step with a due date gets on its first overdue working day.

Upload refuses bad values (``validation``); anything unreadable in an older stored definition
counts as not set, so the job never fails on one task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TIMEOUT_ACTIONS = ("remind", "escalate", "approve", "reject")
# What a step that times out with approve / reject decides: its ``decision`` variable and the
# system opinion recorded on it.
TIMEOUT_COMPLETIONS = {"approve": (True, _("超时自动通过")), "reject": (False, _("超时自动不通过"))}


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
    # approve / reject: completed by the system this many working days after the due date ("" none).
    timeout_action: str
    timeout_after_days: int


def working_days(value: str | None) -> int | None:
    """A day-count property as written in a model (``limit_days`` …): a non-negative integer in
    ASCII digits ("²".isdigit() is true, but int() refuses it), else None."""
    return int(value) if value is not None and value.isascii() and value.isdigit() else None


def step_timers(properties: Mapping[str, str]) -> StepTimers:
    action = properties.get("timeout_action", "").strip()
    after = working_days(properties.get("timeout_after_days")) or 0
    escalate_to = properties.get("escalate", "").strip()
    escalate_after = working_days(properties.get("escalate_after_days"))
    if action == "escalate":
        escalate_to = escalate_to or "supervisor"
        escalate_after = after if escalate_after is None else escalate_after
    return StepTimers(
        remind_before_days=working_days(properties.get("remind_before_days")),
        escalate_to=escalate_to,
        escalate_after_days=escalate_after or 0,
        timeout_action=action if action in TIMEOUT_ACTIONS else "",
        timeout_after_days=after,
    )
