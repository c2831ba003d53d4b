"""Chinese text search without database extensions.

Documents are indexed as space-padded jieba ``cut_for_search`` tokens (" 营业 执照 营业执照 "), so a
``LIKE '% 营业执照 %'`` finds them on SQLite and PostgreSQL alike. ``cut_for_search`` matters: jieba's
default mode keeps 结婚登记 whole, which would make 结婚 miss. Queries use the precise mode, and each
query word also matches a document holding all of the word's own sub-words.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 10

# Words that carry no meaning in a citizen's question ("我要怎么办理…"). Dropped only when other words remain.
QUERY_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "啊",
        "吧",
        "我",
        "我要",
        "我想",
        "想",
        "要",
        "怎么",
        "怎么样",
        "怎样",
        "如何",
        "哪里",
        "在哪",
        "在哪里",
        "什么",
        "需要",
        "请问",
        "办",
        "办理",
        "去",
        "可以",
        "能",
    ]
)

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return tokenizer


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _normalize(text: str) -> str:
    # Full-width letters and digits become half-width; case is folded.
    return unicodedata.normalize("NFKC", text).lower()


def index_tokens(*texts: str) -> str:
    """Space-padded, de-duplicated search tokens of the given texts, for storing in an index column."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _tokenizer().cut_for_search(_normalize(text)):
            token = token.strip()
            if token and _is_word(token):
                seen.setdefault(token, None)
    return " " + " ".join(seen) + " " if seen else ""


def query_words(query: str) -> list[str]:
    """The words of a search query, in order, at most MAX_QUERY_TOKENS (T-K4: bounded work)."""
    text = _normalize(query)[:MAX_QUERY_CHARS]
    words: dict[str, None] = {}
    for token in _tokenizer().cut(text):
        token = token.strip()
        if token and _is_word(token):
            words.setdefault(token, None)
    meaningful = [w for w in words if w not in QUERY_STOPWORDS]
    return (meaningful or list(words))[:MAX_QUERY_TOKENS]


def sub_words(word: str) -> list[str]:
    """The shorter words jieba finds inside ``word`` (for 营业执照: 营业, 执照)."""
    return [t for t in dict.fromkeys(_tokenizer().cut_for_search(word)) if t != word and len(t) >= 2]


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first search request."""
    _tokenizer()
