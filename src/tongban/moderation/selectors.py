"""Sensitive words found in a text. The list is small (hundreds of words) and read on every check, so
it is cached per process for a minute; an edit is seen everywhere within that minute."""

from __future__ import annotations

import time

from tongban.moderation.models import SensitiveWord, WordAction
from tongban.moderation.types import SensitiveHit

_CACHE_SECONDS = 60
_cache: dict[str, object] = {"at": 0.0, "words": ()}

# Longer text is refused by the callers' forms; this only bounds the work.
MAX_CHECKED_CHARS = 1_000_000


def _words() -> tuple[tuple[str, str, bool], ...]:
    now = time.monotonic()
    if now - float(_cache["at"]) > _CACHE_SECONDS:  # type: ignore[arg-type]
        _cache["words"] = tuple(
            (w.word, w.category, w.action == WordAction.BLOCK)
            for w in SensitiveWord.objects.only("word", "category", "action")
        )
        _cache["at"] = now
    return _cache["words"]  # type: ignore[return-value]


def forget_cached_words() -> None:
    """Called after an edit of the list, so this process sees it at once."""
    _cache["at"] = 0.0


def find_sensitive_words(text: str) -> list[SensitiveHit]:
    """Every occurrence of a listed word in ``text`` (case-insensitive), in reading order."""
    lowered = text[:MAX_CHECKED_CHARS].casefold()
    hits: list[SensitiveHit] = []
    for word, category, blocks in _words():
        needle = word.casefold()
        start = lowered.find(needle)
        while start != -1:
            hits.append(SensitiveHit(word, category, blocks, start, start + len(needle)))
            start = lowered.find(needle, start + len(needle))
    return sorted(hits, key=lambda h: (h.start, -h.end))


def blocking_words(text: str) -> list[str]:
    """The distinct words in ``text`` that stop it from going out."""
    return sorted({hit.word for hit in find_sensitive_words(text) if hit.blocks})


def word_list(query: str = "", category: str = "") -> list[SensitiveWord]:
    """The list for the 敏感词库 page, optionally only words containing ``query`` or of a category."""
    words = SensitiveWord.objects.all()
    if query.strip():
        words = words.filter(word__icontains=query.strip())
    if category:
        words = words.filter(category=category)
    return list(words)
