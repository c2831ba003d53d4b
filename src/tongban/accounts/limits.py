"""Fixed-window counters in Django's cache for the request quotas of THREATS T-A1, T-A3 and T-K5.

The cache must be shared by every app node in production (Redis, ``TONGBAN_REDIS_URL``; the deploy check
``accounts.E003`` refuses anything else); a per-process memory cache multiplies each limit by the number
of processes. Counting is atomic: Redis creates the counter with its expiry and increments it in one
MULTI/EXEC transaction, so parallel requests on any worker never read-modify-write a count, and a counter
never outlives its window. Keys hold a keyed hash of the phone or address, never the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window_seconds: int


# Values fixed by the threat model (documented in services.py); per-address ones come from settings
# because offices and mobile carriers put many people behind one address.
CODE_PER_PHONE_MINUTE = Limit("code-phone-minute", 1, 60)
CODE_PER_PHONE_DAY = Limit("code-phone-day", 10, 24 * 3600)
PASSWORD_FAILURES_PER_ACCOUNT = Limit("login-account", 5, 15 * 60)
DUPLICATE_NOTICE_PER_ACCOUNT = Limit("duplicate-notice", 1, 24 * 3600)


def codes_per_address() -> Limit:
    return Limit("code-address-hour", getattr(settings, "TONGBAN_SMS_CODES_PER_IP_PER_HOUR", 20), 3600)


def login_failures_per_address() -> Limit:
    return Limit("login-address", getattr(settings, "TONGBAN_LOGIN_FAILURES_PER_IP", 20), 15 * 60)


def _key(limit: Limit, subject: str) -> str:
    digest = salted_hmac("tongban.accounts.limits", subject, algorithm="sha256").hexdigest()[:40]
    return f"tongban:limit:{limit.name}:{digest}"


def hit(limit: Limit, subject: str) -> bool:
    """Count one hit for ``subject``; True while the count is within the limit."""
    return _count(_key(limit, subject), limit.window_seconds) <= limit.max_hits


def _count(key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` (created with a lifetime of ``window_seconds``); the new count."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Django's incr() checks EXISTS before INCR: a key expiring in between would come back without
        # an expiry and lock its subject out for good. SET NX EX + INCR in one transaction cannot.
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(full_key, 0, ex=window_seconds, nx=True)
            pipe.incr(full_key)
            return int(pipe.execute()[1])
    # The memory cache (development, tests) increments under its lock, within one process.
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, window_seconds)
        return 1


def is_reached(limit: Limit, subject: str) -> bool:
    """Whether ``subject`` already used every hit of the current window (counts nothing)."""
    return (cache.get(_key(limit, subject)) or 0) >= limit.max_hits


def reset(limit: Limit, subject: str) -> None:
    cache.delete(_key(limit, subject))
