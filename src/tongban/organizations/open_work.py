"""Where a leaver's unfinished work is found. Organizations sits below the apps that hand out work
(workflow's tasks), so each of them registers a source here in its ``AppConfig.ready()``; the people
pages list what the sources return when an account is deactivated, each with a link to hand it on."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tongban.organizations.types import OpenWork

OpenWorkSource = Callable[[int], Iterable[OpenWork]]

_sources: list[OpenWorkSource] = []


def register_open_work_source(source: OpenWorkSource) -> None:
    """Add ``source`` (user id → the work in that person's hands); registering it again does nothing."""
    if source not in _sources:
        _sources.append(source)


def open_work_of(user_id: int) -> list[OpenWork]:
    """Everything in the hands of ``user_id``, oldest first, from every registered source."""
    return sorted((work for source in _sources for work in source(user_id)), key=lambda w: w.since)
