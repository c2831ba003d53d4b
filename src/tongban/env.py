"""Settings values from environment variables, each with a help text.

``dev=`` is the value used when nothing is set and ``TONGBAN_DEBUG`` is on, so that ``make run``
works on a fresh machine. With ``TONGBAN_DEBUG=false`` a variable without a value stops start-up:
production never runs on a development default. ``manage.py envdoc`` writes the registry to
``docs/configuration.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_UNSET: Any = object()


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    help: str
    dev: Any
    default: Any


REGISTRY: dict[str, Variable] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _debug() -> bool:
    return os.environ.get("TONGBAN_DEBUG", "true").strip().lower() not in _FALSE


def _raw(name: str, kind: str, *, help: str, dev: Any, default: Any) -> str | Any:
    REGISTRY[name] = Variable(name=name, kind=kind, help=help, dev=dev, default=default)
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if default is not _UNSET:
        return default
    if dev is not _UNSET and _debug():
        return dev
    raise ImproperlyConfigured(f"{name} must be set when TONGBAN_DEBUG is false: {help}")


def str_(name: str, *, help: str, dev: Any = _UNSET, default: Any = _UNSET) -> str:
    return str(_raw(name, "string", help=help, dev=dev, default=default))


def bool_(name: str, *, help: str, dev: Any = _UNSET, default: Any = _UNSET) -> bool:
    value = _raw(name, "boolean", help=help, dev=dev, default=default)
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def int_(name: str, *, help: str, dev: Any = _UNSET, default: Any = _UNSET) -> int:
    value = _raw(name, "integer", help=help, dev=dev, default=default)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def list_(name: str, *, help: str, dev: Any = _UNSET, default: Any = _UNSET) -> list[str]:
    value = _raw(name, "comma-separated list", help=help, dev=dev, default=default)
    if isinstance(value, list):
        return value
    return [part.strip() for part in value.split(",") if part.strip()]


def db(name: str, *, help: str, dev: Any = _UNSET, default: Any = _UNSET) -> dict[str, Any]:
    url = _raw(name, "database URL", help=help, dev=dev, default=default)
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    # Keep connections open: reconnecting per request cost 4.5x here (see README, scale path).
    conn_max_age = int_(
        "TONGBAN_DB_CONN_MAX_AGE",
        help="Seconds a PostgreSQL connection is reused; 0 behind pgbouncer in transaction mode.",
        default=600,
    )
    pgbouncer = bool_(
        "TONGBAN_DB_PGBOUNCER",
        help="true when DATABASE_URL points at pgbouncer in transaction mode: disables server-side "
        "cursors (set TONGBAN_DB_CONN_MAX_AGE=0 too).",
        default=False,
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = True
        # pgbouncer in transaction mode hands each transaction to any server connection: a server-side
        # cursor (QuerySet.iterator()) would outlive its transaction (deploy/pgbouncer/pgbouncer.ini).
        config["DISABLE_SERVER_SIDE_CURSORS"] = pgbouncer
    else:
        # WAL lets pages read while a request writes; synchronous=NORMAL is durable in WAL mode except
        # for the last transactions on a power cut (not an OS crash). FULL cost a sync per commit.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def is_debug() -> bool:
    """Whether development defaults apply (``TONGBAN_DEBUG`` is not false)."""
    return _debug()
