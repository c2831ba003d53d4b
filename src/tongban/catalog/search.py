"""Ranked catalogue search in the database's own full-text index (catalog migrations 0004–0007).

Every match is ranked, not a first slice of them, and the work is bounded by the number of results
asked for, not by the number of matches. The ranking key, best first:

1. how many query words the item's name holds as typed (社保卡);
2. for names holding none of them as typed: how many they hold as all of the shorter words jieba
   finds inside them (社保卡 → 社保, 结婚登记 → 结婚 + 登记);
3. the index order: the shorter name first (the general item before its local variants), then the
   item id. The index stores its rows in this order (an FTS5 rowid of length(name) << 40 | item_id on
   SQLite, a b-tree over the same values on PostgreSQL).

The key is met by asking the index a short list of "tiers", best first (all words in the name, at
least n−1 of them, …, at least one, as typed and then with their parts; then every match), each
read in index order and stopped after `limit` rows; a tier's rows not already taken follow the rows
of the tiers before it. On PostgreSQL an EXPLAIN estimate picks how a tier is read (_PostgresIndex).

An item matches when it holds every query word (name or text). When no item does and the query has
several words, an item holding any of them matches, and keys 1–2 become how many words it holds.
Synonyms, pinyin and did-you-mean are applied around this ranking (catalog.understanding, issue 19).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from math import comb
from typing import Any

from django.db import connection, transaction

from tongban.core.search import sub_words

# SQLite's FTS5 rowid: the name's length above these bits, the item id below (migration 0005).
ORDER_SHIFT = 40
# A tier "at least m of the n words" is an OR of C(n, m) terms; bigger ones are skipped (the ranking
# gets coarser there, never wrong).
MAX_TIER_TERMS = 10


@dataclass(frozen=True)
class Word:
    """A query word and its alternative: all of its sub-words (empty when jieba finds none)."""

    text: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Holds:
    """The item holds the word: in its name only (in_name) or anywhere; as itself only (exact) or
    also as all of its sub-words."""

    word: Word
    in_name: bool
    exact: bool = False


@dataclass(frozen=True)
class AllOf:
    terms: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    terms: tuple[Condition, ...]


Condition = Holds | AllOf | AnyOf


def query_plan(words: list[str]) -> list[Word]:
    return [Word(text=w, parts=tuple(sub_words(w))) for w in words]


@dataclass(frozen=True)
class Ranking:
    item_ids: list[int]
    # Every item holds every query word; False when only items holding some of them were found.
    every_word: bool


def ranked_item_ids(*, words: list[Word], limit: int) -> list[int]:
    """Ids of the best `limit` published items for the query words, best first."""
    return ranking(words=words, limit=limit).item_ids


def ranking(*, words: list[Word], limit: int) -> Ranking:
    """The best `limit` published items for the query words, and whether they hold every word."""
    if not words:
        return Ranking([], every_word=True)
    if connection.vendor == "sqlite":
        return _ranked(_SqliteIndex(), words, limit)
    with transaction.atomic(), connection.cursor() as cursor:
        # The token arrays are stored out of line (migration 0007), and the planner does not count
        # fetching them: it took a sequential scan of 10,000 rows (48 ms, 29,500 buffers) over the
        # GIN index (9 ms). The index is the only sensible way here, for this transaction only.
        cursor.execute("SET LOCAL enable_seqscan = off")
        return _ranked(_PostgresIndex(), words, limit)


def _ranked(index: _Index, words: list[Word], limit: int) -> Ranking:
    ids = _collect(index, _tiers_every_word(words), limit)
    if not ids and len(words) > 1:
        return Ranking(_collect(index, _tiers_any_word(words), limit), every_word=False)
    return Ranking(ids, every_word=True)


def _at_least(count: int, terms: list[Holds]) -> Condition:
    if count == 1:
        return AnyOf(tuple(terms))
    return AnyOf(tuple(AllOf(group) for group in combinations(terms, count)))


def _tiers_every_word(words: list[Word]) -> Iterator[Condition]:
    every = AllOf(tuple(Holds(w, in_name=False) for w in words))
    # Names holding the words as typed first (社保卡), then those holding only their parts (社保).
    exact_forms = [True, False] if any(w.parts for w in words) else [True]
    for exact in exact_forms:
        in_name = [Holds(w, in_name=True, exact=exact) for w in words]
        for count in range(len(words), 0, -1):
            if comb(len(words), count) <= MAX_TIER_TERMS:
                yield AllOf((every, _at_least(count, in_name)))
    yield every


def _tiers_any_word(words: list[Word]) -> Iterator[Condition]:
    anywhere = [Holds(w, in_name=False) for w in words]
    for count in range(len(words) - 1, 0, -1):
        if comb(len(words), count) <= MAX_TIER_TERMS:
            yield _at_least(count, anywhere)


def _collect(index: _Index, tiers: Iterator[Condition], limit: int) -> list[int]:
    found: dict[int, None] = {}
    for tier in tiers:
        # Rows already taken may come again (tiers overlap); asking for that many more rows leaves
        # enough new ones.
        for item_id in index.first(tier, limit=limit + len(found)):
            found.setdefault(item_id, None)
        if len(found) >= limit:
            break
    return list(found)[:limit]


class _Index:
    def first(self, condition: Condition, *, limit: int) -> list[int]:
        """The first `limit` item ids meeting the condition, in index order."""
        raise NotImplementedError


class _PostgresIndex(_Index):
    """GIN indexes over the token arrays `terms` (name and text) and `name_terms`."""

    def _sql(self, condition: Condition, params: list) -> str:
        if isinstance(condition, Holds):
            column = "s.name_terms" if condition.in_name else "s.terms"
            params.append([condition.word.text])
            if condition.exact or not condition.word.parts:
                return f"{column} @> %s::text[]"
            params.append(list(condition.word.parts))
            return f"({column} @> %s::text[] OR {column} @> %s::text[])"
        joiner = " AND " if isinstance(condition, AllOf) else " OR "
        return "(" + joiner.join(self._sql(term, params) for term in condition.terms) + ")"

    def first(self, condition: Condition, *, limit: int) -> list[int]:
        params: list = []
        where = self._sql(condition, params)
        # Only fixed fragments are joined into the statement; every value is a parameter.
        matches = (
            f"SELECT s.item_id, length(s.name) AS name_length FROM catalog_itemsearchindex s WHERE {where}"  # noqa: S608
        )
        with connection.cursor() as cursor:
            # Two ways to the first rows: walk the b-tree in ranking order and test each row (fast
            # when matches are common), or take every match from the GIN index and sort them (fast
            # when they are few). The planner assumes matches are spread evenly along the b-tree;
            # they are not (items naming 身份证 have long names), and it walked 30,000 rows for
            # 201. So the GIN estimate decides: few matches are always taken from the GIN index.
            cursor.execute(f"EXPLAIN (FORMAT JSON) {matches}", params)
            estimate = _plan_rows(cursor.fetchone()[0])
            if estimate <= FEW_MATCHES:
                sql = (
                    f"WITH m AS MATERIALIZED ({matches}) "  # noqa: S608
                    "SELECT item_id FROM m ORDER BY name_length, item_id LIMIT %s"
                )
            else:
                sql = f"{matches} ORDER BY length(s.name), s.item_id LIMIT %s"
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]


# Up to this many estimated matches, PostgreSQL sorts them all rather than walking the ranking order.
FEW_MATCHES = 5000


def _plan_rows(plan: str | list[dict[str, Any]]) -> float:
    # psycopg returns EXPLAIN's JSON decoded; a driver may hand over the text.
    document = json.loads(plan) if isinstance(plan, str) else plan
    return float(document[0]["Plan"]["Plan Rows"])


class _SqliteIndex(_Index):
    """The FTS5 table catalog_itemsearch_fts, whose rowid order is the index order."""

    def _match(self, condition: Condition) -> str:
        if isinstance(condition, Holds):
            word = condition.word
            quoted = [_fts_quote(word.text)]
            if word.parts and not condition.exact:
                quoted.append("(" + " AND ".join(_fts_quote(p) for p in word.parts) + ")")
            expression = "(" + " OR ".join(quoted) + ")"
            return f"name_tokens : {expression}" if condition.in_name else expression
        joiner = " AND " if isinstance(condition, AllOf) else " OR "
        return "(" + joiner.join(self._match(term) for term in condition.terms) + ")"

    def first(self, condition: Condition, *, limit: int) -> list[int]:
        # FTS5 returns rows in rowid order, so LIMIT stops the scan after `limit` rows.
        sql = (
            "SELECT rowid FROM catalog_itemsearch_fts WHERE catalog_itemsearch_fts MATCH %s "
            "ORDER BY rowid LIMIT %s"
        )
        mask = (1 << ORDER_SHIFT) - 1
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(condition), limit])
            return [row[0] & mask for row in cursor.fetchall()]


def _fts_quote(token: str) -> str:
    # An FTS5 string: any character may appear inside double quotes, a quote doubled.
    return '"' + token.replace('"', '""') + '"'
