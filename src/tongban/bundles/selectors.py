"""Bundle (一件事) reads: the public guide, the citizen's own cases, the staff lists, and the answers
bundles give to the catalogue's search and to the case pages (registered in apps.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from tongban.applications.case_groups import CaseGroup, Sibling
from tongban.applications.selectors import applications_by_ids, own_answers
from tongban.bundles.combine import SharedMaterial, shared_materials
from tongban.bundles.errors import BundleNotFound
from tongban.bundles.models import Bundle, BundleCase, BundleCaseLink, BundleItem, BundleStatus, CaseStatus
from tongban.catalog.featured import Featured
from tongban.catalog.selectors import published_item_refs, published_item_snapshot, version_snapshot
from tongban.catalog.synonyms import normalise
from tongban.catalog.types import ItemSnapshot
from tongban.core.search import MAX_QUERY_CHARS, query_words
from tongban.organizations.selectors import departments_by_ids


def current_items(item_ids: list[int]) -> list[ItemSnapshot]:
    """The published snapshot of each item, in the order given; unpublished ones left out."""
    codes = {r.item_id: r.implementation_code for r in published_item_refs()}
    found = []
    for item_id in item_ids:
        snapshot = published_item_snapshot(codes[item_id]) if item_id in codes else None
        if snapshot is not None:
            found.append(snapshot)
    return found


def applicable_item_ids(bundle_id: int, situation: dict[str, bool]) -> list[int]:
    """Items the 情形 answers make applicable: those no question names, and those a question answered
    是 switches on; in the bundle's order."""
    entries = BundleItem.objects.filter(bundle_id=bundle_id).prefetch_related("questions")
    applicable = []
    for entry in entries:
        questions = [q.pk for q in entry.questions.all()]
        if not questions or any(situation.get(str(q)) for q in questions):
            applicable.append(entry.item_id)
    return applicable


# Guide ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideItem:
    item: ItemSnapshot
    department: str
    optional: bool  # switched on by a question


@dataclass(frozen=True)
class Guide:
    bundle: Bundle
    items: list[GuideItem]
    questions: list
    materials: list[SharedMaterial]


def published_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(status=BundleStatus.PUBLISHED)


def bundle_guide(code: str, *, published_only: bool = True) -> Guide:
    """The guide assembled from the items' current published versions; BundleNotFound otherwise."""
    bundles = published_bundles() if published_only else Bundle.objects.all()
    bundle = bundles.filter(code=code).first()
    if bundle is None:
        raise BundleNotFound(_("没有找到该一件事。"), code="not_found")
    entries = list(bundle.items.prefetch_related("questions"))
    items = current_items([e.item_id for e in entries])
    switched = {e.item_id for e in entries if e.questions.all()}
    departments = departments_by_ids({i.department_id for i in items})
    return Guide(
        bundle=bundle,
        items=[GuideItem(i, departments[i.department_id].name, i.item_id in switched) for i in items],
        questions=list(bundle.questions.prefetch_related("switches")),
        materials=shared_materials(items),
    )


# Citizen's case ------------------------------------------------------------------------------


def own_case(case_id: int, applicant_id: int, *, lock: bool = False) -> BundleCase:
    """The applicant's own case; another person's is not found (T-B1: 404, nothing told)."""
    cases = BundleCase.objects.select_related("bundle")
    if lock:
        cases = cases.select_for_update()
    case = cases.filter(pk=case_id, applicant_id=applicant_id).first()
    if case is None:
        raise BundleNotFound(_("没有找到该一件事办件。"), code="not_found")
    return case


def case_items(case: BundleCase) -> list[ItemSnapshot]:
    """The item versions the case's applications were opened for, in the bundle's order."""
    links = list(case.links.all())
    applications = applications_by_ids({link.application_id for link in links})
    return [version_snapshot(applications[link.application_id].item_version_id) for link in links]


@dataclass(frozen=True)
class TrackedApplication:
    application_id: int
    item_name: str
    department: str
    number: str
    status: str
    status_label: str


def tracked_applications(case: BundleCase) -> list[TrackedApplication]:
    links = list(case.links.all())
    applications = applications_by_ids({link.application_id for link in links})
    items = {a.pk: version_snapshot(a.item_version_id) for a in applications.values()}
    departments = departments_by_ids({a.department_id for a in applications.values()})
    rows = []
    for link in links:
        application = applications[link.application_id]
        rows.append(
            TrackedApplication(
                application_id=application.pk,
                item_name=items[application.pk].name,
                department=departments[application.department_id].name,
                number=application.number or "",
                status=application.status,
                status_label=str(application.get_status_display()),
            )
        )
    return rows


def cases_of(applicant_id: int) -> QuerySet[BundleCase]:
    return (
        BundleCase.objects.filter(applicant_id=applicant_id)
        .select_related("bundle")
        .order_by("-created_at", "-pk")
    )


# Staff ---------------------------------------------------------------------------------------


def bundles_for_staff() -> QuerySet[Bundle]:
    return Bundle.objects.prefetch_related("items").order_by("name", "pk")


def bundle_for_staff(bundle_id: int) -> Bundle | None:
    return Bundle.objects.filter(pk=bundle_id).prefetch_related("items", "questions__switches").first()


def item_names(item_ids: Collection[int]) -> dict[int, str]:
    return {r.item_id: r.name for r in published_item_refs() if r.item_id in item_ids}


def case_by_number(number: str) -> BundleCase | None:
    return BundleCase.objects.select_related("bundle").filter(number=number).first()


# Hooks: the catalogue's search and the case pages --------------------------------------------


def _words(text: str) -> list[str]:
    return [w for w in query_words(text) if len(w) > 1]


def featured_bundles(query: str) -> list[Featured]:
    """Published bundles the query names: a life-event phrase of the bundle in the query (我要开饭店)
    or the query in one (开饭), or every word of the query in the bundle's name (餐饮店)."""
    typed = normalise(query[:MAX_QUERY_CHARS])
    if not typed:
        return []
    words = _words(query[:MAX_QUERY_CHARS])
    hits = []
    for bundle in published_bundles().prefetch_related("items"):
        phrases = [normalise(p) for p in [bundle.name, *bundle.life_events] if p]
        named = any(p in typed or (len(typed) > 1 and typed in p) for p in phrases)
        if not named and words:
            name = normalise(bundle.name)
            named = all(w in name for w in words)
        if named:
            names = item_names({entry.item_id for entry in bundle.items.all()})
            hits.append(
                Featured(
                    kind=_("一件事"),
                    title=bundle.name,
                    url=reverse("bundles:guide", args=[bundle.code]),
                    summary=bundle.summary,
                    parts=tuple(names[e.item_id] for e in bundle.items.all() if e.item_id in names),
                )
            )
    return hits


def case_groups(application_ids: Collection[int]) -> dict[int, CaseGroup]:
    """The submitted 一件事 of each case that belongs to one, with its sibling cases."""
    links = list(
        BundleCaseLink.objects.filter(
            case__links__application_id__in=list(application_ids), case__status=CaseStatus.SUBMITTED
        )
        .select_related("case", "case__bundle")
        .distinct()
    )
    if not links:
        return {}
    applications = applications_by_ids({link.application_id for link in links})
    by_case: dict[int, list[BundleCaseLink]] = {}
    for link in links:
        by_case.setdefault(link.case_id, []).append(link)
    groups: dict[int, CaseGroup] = {}
    for case_links in by_case.values():
        case = case_links[0].case
        siblings = tuple(
            Sibling(
                application_id=link.application_id,
                number=applications[link.application_id].number or "",
                item_name=version_snapshot(applications[link.application_id].item_version_id).name,
                status=str(applications[link.application_id].get_status_display()),
            )
            for link in sorted(case_links, key=lambda x: (x.position, x.pk))
        )
        group = CaseGroup(
            kind=_("一件事"),
            number=case.number or "",
            name=case.bundle.name,
            url=reverse("bundles:staff_case", args=[case.number]),
            siblings=siblings,
        )
        for link in case_links:
            if link.application_id in application_ids:
                groups[link.application_id] = group
    return groups


def combined_answers(case: BundleCase, keys: dict[int, dict[str, str]]) -> dict:
    """The answers saved so far in the linked drafts, under the combined form's keys."""
    links = list(case.links.all())
    applications = applications_by_ids({link.application_id for link in links})
    answers: dict = {}
    for link in links:
        own = own_answers(applications[link.application_id])
        for combined, key in keys.get(link.item_id, {}).items():
            if key in own and combined not in answers:
                answers[combined] = own[key]
    return answers


def uploaded_materials(case: BundleCase, materials: list[SharedMaterial]) -> dict[str, str]:
    """Shared material key → the file name uploaded for it (from the first application needing it)."""
    links = dict(case.links.values_list("item_id", "application_id"))
    applications = applications_by_ids(set(links.values()))
    files = {
        (a_id, m.requirement_id): m.display_name
        for a_id, application in applications.items()
        for m in application.materials.all()
    }
    found = {}
    for material in materials:
        item_id, requirement_id = material.requirements[0]
        name = files.get((links.get(item_id), requirement_id))
        if name:
            found[material.key] = name
    return found
