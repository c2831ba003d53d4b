"""“您是不是要找” for near misses: the closest stretch of an item name or synonym term to the query.

The vocabulary is the published item names (the shortest VOCABULARY_MAX of them) and the active
synonym terms, kept in the process with a character → entries index, rebuilt when a publication or a
synonym change was committed (a generation number in Django's cache) or after RELOAD_SECONDS. A
suggestion is the window of an entry with the smallest edit distance to the query (approximate
substring match), where a character with the same pinyin as the one typed costs half (结昏 → 结婚:
Chinese typos are mostly homophones from the input method). Bounded: at most CANDIDATES entries,
those sharing the most characters with the query, are compared.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.db.models.functions import Length

from tongban.catalog import search_generations, synonyms
from tongban.catalog.models import ItemSearchIndex
from tongban.catalog.pinyin import syllables

RELOAD_SECONDS = 300
VOCABULARY_MAX = 20_000
CANDIDATES = 200
QUERY_MAX = 12


@dataclass(frozen=True)
class _Vocabulary:
    generation: str | None
    loaded_at: float
    entries: tuple[str, ...]
    by_char: dict[str, tuple[int, ...]]


_vocabulary = _Vocabulary(generation="", loaded_at=0.0, entries=(), by_char={})
_lock = threading.Lock()


def forget() -> None:
    global _vocabulary
    _vocabulary = _Vocabulary(generation="", loaded_at=0.0, entries=(), by_char={})


def _load(generation: str | None) -> _Vocabulary:
    names = ItemSearchIndex.objects.order_by(Length("name"), "item_id").values_list("name", flat=True)
    entries = tuple(
        dict.fromkeys([*synonyms.table(), *(synonyms.normalise(n) for n in names[:VOCABULARY_MAX])])
    )
    index: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        for ch in set(entry):
            index.setdefault(ch, []).append(position)
    return _Vocabulary(
        generation=generation,
        loaded_at=time.monotonic(),
        entries=entries,
        by_char={ch: tuple(p) for ch, p in index.items()},
    )


def _current() -> _Vocabulary:
    global _vocabulary
    generation = "/".join(
        str(search_generations.current(k))
        for k in (search_generations.CATALOGUE, search_generations.SYNONYMS)
    )
    current = _vocabulary
    if current.generation == generation and time.monotonic() - current.loaded_at < RELOAD_SECONDS:
        return current
    with _lock:
        _vocabulary = _load(generation)
        return _vocabulary


@lru_cache(maxsize=8192)
def _sound(ch: str) -> str:
    found = syllables(ch)
    return found[0] if found else ch


def _cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return 0.5 if _sound(a) == _sound(b) else 1.0


def closest_window(query: str, text: str) -> tuple[float, int, int]:
    """(distance, start, end) of the stretch of ``text`` closest to ``query`` (Sellers' algorithm)."""
    m = len(query)
    column = [float(i) for i in range(m + 1)]
    starts = [0] * (m + 1)
    best = (float(m), 0, 0)
    for j, ch in enumerate(text, 1):
        new, new_starts = [0.0] * (m + 1), [j] * (m + 1)
        for i in range(1, m + 1):
            options = (
                (column[i - 1] + _cost(query[i - 1], ch), starts[i - 1]),
                (new[i - 1] + 1, new_starts[i - 1]),
                (column[i] + 1, starts[i]),
            )
            new[i], new_starts[i] = min(options, key=lambda o: (o[0], -o[1]))
        if new[m] < best[0]:
            best = (new[m], new_starts[m], j)
        column, starts = new, new_starts
    return best


def allowed_distance(query: str) -> float:
    return 1.0 if len(query) <= 5 else 2.0


def did_you_mean(query: str) -> str | None:
    """A nearby name stretch or synonym term for a query with a typo, or None."""
    text = synonyms.normalise(query)
    if not 2 <= len(text) <= QUERY_MAX:
        return None
    vocabulary = _current()
    limit = allowed_distance(text)
    shared: Counter[int] = Counter()
    for ch in set(text):
        shared.update(vocabulary.by_char.get(ch, ()))
    needed = max(1, len(set(text)) - int(limit))
    candidates = [p for p, n in shared.most_common() if n >= needed][:CANDIDATES]
    best: tuple[float, int, str] | None = None
    for position in candidates:
        entry = vocabulary.entries[position]
        distance, start, end = closest_window(text, entry)
        window = entry[start:end]
        if 0 < distance <= limit and window != text:
            key = (distance, len(entry), window)
            if best is None or key < best:
                best = key
    return best[2] if best else None
