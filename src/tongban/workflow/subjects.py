"""What a subject is, for pages that list tasks of every family (待办/已办/抄送). The app owning a
kind of subject (``request:`` for 内部事项) registers a describer in its ``AppConfig.ready``; the
inbox asks here without importing that app (it sits above the inbox in the layers)."""

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
