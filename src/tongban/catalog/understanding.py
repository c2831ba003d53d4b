"""Search that understands people (issue 19): the query as typed, plus what it means.

1. 同义词/口语词 (catalog.synonyms): each term found in the query is also searched as its expansions
   (with the query's other words; alone when no item holds them all), and the items a synonym
   names come first.
2. 拼音 (catalog.pinyin): a query of latin letters (jhdj, jiehundengji) finds the items whose name's
   pinyin or initials hold it, and the synonyms whose term's do (gzf → 公租房).
3. Did you mean (catalog.spelling): when no item holds every word and no synonym applies, the nearest
   stretch of an item name or synonym term is searched too and offered to the reader.

The rankings are merged by reciprocal rank (RRF_K): an item near the top of any of them comes near
the top. A ranking whose items do not hold every word it searched counts WEAK. Bounded work: at most
synonyms.MAX_MATCHES terms and MAX_EXPANSIONS searches beyond the query's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from tongban.catalog import pinyin, spelling, synonyms
from tongban.catalog.search import Ranking, query_plan, ranking
from tongban.core.search import MAX_QUERY_CHARS, query_words

RRF_K = 3
WEAK = 0.3
MAX_EXPANSIONS = 4
# An expansion's ranking is read this far (the query's own to the page's limit).
EXPANSION_DEPTH = 20
# When a synonym applies, the literal words of the query count this much less: the table says what
# the phrase means (开饭店 is not about 饭店 in a sewage permit's text).
LITERAL_WHEN_UNDERSTOOD = 0.5


@dataclass(frozen=True)
class Understood:
    item_ids: list[int]
    has_more: bool
    words: list[str]
    applied: tuple[str, ...]  # synonym terms applied
    suggestion: str | None  # did you mean


def _rank(text_words: list[str], limit: int) -> Ranking:
    return ranking(words=query_plan(text_words), limit=limit)


def _weight(r: Ranking) -> float:
    return 1.0 if r.every_word else WEAK


def _fuse(pinned: list[int], rankings: list[tuple[list[int], float]]) -> list[int]:
    score: dict[int, float] = {}
    for ids, weight in rankings:
        for position, item_id in enumerate(ids):
            score[item_id] = score.get(item_id, 0.0) + weight / (RRF_K + position)
    ordered = sorted(score, key=lambda i: -score[i])  # stable: ties keep the first ranking's order
    return list(dict.fromkeys([*pinned, *ordered]))


def _expansions(
    entries: list[synonyms.Entry], rest: list[str], budget: int, *, query: str = ""
) -> tuple[list[int], list]:
    pinned: list[int] = []
    rankings: list[tuple[list[int], float]] = []
    typed = synonyms.normalise(query)
    for entry in entries:
        pinned.extend(entry.item_ids)
        for expansion in entry.expansions:
            if budget <= 0:
                break
            if expansion in typed:
                continue  # 结婚登记 holds 结婚's expansion: the query's own ranking has it already
            budget -= 1
            words = query_words(expansion)
            found = _rank([*words, *rest], EXPANSION_DEPTH) if rest else None
            if found is None or not found.every_word or not found.item_ids:
                found = _rank(words, EXPANSION_DEPTH)
            rankings.append((found.item_ids, _weight(found)))
    return pinned, rankings


def understand(query: str, *, limit: int) -> Understood:
    """The best `limit` item ids for what the query means (one more tells there are more)."""
    query = query[:MAX_QUERY_CHARS]  # T-K4: what follows costs nothing (core.search does the same)
    words = query_words(query)
    own = _rank(words, limit + 1)
    rankings: list[tuple[list[int], float]] = []
    pinned: list[int] = []
    applied: tuple[str, ...] = ()
    suggestion = None

    latin = pinyin.pinyin_query(query)
    if latin:
        entries = synonyms.by_pinyin(latin)[: synonyms.MAX_MATCHES]
        pinned, rankings = _expansions(entries, [], MAX_EXPANSIONS)
        by_name = [item_id for item_id, _name in pinyin.items_by_pinyin(latin, limit=EXPANSION_DEPTH)]
        rankings.insert(0, (by_name, 1.0))
        applied = tuple(e.term for e in entries)
    else:
        entries = synonyms.matching(query)
        if entries:
            rest = [w for w in words if not any(w in e.term for e in entries)]
            pinned, rankings = _expansions(entries, rest, MAX_EXPANSIONS, query=query)
            applied = tuple(e.term for e in entries if e.item_ids or rankings)
        elif not own.item_ids or not own.every_word:
            suggestion = spelling.did_you_mean(query)
            if suggestion:
                rankings.append((_rank(query_words(suggestion), EXPANSION_DEPTH).item_ids, 1.0))

    if not rankings and not pinned:
        ids = own.item_ids
        return Understood(ids[:limit], len(ids) > limit, words, applied, suggestion)
    literal = LITERAL_WHEN_UNDERSTOOD if applied else 1.0
    rankings.append((own.item_ids, _weight(own) * literal))
    ids = _fuse(pinned, rankings)
    return Understood(ids[:limit], len(ids) > limit, words, applied, suggestion)
