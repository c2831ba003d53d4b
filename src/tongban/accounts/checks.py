"""Deploy checks (``manage.py check --deploy``): the staff second factor is wired in (T-A4, T-A5) and the
login and SMS-code limits count in a cache that every process shares (T-A1, T-A3, T-K5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from tongban.accounts import totp

# Backends whose counters every process and node sees, with an atomic increment (accounts.limits).
SHARED_CACHE_BACKENDS = frozenset({"django.core.cache.backends.redis.RedisCache"})

SECOND_FACTOR_MIDDLEWARE = "tongban.accounts.middleware.StaffSecondFactorMiddleware"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def staff_second_factor(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    middleware = list(settings.MIDDLEWARE)
    if (
        SECOND_FACTOR_MIDDLEWARE not in middleware
        or AUTHENTICATION_MIDDLEWARE not in middleware
        or middleware.index(SECOND_FACTOR_MIDDLEWARE) < middleware.index(AUTHENTICATION_MIDDLEWARE)
    ):
        problems.append(
            Error(
                f"{SECOND_FACTOR_MIDDLEWARE} must be in MIDDLEWARE, after {AUTHENTICATION_MIDDLEWARE}.",
                hint="Without it a staff account logged in with a password only reaches staff pages (T-A5).",
                id="accounts.E001",
            )
        )
    try:
        totp.check_key()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="accounts.E002"))
    return problems


def shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHE_BACKENDS:
        return []
    return [
        Error(
            f"The default cache is {backend or 'not configured'}, which is not shared between processes.",
            hint="Set TONGBAN_REDIS_URL. With a per-process cache every gunicorn worker counts login "
            "failures and SMS codes on its own, which multiplies each limit by the number of workers "
            "(THREATS T-A1, T-A3).",
            id="accounts.E003",
        )
    ]
