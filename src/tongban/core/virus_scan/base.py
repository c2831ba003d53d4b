"""What every virus-scanner backend provides, and what it answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from tongban.core.errors import TongbanError

LIMIT_EXCEEDED = "Heuristics.Limits.Exceeded"


@dataclass(frozen=True)
class ScanResult:
    """A scanner's verdict on one file; ``signature`` names what it found (empty when clean)."""

    is_infected: bool
    signature: str = ""

    @property
    def is_incomplete(self) -> bool:
        """The scanner stopped at one of its limits before the end (clamd's ``AlertExceedsMax``): not a
        virus found, but not a clean file either; it is refused like one."""
        return self.signature.startswith(LIMIT_EXCEEDED)


CLEAN = ScanResult(is_infected=False)


class ScannerUnavailable(TongbanError):
    """The scanner could not give a verdict (down, timed out, refused the file): HTTP 503.

    Fail closed (THREATS T-C6): a file that could not be scanned is never treated as clean.
    """

    status = 503

    def __init__(self) -> None:
        super().__init__(_("文件安全检查暂时不可用，请稍后重试"), code="scanner_unavailable")


class VirusScanner(Protocol):
    def scan(self, data: bytes) -> ScanResult:
        """The verdict on ``data``; raises ScannerUnavailable when there is none."""
        ...

    def check(self) -> str:
        """One line for the health page (engine and signature version); raises ScannerUnavailable."""
        ...
