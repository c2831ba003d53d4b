"""Groups a case belongs to (一件事 bundles, issue 19), named by the apps that make them: a provider
registered by a higher app answers, for case ids, the group's number, page and sibling cases. 待办 and
the case page show them; applications never imports those apps."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Sibling:
    application_id: int
    number: str
    item_name: str
    status: str


@dataclass(frozen=True)
class CaseGroup:
    kind: str  # 一件事
    number: str
    name: str
    url: str  # the group's staff page
    siblings: tuple[Sibling, ...] = ()


Provider = Callable[[Collection[int]], dict[int, CaseGroup]]
_providers: list[Provider] = []


def register_case_groups(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def case_groups(application_ids: Collection[int]) -> dict[int, CaseGroup]:
    """The group of each case that has one (one query per provider, none without ids)."""
    found: dict[int, CaseGroup] = {}
    if not application_ids:
        return found
    for provider in _providers:
        for application_id, group in provider(application_ids).items():
            found.setdefault(application_id, group)
    return found
