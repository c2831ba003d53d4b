"""Ranked catalogue search in the database's own full-text index (migration 0004).

Every match is ranked, not a first slice of them. The ranking key, best first:

1. how many query words the item's name holds (a word counts when the name has it as a token, or
   has every shorter word jieba finds inside it: 结婚登记 → 结婚 + 登记);
2. whether the name holds the query exactly as typed;
3. how many query words the item holds anywhere (only differs when not every word matched);
4. the shorter name (the general item before its local variants), then the name, then the id.

Work is bounded in two stages. The index finds the matches; the exact key is computed only for the
"name" tier (items whose name holds at least one query word), which key 1 puts above every other match,
so the best `limit` of the name tier are the best overall. The other tier, items matching in their
text only, is ranked only when the name tier has fewer than `limit` items.

The match itself: an item matches when it holds every query word (name or text); when no item does
and the query has several words, an item holding any of them matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from tongban.core.search import sub_words


@dataclass(frozen=True)
class Word:
    """A query word and its alternative: all of its sub-words (empty when jieba finds none)."""

    text: str
    parts: tuple[str, ...]


def query_plan(words: list[str]) -> list[Word]:
    return [Word(text=w, parts=tuple(sub_words(w))) for w in words]


def ranked_item_ids(*, words: list[Word], phrase: str, limit: int) -> list[int]:
    """Ids of the best `limit` published items for the query words, best first."""
    if not words:
        return []
    backend = _SqliteIndex() if connection.vendor == "sqlite" else _PostgresIndex()
    ids = backend.ranked(words=words, phrase=phrase, every_word=True, limit=limit)
    if not ids and len(words) > 1:
        ids = backend.ranked(words=words, phrase=phrase, every_word=False, limit=limit)
    return ids


class _Index:
    def ranked(self, *, words: list[Word], phrase: str, every_word: bool, limit: int) -> list[int]:
        ids = self._tier(words=words, phrase=phrase, every_word=every_word, in_name=True, limit=limit)
        if len(ids) < limit:
            ids += self._tier(
                words=words, phrase=phrase, every_word=every_word, in_name=False, limit=limit - len(ids)
            )
        return ids

    def _tier(
        self, *, words: list[Word], phrase: str, every_word: bool, in_name: bool, limit: int
    ) -> list[int]:
        raise NotImplementedError


class _PostgresIndex(_Index):
    """GIN indexes over the token arrays `terms` (name and text) and `name_terms`."""

    @staticmethod
    def _holds(column: str, word: Word, params: list) -> str:
        params.append([word.text])
        if not word.parts:
            return f"{column} @> %s::text[]"
        params.append(list(word.parts))
        return f"({column} @> %s::text[] OR {column} @> %s::text[])"

    def _tier(
        self, *, words: list[Word], phrase: str, every_word: bool, in_name: bool, limit: int
    ) -> list[int]:
        # Parameters are collected in the order their placeholders appear in the statement.
        params: list = []
        match = (" AND " if every_word else " OR ").join(self._holds("s.terms", w, params) for w in words)
        names_any = " OR ".join(self._holds("s.name_terms", w, params) for w in words)
        where = f"({match}) AND {'' if in_name else 'NOT '}({names_any})"
        order = []
        if in_name:
            counts = (f"({self._holds('s.name_terms', w, params)})::int" for w in words)
            order.append(" + ".join(counts) + " DESC")
        params.append(phrase)
        order.append("strpos(s.name, %s) > 0 DESC")
        if not every_word:
            counts = (f"({self._holds('s.terms', w, params)})::int" for w in words)
            order.append(" + ".join(counts) + " DESC")
        params.append(limit)
        # Only fixed fragments are joined into the statement; every value is a parameter.
        sql = (
            f"SELECT s.item_id FROM catalog_itemsearchindex s WHERE {where} "  # noqa: S608
            f"ORDER BY {', '.join(order)}, length(s.name), s.name, s.item_id LIMIT %s"
        )
        return _ids(sql, params)


class _SqliteIndex(_Index):
    """The FTS5 table catalog_itemsearch_fts (rowid = item id); the key reads the stored tokens."""

    @staticmethod
    def _fts_word(word: Word) -> str:
        quoted = [_fts_quote(word.text)]
        if word.parts:
            quoted.append("(" + " AND ".join(_fts_quote(p) for p in word.parts) + ")")
        return "(" + " OR ".join(quoted) + ")"

    @staticmethod
    def _holds(column: str, word: Word, params: list) -> str:
        params.append(f" {word.text} ")
        if not word.parts:
            return f"(instr({column}, %s) > 0)"
        params.extend(f" {p} " for p in word.parts)
        parts = " AND ".join(f"instr({column}, %s) > 0" for _ in word.parts)
        return f"(instr({column}, %s) > 0 OR ({parts}))"

    def _tier(
        self, *, words: list[Word], phrase: str, every_word: bool, in_name: bool, limit: int
    ) -> list[int]:
        fts_words = [self._fts_word(w) for w in words]
        match = "(" + (" AND " if every_word else " OR ").join(fts_words) + ")"
        names_any = "name_tokens : (" + " OR ".join(fts_words) + ")"
        expression = f"{match} {'AND' if in_name else 'NOT'} {names_any}"
        params: list = [expression]
        order = []
        if in_name:
            order.append(" + ".join(self._holds("s.name_tokens", w, params) for w in words) + " DESC")
        params.append(phrase)
        order.append("instr(s.name, %s) > 0 DESC")
        if not every_word:
            both = "s.name_tokens || s.text_tokens"
            order.append(" + ".join(self._holds(both, w, params) for w in words) + " DESC")
        sql = (
            "SELECT s.item_id FROM catalog_itemsearch_fts f "  # noqa: S608 (fixed fragments only)
            "JOIN catalog_itemsearchindex s ON s.item_id = f.rowid "
            f"WHERE catalog_itemsearch_fts MATCH %s ORDER BY {', '.join(order)}, "
            "length(s.name), s.name, s.item_id LIMIT %s"
        )
        return _ids(sql, [*params, limit])


def _fts_quote(token: str) -> str:
    # An FTS5 string: any character may appear inside double quotes, a quote doubled.
    return '"' + token.replace('"', '""') + '"'


def _ids(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
