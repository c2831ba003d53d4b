"""Generation numbers of what the search keeps in each process (the synonym table, the did-you-mean
vocabulary), in Django's cache: a committed change sets a new one, and every process rebuilds its
copy on its next search. With the in-process cache of development each process sees only its own
changes; the copies are rebuilt after a few minutes at most anyway."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

SYNONYMS = "catalog:synonyms:generation"
CATALOGUE = "catalog:vocabulary:generation"


def bump(key: str) -> None:
    """A new generation for ``key`` when the current transaction commits."""
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def current(key: str) -> str | None:
    return cache.get(key)
