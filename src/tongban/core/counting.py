"""Several bounded counts in one statement: the workbench navigation shows a number beside a dozen
entries on every staff page, and one round trip costs what one COUNT does.

A count is described by a ``CountSource``: the rows to count (a queryset, already cut at the limit
where the count may stop), a tuple of such querysets whose counts add up, a number already known,
or ``None`` for nothing to count (0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet

Rows = QuerySet[Any, Any]  # the keys of the rows a count counts
CountSource = Rows | tuple[Rows, ...] | int | None


def first_rows(rows: QuerySet[Any, Any], limit: int | None) -> QuerySet[Any, Any]:
    """The keys of ``rows``, no more than ``limit`` of them: counting them stops at ``limit``."""
    keys = rows.values("pk")
    return keys[:limit] if limit is not None else keys


def count_all(sources: Sequence[CountSource]) -> list[int]:
    """Each source's count, with every queryset counted in one SELECT of scalar subqueries."""
    counts = [source if isinstance(source, int) else 0 for source in sources]
    queries = [
        (i, rows)
        for i, source in enumerate(sources)
        for rows in (source if isinstance(source, tuple) else (source,))
        if isinstance(rows, QuerySet)
    ]
    if not queries:
        return counts
    aliases = {rows.db for _, rows in queries}
    if len(aliases) != 1:
        raise ValueError("count_all counts on one database at a time")
    parts: list[str] = []
    params: list[Any] = []
    for n, (_, rows) in enumerate(queries):
        sql, rows_params = rows.query.get_compiler(using=rows.db).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{n})")  # noqa: S608 - SQL compiled by the ORM
        params.extend(rows_params)
    with connections[aliases.pop()].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    for (i, _), value in zip(queries, row, strict=True):
        counts[i] += int(value)
    return counts


def count_one(source: CountSource) -> int:
    """One source's count (one COUNT query when it is a queryset)."""
    return count_all([source])[0]
