"""拼音 and 首字母 of item names and synonym terms, for the search box (jhdj → 结婚登记).

An item's name is written to ``ItemPinyinKey`` once, when it is published: one row per
syllable-boundary suffix of its full pinyin (jiehundengji, hundengji, …) and of its initials (jhdj,
hdj, …), so that a prefix lookup finds a name by pinyin typed from any of its syllables. A lookup is
one indexed prefix range, ordered by where the match starts (at the name's start first), then the
shorter name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.db import connection
from django.db.models.functions import Length

from tongban.catalog.models import ItemPinyinKey, ServiceItem

KEY_LENGTH = 64
# A pinyin query: latin letters only (spaces and apostrophes dropped), 2 to 30 of them.
_PINYIN_QUERY = re.compile(r"^[a-z]{2,30}$")


@lru_cache(maxsize=1)
def _pypinyin():  # type: ignore[no-untyped-def]
    # Imported on first use: pypinyin loads its dictionaries (≈ 0.3 s) when imported.
    import pypinyin

    return pypinyin


def syllables(text: str) -> list[str]:
    """The toneless pinyin of each Chinese character of ``text``; other letters and digits kept
    as runs (ABC公司 → abc, gong, si)."""
    pypinyin = _pypinyin()
    out = []
    for piece in pypinyin.lazy_pinyin(unicodedata.normalize("NFKC", text).lower(), errors="default"):
        for part in re.findall(r"[a-z0-9]+", piece):
            out.append(part)
    return out


def keys_of(name: str) -> list[tuple[str, int]]:
    """(key, inside) rows for a name: every syllable-boundary suffix of its full pinyin and initials."""
    parts = syllables(name)
    found: dict[str, int] = {}
    for start in range(len(parts)):
        inside = 1 if start else 0
        for key in ("".join(parts[start:]), "".join(p[0] for p in parts[start:])):
            key = key[:KEY_LENGTH]
            if len(key) >= 2 and found.get(key, 2) > inside:
                found[key] = inside
    return list(found.items())


def initials_and_full(text: str) -> tuple[str, str]:
    parts = syllables(text)
    return "".join(p[0] for p in parts), "".join(parts)


def pinyin_query(query: str) -> str | None:
    """The query as pinyin to look up, or None when it is not one (Chinese, digits, too short)."""
    text = re.sub(r"[\s'’]", "", unicodedata.normalize("NFKC", query).lower())
    return text if _PINYIN_QUERY.match(text) else None


def write_keys(item: ServiceItem, name: str, *, had_name: bool) -> None:
    """The item's pinyin rows for its published name (publishing: one insert the first time; a
    delete of another name's rows and an insert that skips the rows already there after that)."""
    if had_name:
        ItemPinyinKey.objects.filter(item=item).exclude(name=name).delete()
    ItemPinyinKey.objects.bulk_create(
        (ItemPinyinKey(item=item, name=name, key=key, inside=inside) for key, inside in keys_of(name)),
        ignore_conflicts=True,
    )


def items_by_pinyin(text: str, *, limit: int) -> list[tuple[int, str]]:
    """(item id, name) of the published items whose name's pinyin or initials hold ``text`` from a
    syllable on, names starting with it first, then shorter names; at most ``limit``."""
    rows = ItemPinyinKey.objects.all()
    if connection.vendor == "sqlite":
        # SQLite's LIKE does not use the index (Django adds ESCAPE); its binary collation makes the
        # range exact: every key starting with text sorts between text and text + "{" (after "z").
        rows = rows.filter(key__gte=text, key__lt=text + "{")
    else:
        rows = rows.filter(key__startswith=text)  # the varchar_pattern_ops index Django adds
    found: dict[int, str] = {}
    ordered = rows.order_by("inside", Length("name"), "item_id").values_list("item_id", "name")
    for item_id, name in ordered[: limit * 4]:
        found.setdefault(item_id, name)
        if len(found) >= limit:
            break
    return list(found.items())
