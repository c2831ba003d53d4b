"""Results shown above the search's items: higher apps register a provider (一件事 bundles, issue 19)
that answers a query with its own hits. The catalogue never imports them; the search page lists
what the providers return first, in registration order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Featured:
    kind: str  # a short label such as 一件事
    title: str
    url: str
    summary: str = ""
    parts: tuple[str, ...] = ()  # e.g. the items a bundle holds


Provider = Callable[[str], list[Featured]]
_providers: list[Provider] = []


def register_featured(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def featured_for(query: str) -> list[Featured]:
    """What every provider finds for the query, first provider first."""
    return [hit for provider in _providers for hit in provider(query)]
