"""同义词/口语词: what people type (开饭店, 公租房, 社保卡丢了) mapped to what the catalogue says.

The active rows of ``SearchSynonym`` are compiled once into a table kept in the process and applied
at query time (``matching``): every term found inside the normalised query, longest first, without
overlapping a longer term already found. The table is rebuilt when a change was committed (a
generation number in Django's cache, bumped on commit: every process sees it on its next search) or
after ``RELOAD_SECONDS`` at most; a search never reads the table's rows.

Changes go through ``save_synonym`` and ``set_active``: catalog editors (of any department) only,
validated with Chinese messages, audited (core.audit), never deleted.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.catalog import search_generations
from tongban.catalog.choices import SynonymKind
from tongban.catalog.errors import CatalogError, CatalogPermissionError
from tongban.catalog.models import SearchSynonym, ServiceItemVersion, VersionStatus
from tongban.catalog.pinyin import initials_and_full
from tongban.catalog.services import CATALOG_EDITOR
from tongban.core.audit import record
from tongban.organizations.selectors import department_ids_for

RELOAD_SECONDS = 300
TERM_MAX = 30
MAX_EXPANSIONS = 5
MAX_ITEMS = 5
# At most this many terms are applied to one query (bounded work: each expansion is a search).
MAX_MATCHES = 3


def normalise(text: str) -> str:
    """NFKC, lower case, no spaces: how terms are stored and queries compared."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class Entry:
    term: str
    kind: str
    expansions: tuple[str, ...]
    item_ids: tuple[int, ...]
    initials: str
    full_pinyin: str


@dataclass(frozen=True)
class _Table:
    generation: str | None
    loaded_at: float
    entries: dict[str, Entry]


_table = _Table(generation="", loaded_at=0.0, entries={})
_lock = threading.Lock()


def _load() -> dict[str, Entry]:
    entries = {}
    rows = SearchSynonym.objects.filter(is_active=True).prefetch_related("items")
    for row in rows:
        initials, full = initials_and_full(row.term)
        entries[row.term] = Entry(
            term=row.term,
            kind=row.kind,
            expansions=tuple(row.expansions),
            item_ids=tuple(item.pk for item in row.items.all()),
            initials=initials,
            full_pinyin=full,
        )
    return entries


def table() -> dict[str, Entry]:
    """The active synonyms by term, from the process's copy while it is current."""
    global _table
    generation = search_generations.current(search_generations.SYNONYMS)
    current = _table
    if current.generation == generation and time.monotonic() - current.loaded_at < RELOAD_SECONDS:
        return current.entries
    with _lock:
        _table = _Table(generation=generation, loaded_at=time.monotonic(), entries=_load())
        return _table.entries


def forget() -> None:
    """Drop this process's copy (tests; every process reloads after a committed change anyway)."""
    global _table
    _table = _Table(generation="", loaded_at=0.0, entries={})


def _changed() -> None:
    search_generations.bump(search_generations.SYNONYMS)


def matching(query: str) -> list[Entry]:
    """The synonyms whose term the query holds, longest first, none inside a longer one found."""
    text = normalise(query)
    if not text:
        return []
    found: list[Entry] = []
    taken: list[tuple[int, int]] = []
    for term in sorted((t for t in table() if t in text), key=len, reverse=True):
        start = text.find(term)
        span = (start, start + len(term))
        if any(s < span[1] and span[0] < e for s, e in taken):
            continue
        taken.append(span)
        found.append(table()[term])
        if len(found) >= MAX_MATCHES:
            break
    return found


def by_pinyin(text: str) -> list[Entry]:
    """Synonyms whose term's initials or full pinyin start with ``text`` (gzf → 公租房)."""
    return [e for e in table().values() if e.initials.startswith(text) or e.full_pinyin.startswith(text)]


# --- staff changes -----------------------------------------------------------------------------


def may_edit(user_id: int) -> bool:
    return bool(department_ids_for(user_id=user_id, role=CATALOG_EDITOR))


@dataclass(frozen=True)
class SynonymInput:
    term: str
    kind: str
    expansions: tuple[str, ...]
    item_names: tuple[str, ...]


class SynonymError(CatalogError):
    """A refused synonym; ``field`` names the form field at fault (the error summary links to it)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, code="invalid_synonym")
        self.field = field


def _clean_lines(values: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(v for v in (normalise(x) for x in values) if v))


def _validate(data: SynonymInput, *, synonym_id: int | None) -> tuple[str, list[str], list[int]]:
    term = normalise(data.term)
    if not term:
        raise SynonymError(_("请填写搜索词"), field="term")
    if len(term) > TERM_MAX:
        raise SynonymError(_("搜索词不能超过%(n)s个字") % {"n": TERM_MAX}, field="term")
    if data.kind not in SynonymKind.values:
        raise SynonymError(_("请选择类型"), field="kind")
    expansions = _clean_lines(data.expansions)
    names = _clean_lines(data.item_names)
    if not expansions and not names:
        raise SynonymError(_("请至少填写一个扩展词或指向事项"), field="expansions")
    if len(expansions) > MAX_EXPANSIONS or any(len(e) > TERM_MAX for e in expansions):
        raise SynonymError(
            _("扩展词最多%(n)s个，每个不超过%(m)s个字") % {"n": MAX_EXPANSIONS, "m": TERM_MAX},
            field="expansions",
        )
    if term in expansions:
        raise SynonymError(_("扩展词不能与搜索词相同"), field="expansions")
    if len(names) > MAX_ITEMS:
        raise SynonymError(_("指向事项最多%(n)s个") % {"n": MAX_ITEMS}, field="items")
    published = dict(
        ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED, name__in=names).values_list(
            "name", "item_id"
        )
    )
    missing = [n for n in names if n not in published]
    if missing:
        raise SynonymError(_("没有已发布的事项名为“%(name)s”") % {"name": missing[0]}, field="items")
    same_term = SearchSynonym.objects.filter(term=term)
    if synonym_id is not None:
        same_term = same_term.exclude(pk=synonym_id)
    if same_term.exists():
        raise SynonymError(_("搜索词“%(term)s”已存在，请修改原有的一条") % {"term": term}, field="term")
    return term, expansions, [published[n] for n in names]


@transaction.atomic
def save_synonym(*, actor_id: int, data: SynonymInput, synonym_id: int | None = None) -> int:
    """Add a synonym (synonym_id None) or change one; returns its id."""
    if not may_edit(actor_id):
        raise CatalogPermissionError()
    term, expansions, item_ids = _validate(data, synonym_id=synonym_id)
    if synonym_id is None:
        synonym = SearchSynonym(term=term)
    else:
        synonym = SearchSynonym.objects.select_for_update().get(pk=synonym_id)
    synonym.term, synonym.kind, synonym.expansions = term, data.kind, expansions
    synonym.changed_by_id = actor_id
    synonym.save()
    synonym.items.set(item_ids)
    record(
        event="search_synonym_saved" if synonym_id else "search_synonym_added",
        actor_id=actor_id,
        object_type="search_synonym",
        object_id=synonym.pk,
        reason=term,
    )
    _changed()
    return synonym.pk


@transaction.atomic
def set_active(*, actor_id: int, synonym_id: int, active: bool) -> None:
    if not may_edit(actor_id):
        raise CatalogPermissionError()
    synonym = SearchSynonym.objects.select_for_update().get(pk=synonym_id)
    if synonym.is_active == active:
        return
    synonym.is_active, synonym.changed_by_id = active, actor_id
    synonym.save(update_fields=["is_active", "changed_by", "changed_at"])
    record(
        event="search_synonym_activated" if active else "search_synonym_deactivated",
        actor_id=actor_id,
        object_type="search_synonym",
        object_id=synonym.pk,
        reason=synonym.term,
    )
    _changed()


def synonyms_for_staff() -> list[SearchSynonym]:
    return list(
        SearchSynonym.objects.select_related("changed_by")
        .prefetch_related("items__published_version")
        .order_by("-is_active", "term")
    )
