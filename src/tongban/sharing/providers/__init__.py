"""Data providers: a resource's data comes from a named provider (STYLE.md: per-item choices use a
registry). The base registries register theirs in ``providers/registries.py``; another app registers
its own in its ``AppConfig.ready()``, e.g. the e-licenses app::

    from tongban.sharing import providers

    @providers.register("licenses.business_license", subject_kind="enterprise",
                        prefill={"license_number": "enterprise.license_number"})
    def business_license(subject_key: str, *, today: dt.date) -> dict[str, object] | None:
        ...

``fetch`` receives the subject key (the resident-ID keyed hash for persons, the USCC for legal
persons) and returns every item it knows, keyed by item code, or None when it has no such subject.
The exchange keeps only the granted items and logs the use; never call a provider directly.
``prefill`` maps item codes to the form prefill keys (tongban.schemaforms PREFILL_KEYS) they fill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Fetch = Callable[..., Mapping[str, object] | None]


@dataclass(frozen=True)
class Provider:
    name: str
    subject_kind: str  # person, enterprise
    fetch: Fetch
    prefill: Mapping[str, str] = field(default_factory=dict)

    def read(self, subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
        return self.fetch(subject_key, today=today)


_registry: dict[str, Provider] = {}


def register(
    name: str, *, subject_kind: str, prefill: Mapping[str, str] | None = None
) -> Callable[[Fetch], Fetch]:
    """Register ``fetch`` as the provider ``name``; a second registration of a name is a programming error."""

    def decorator(fetch: Fetch) -> Fetch:
        if name in _registry and _registry[name].fetch is not fetch:
            raise ValueError(f"data provider {name!r} is already registered")
        _registry[name] = Provider(
            name=name, subject_kind=subject_kind, fetch=fetch, prefill=dict(prefill or {})
        )
        return fetch

    return decorator


def get(name: str) -> Provider | None:
    return _registry.get(name)


def names() -> list[str]:
    return sorted(_registry)
