"""Virus scanning, a plugin point like Django's EMAIL_BACKEND (STYLE.md).

``settings.TONGBAN_VIRUS_SCANNER`` is the dotted path of a VirusScanner class:
``backends.clamd.ClamdScanner`` (production and tests, THREATS T-C6) or ``backends.disabled.DisabledScanner``
(development; also used when the setting is missing). ``scan()`` is the only way code scans a file;
``check()`` is for the health page.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.core.virus_scan.base import CLEAN, ScannerUnavailable, ScanResult, VirusScanner

__all__ = ["CLEAN", "ScanResult", "ScannerUnavailable", "check", "scan"]

DISABLED = "tongban.core.virus_scan.backends.disabled.DisabledScanner"


def _scanner() -> VirusScanner:
    # Built per call: backends read their settings in __init__, which is cheap, and tests can
    # override settings without a cache to reset.
    return import_string(getattr(settings, "TONGBAN_VIRUS_SCANNER", "") or DISABLED)()


def scan(data: bytes) -> ScanResult:
    """The configured scanner's verdict on ``data``.

    Raises ScannerUnavailable (HTTP 503) when the scanner gives no verdict: callers keep the file
    unserved (待扫描) or refuse the upload, never treat it as clean.
    """
    return _scanner().scan(data)


def check() -> str:
    """The configured scanner's state in one line, for the health page; raises ScannerUnavailable."""
    return _scanner().check()
