"""Values the archives app takes and gives: files to archive, the integrity report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileToArchive:
    name: str  # within the 件, e.g. sealed.pdf (an archive format: pdf, json, html, png)
    label: str  # what it is, e.g. 用印公文
    data: bytes


@dataclass(frozen=True)
class CheckResult:
    check: str  # authenticity | integrity | usability | security (DA/T 70 四性)
    passed: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntegrityReport:
    """四性检测 of one 件."""

    record_id: int
    archival_code: str
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


@dataclass(frozen=True)
class RecordRow:
    """A 件 as the archive list shows it."""

    id: int
    archival_code: str
    title: str
    document_number: str
    responsible: str
    date: str
    retention_label: str
    source_label: str
