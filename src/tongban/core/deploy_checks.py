"""Deploy checks (``manage.py check --deploy``) of settings that must never reach production: a virus
scanner that scans nothing (T-C6) and a wildcard in ALLOWED_HOSTS (T-N1, T-N5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils.module_loading import import_string

from tongban.core.virus_scan import DISABLED
from tongban.core.virus_scan.backends.disabled import DisabledScanner


def virus_scanner_scans(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    path = getattr(settings, "TONGBAN_VIRUS_SCANNER", "") or DISABLED
    try:
        scanner = import_string(path)
    except ImportError as exc:
        return [Error(f"TONGBAN_VIRUS_SCANNER {path!r} cannot be imported: {exc}", id="core.E002")]
    if isinstance(scanner, type) and issubclass(scanner, DisabledScanner):
        return [
            Error(
                f"TONGBAN_VIRUS_SCANNER is {path}, which scans nothing: uploaded materials would reach "
                "staff unscanned (T-C6).",
                hint="Set TONGBAN_VIRUS_SCANNER=tongban.core.virus_scan.backends.clamd.ClamdScanner and "
                "the TONGBAN_CLAMD_* settings of a running clamd.",
                id="core.E002",
            )
        ]
    return []


def allowed_hosts_are_explicit(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """'*' accepts any Host header, '.example.gov.cn' any subdomain (one taken over included): links
    built from the request's host (QR codes, redirects) could then point elsewhere (T-N5)."""
    wildcards = [host for host in settings.ALLOWED_HOSTS if host == "*" or host.startswith(".")]
    if not wildcards:
        return []
    return [
        Error(
            f"ALLOWED_HOSTS contains the wildcard(s) {', '.join(wildcards)}.",
            hint="List every host name the site answers to in TONGBAN_ALLOWED_HOSTS, e.g. "
            "zwfw.example.gov.cn,www.zwfw.example.gov.cn.",
            id="core.E003",
        )
    ]
