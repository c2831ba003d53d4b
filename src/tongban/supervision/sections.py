"""More cards on the supervision board from apps above supervision (好差评整改 is one), without
supervision importing them: each app registers a provider in its ``AppConfig.ready()``.

A provider is called with the supervisor's departments (None: every department) and today's date,
and returns a ``BoardSection`` that its own template renders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class BoardSection:
    title: str  # the card's heading, already translated
    template: str  # rendered with ``section`` in its context
    rows: Sequence[object]  # whatever the template shows, one per line; the heading counts them


class SectionProvider(Protocol):
    def __call__(self, *, department_ids: set[int] | None, today: dt.date) -> BoardSection: ...


_providers: list[SectionProvider] = []


def register(provider: SectionProvider) -> SectionProvider:
    """Add a card to the board (idempotent: ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(department_ids: set[int] | None, *, today: dt.date) -> list[BoardSection]:
    """Every registered card for the supervisor's departments, in registration order."""
    return [provider(department_ids=department_ids, today=today) for provider in _providers]
