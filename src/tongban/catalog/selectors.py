"""Catalog reads. The public only ever sees published versions."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import Count, Prefetch, Q, QuerySet

from tongban.catalog import pinyin, spelling, synonyms
from tongban.catalog.models import (
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    Theme,
    VersionStatus,
)
from tongban.catalog.types import ItemSnapshot, LimitSnapshot, MaterialSnapshot, PublishedItemRef
from tongban.catalog.understanding import understand
from tongban.core.uploads import UPLOAD_MAX_MB
from tongban.organizations.selectors import (
    department_ids_in_regions,
    region_and_descendant_ids,
    role_or_administered_department_ids,
)


def published_versions() -> QuerySet[ServiceItemVersion]:
    """Current published versions with what list pages show, in name order."""
    return (
        ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("item", "item__department")
        .order_by("name", "pk")
    )


def published_versions_in(
    *,
    department_id: int | None = None,
    theme_id: int | None = None,
    region_id: int | None = None,
    audience: str | None = None,
) -> QuerySet[ServiceItemVersion]:
    versions = published_versions()
    if department_id is not None:
        versions = versions.filter(item__department_id=department_id)
    if theme_id is not None:
        versions = versions.filter(themes__id=theme_id)
    if region_id is not None:
        departments = department_ids_in_regions(region_and_descendant_ids(region_id))
        versions = versions.filter(item__department_id__in=departments)
    if audience == "natural":
        versions = versions.filter(serves_natural_persons=True)
    elif audience == "legal":
        versions = versions.filter(serves_legal_persons=True)
    return versions


def guide_version(implementation_code: str) -> ServiceItemVersion | None:
    """The published version of an item with everything its guide page shows, or None."""
    return (
        ServiceItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, item__implementation_code=implementation_code
        )
        .select_related("item", "item__department", "hall")
        .prefetch_related(
            "legal_bases",
            "special_procedures",
            "steps",
            "fees",
            "faqs",
            "themes",
            Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
        )
        .first()
    )


def published_material(implementation_code: str, material_id: int) -> MaterialRequirement | None:
    """A material of an item's published version (for downloading its blank form), or None."""
    return (
        MaterialRequirement.objects.filter(
            pk=material_id,
            version__status=VersionStatus.PUBLISHED,
            version__item__implementation_code=implementation_code,
        )
        .select_related("version")
        .first()
    )


def themes_with_counts(audience: str | None = None) -> QuerySet[Theme]:
    themes = Theme.objects.annotate(
        item_count=Count("versions", filter=Q(versions__status=VersionStatus.PUBLISHED))
    )
    if audience in {"natural", "legal"}:
        themes = themes.filter(audience=audience)
    return themes


def department_item_counts() -> dict[int, int]:
    rows = (
        ServiceItem.objects.filter(published_version__isnull=False)
        .values("department_id")
        .annotate(n=Count("pk"))
    )
    return {row["department_id"]: row["n"] for row in rows}


# A results page lists at most this many matches and says when there are more (超过 200 项).
SEARCH_LIMIT = 200


# What a result row shows (catalog/_item_rows.html, the API's ItemSummarySerializer): a version holds
# its whole guide text and form schema, which a results page need not read.
HIT_FIELDS = (
    "item__implementation_code",
    "item__basic_code",
    "item__department__name",
    "name",
    "kind",
    "online_depth",
    "site_visits",
    "is_instant",
    "accepts_online",
    "promised_limit",
    "promised_limit_unit",
    "statutory_limit",
    "statutory_limit_unit",
)


class SearchHits(Sequence[ServiceItemVersion]):
    """Ranked search hits, loaded a slice at a time: a results page reads its 20 rows in one query."""

    def __init__(self, item_ids: list[int]) -> None:
        self._item_ids = item_ids

    def __len__(self) -> int:
        return len(self._item_ids)

    @property
    def item_ids(self) -> list[int]:
        return list(self._item_ids)

    @overload
    def __getitem__(self, index: int) -> ServiceItemVersion: ...

    @overload
    def __getitem__(self, index: slice) -> list[ServiceItemVersion]: ...

    def __getitem__(self, index: int | slice) -> ServiceItemVersion | list[ServiceItemVersion]:
        if isinstance(index, slice):
            return self._load(self._item_ids[index])
        return self._load([self._item_ids[index]])[0]

    @staticmethod
    def _load(item_ids: list[int]) -> list[ServiceItemVersion]:
        hits = published_versions().filter(item_id__in=item_ids).order_by().only(*HIT_FIELDS)
        versions = {v.item_id: v for v in hits}
        # An item unpublished since it was ranked is left out.
        return [versions[i] for i in item_ids if i in versions]


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: list[str]
    hits: SearchHits
    # More items match than `hits` holds (SEARCH_LIMIT).
    has_more: bool
    # Synonym terms applied to the query (catalog.synonyms), and a did-you-mean (catalog.spelling).
    applied: tuple[str, ...] = ()
    suggestion: str | None = None

    @property
    def versions(self) -> list[ServiceItemVersion]:
        """Every hit loaded at once (at most SEARCH_LIMIT); pages should slice `hits` instead."""
        return self.hits[:]


def search_published(query: str, *, limit: int | None = None) -> SearchResults:
    """Published items matching every word of the query (Chinese segmented), best first.

    Ranks every match in the database's full-text index (catalog.search: items naming more of the
    words first, then shorter names, read in index order) and keeps the best `limit`; one more is
    fetched to know whether there are more. Synonyms, pinyin and did-you-mean: catalog.understanding.
    """
    limit = SEARCH_LIMIT if limit is None else limit
    found = understand(query, limit=limit)
    return SearchResults(
        query=query,
        words=found.words,
        hits=SearchHits(found.item_ids),
        has_more=found.has_more,
        applied=found.applied,
        suggestion=found.suggestion,
    )


def editable_department_ids(user_id: int) -> set[int]:
    """Departments whose items the user may edit: where they hold the catalog editor role, and those in
    the regions they administer (区县系统管理员; the city administrator: every one; issue 20)."""
    return role_or_administered_department_ids(user_id=user_id, role="catalog_editor")


def versions_for_editor(user_id: int) -> QuerySet[ServiceItemVersion]:
    """Versions of the items the user may edit; superusers get no exception (least privilege)."""
    return ServiceItemVersion.objects.select_related("item", "item__department").filter(
        item__department_id__in=editable_department_ids(user_id)
    )


def catalog_metrics() -> dict[str, float | int]:
    """Catalog measures of STANDARDS.md §4 over published items (ratios 0–1)."""
    versions = ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    total = versions.count()
    if not total:
        return {"total": 0}
    counts = versions.aggregate(
        online=Count("pk", filter=Q(online_depth__gte=3)),
        fully_online=Count("pk", filter=Q(online_depth=4)),
        instant=Count("pk", filter=Q(is_instant=True)),
        zero_visit=Count("pk", filter=Q(site_visits=0)),
        at_most_one_visit=Count("pk", filter=Q(site_visits__lte=1)),
    )
    return {"total": total, **{key: value / total for key, value in counts.items()}}


def _snapshot(version: ServiceItemVersion) -> ItemSnapshot:
    return ItemSnapshot(
        item_id=version.item_id,
        version_id=version.pk,
        implementation_code=version.item.implementation_code,
        name=version.name,
        department_id=version.item.department_id,
        promised_limit=version.promised_limit,
        promised_limit_unit=version.promised_limit_unit,
        is_instant=version.is_instant,
        accepts_online=version.accepts_online,
        materials=tuple(
            MaterialSnapshot(
                id=m.pk,
                name=m.name,
                necessity=m.necessity,
                allowed_types=tuple(m.allowed_types),
                # Versions published before the ceiling may say more; uploads stop at it all the same.
                max_size_mb=min(m.max_size_mb, UPLOAD_MAX_MB),
                source=m.source,
            )
            for m in version.materials.all()
        ),
        form_schema=version.form_schema,
        ui_schema=version.ui_schema,
        steps=tuple(LimitSnapshot(s.name, s.limit, s.limit_unit) for s in version.steps.all()),
        special_procedures=tuple(
            LimitSnapshot(p.kind, p.limit, p.limit_unit) for p in version.special_procedures.all()
        ),
        result_type=version.result_type,
        result_name=version.result_name,
    )


def published_item_snapshot(implementation_code: str) -> ItemSnapshot | None:
    """The current published version of an item, for starting an application; None if not public.
    One query for the version's id; the snapshot itself comes from the cache by version id."""
    version_id = (
        ServiceItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, item__implementation_code=implementation_code
        )
        .values_list("pk", flat=True)
        .first()
    )
    return version_snapshot(version_id) if version_id else None


def version_names(version_ids: set[int]) -> dict[int, str]:
    """The item name of each version (the name the applicant applied under), in one query."""
    return dict(ServiceItemVersion.objects.filter(pk__in=version_ids).values_list("pk", "name"))


def promised_limits(version_ids: set[int]) -> dict[int, tuple[int, str]]:
    """The promised limit and its unit of each version (a list of case clocks), in one query."""
    rows = ServiceItemVersion.objects.filter(pk__in=version_ids)
    return {
        pk: (limit, unit)
        for pk, limit, unit in rows.values_list("pk", "promised_limit", "promised_limit_unit")
    }


# A version once published never changes (VersionPart refuses edits), so its snapshot is kept in
# the process by version id: a submit rebuilt it up to five times (4 queries each). Drafts are not kept.
SNAPSHOT_CACHE_SIZE = 2048
_snapshots: dict[int, ItemSnapshot] = {}
_snapshots_lock = threading.Lock()


def version_snapshot(version_id: int) -> ItemSnapshot:
    """The version an application was made for, even after a newer version was published."""
    snapshot = _snapshots.get(version_id)
    if snapshot is not None:
        return snapshot
    version = (
        ServiceItemVersion.objects.select_related("item")
        .prefetch_related("materials", "steps", "special_procedures")
        .get(pk=version_id)
    )
    snapshot = _snapshot(version)
    if version.status != VersionStatus.DRAFT:
        with _snapshots_lock:
            if len(_snapshots) >= SNAPSHOT_CACHE_SIZE:
                _snapshots.pop(next(iter(_snapshots)))
            _snapshots[version_id] = snapshot
    return snapshot


def forget_version_snapshots() -> None:
    """Empty the snapshot cache (tests: each test's database reuses version ids)."""
    with _snapshots_lock:
        _snapshots.clear()


def published_item_by_name(name: str) -> ItemSnapshot | None:
    """The published item with this name (demo data and set-up scripts); None if there is none."""
    code = (
        ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED, name=name)
        .values_list("item__implementation_code", flat=True)
        .first()
    )
    return published_item_snapshot(code) if code else None


def published_item_refs(*, online_only: bool = False) -> list[PublishedItemRef]:
    """Every published item (only those taking online applications with ``online_only``), by name;
    one query."""
    versions = ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    if online_only:
        versions = versions.filter(accepts_online=True)
    rows = versions.order_by("name", "item_id").values_list(
        "item_id", "item__implementation_code", "name", "item__department_id", "is_instant", "accepts_online"
    )
    return [PublishedItemRef(*row) for row in rows]


def forget_search_caches() -> None:
    """Drop this process's synonym table and did-you-mean vocabulary (tests)."""
    synonyms.forget()
    spelling.forget()


SUGGESTIONS = 8


@dataclass(frozen=True)
class Suggestion:
    text: str  # what the box would search for
    implementation_code: str  # the item's guide, or "" for a search


def suggestions(query: str) -> list[Suggestion]:
    """The search box's suggestions: items by pinyin or initials (jhdj → 内地居民结婚登记) and
    synonym terms by theirs (gzf → 公租房); for Chinese text, the best few items."""
    latin = pinyin.pinyin_query(query)
    if latin:
        found = [Suggestion(e.term, "") for e in synonyms.by_pinyin(latin)[: SUGGESTIONS // 2]]
        ids = [item_id for item_id, _name in pinyin.items_by_pinyin(latin, limit=SUGGESTIONS - len(found))]
    elif query.strip():
        found = []
        ids = search_published(query, limit=SUGGESTIONS).hits.item_ids
    else:
        return []
    codes = dict(
        published_versions().filter(item_id__in=ids).values_list("item_id", "item__implementation_code")
    )
    names = dict(published_versions().filter(item_id__in=ids).values_list("item_id", "name"))
    return found + [Suggestion(names[i], codes[i]) for i in ids if i in names]
