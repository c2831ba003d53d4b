"""What a subject is, for pages that list tasks of every family (待办/已办/抄送), and whether it is on
hold (an application waiting for the applicant's 补正: its clock stands still, so no timeout acts on
it). The app owning a kind of subject (``request:`` for 内部事项, ``application:`` for 办件) registers
in its ``AppConfig.ready``; the workflow asks here without importing that app (it sits above)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectSummary:
    """One subject as a task list shows it: its number, what it is about, who started it, and the
    pages of one of its tasks (``task_url(task_id)``, ``claim_url(task_id)``) and of itself."""

    number: str
    title: str
    party: str
    page_url: str
    task_url: Callable[[object], str]
    claim_url: Callable[[object], str]


Describer = Callable[[list[str]], dict[str, SubjectSummary]]
_describers: dict[str, Describer] = {}


def register(prefix: str, describer: Describer) -> None:
    _describers[prefix] = describer


def describe(subjects: Iterable[str]) -> dict[str, SubjectSummary]:
    """Summaries of the subjects a registered app owns (others are left out)."""
    wanted = sorted(set(subjects))
    found: dict[str, SubjectSummary] = {}
    for prefix, describer in _describers.items():
        mine = [s for s in wanted if s.startswith(prefix)]
        if mine:
            found |= describer(mine)
    return found


HoldCheck = Callable[[list[str]], set[str]]
_hold_checks: dict[str, HoldCheck] = {}


def register_hold(prefix: str, check: HoldCheck) -> None:
    """``check(subjects)`` answers which of the given subjects (all with ``prefix``) are on hold."""
    _hold_checks[prefix] = check


def unregister_hold(prefix: str) -> None:
    _hold_checks.pop(prefix, None)


def on_hold(subjects: Iterable[str]) -> set[str]:
    wanted = sorted(set(subjects))
    held: set[str] = set()
    for prefix, check in _hold_checks.items():
        mine = [s for s in wanted if s.startswith(prefix)]
        if mine:
            held |= check(mine)
    return held
