from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ConsultationDraft:
    title: str
    summary: str
    department_id: int | None
    opens_on: dt.date | None  # the period runs from the start of opens_on to the end of closes_on
    closes_on: dt.date | None
    requires_premoderation: bool = False


@dataclass(frozen=True)
class InterviewDraft:
    title: str
    guests: str
    description: str
    department_id: int | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    requires_premoderation: bool = False


@dataclass(frozen=True)
class SectionResult:
    """采纳情况 of one section (or of the whole draft: section_id None)."""

    section_id: int | None
    heading: str
    comments: int
    adopted: int
    partly: int
    not_adopted: int


@dataclass(frozen=True)
class ResultCounts:
    comments: int
    adopted: int
    partly: int
    not_adopted: int
    sections: tuple[SectionResult, ...]
