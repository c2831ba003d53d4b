"""``/readyz``: whether this node can serve, dependency by dependency (the load balancer takes a node
out while any answers "unavailable"). ``/healthz`` (core.views.health) stays the cheap liveness check.

Each check answers "ok", "not configured" (a dependency this deployment does without: no broker in
development, where tasks run in-process; no clamd when scanning is off) or "unavailable". The reason of
a failure goes to the log only: the JSON body names no host, port, path or exception.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tongban.core import virus_scan

logger = logging.getLogger(__name__)

OK = "ok"
NOT_CONFIGURED = "not configured"
UNAVAILABLE = "unavailable"
BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def check_cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return OK if found == "1" else UNAVAILABLE


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return NOT_CONFIGURED
    from kombu import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return OK


def check_clamd() -> str:
    if (getattr(settings, "TONGBAN_VIRUS_SCANNER", "") or virus_scan.DISABLED) == virus_scan.DISABLED:
        return NOT_CONFIGURED
    virus_scan.check()
    return OK


def check_storage() -> str:
    """Write and delete a probe file under MEDIA_ROOT (a full or read-only disk fails here)."""
    name = default_storage.save(f"readyz/probe-{uuid.uuid4().hex}", ContentFile(b"readyz"))
    try:
        return OK if default_storage.exists(name) else UNAVAILABLE
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "clamd": check_clamd,
    "storage": check_storage,
}


def run_checks() -> dict[str, str]:
    """Every check's answer by name; a check that raises is "unavailable" (logged with its reason)."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = UNAVAILABLE
    return results


def is_ready(results: dict[str, str]) -> bool:
    return all(result in (OK, NOT_CONFIGURED) for result in results.values())
