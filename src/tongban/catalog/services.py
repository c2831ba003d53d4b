"""Catalog writes: create an item, edit its draft, start a new draft, publish.

A published version is immutable; staff change an item by starting a draft (a copy of the published
version), editing it and publishing it, which supersedes the previous version in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.catalog import pinyin, search_generations
from tongban.catalog.errors import (
    CatalogError,
    CatalogPermissionError,
    ImmutableVersionError,
    RuleViolationError,
)
from tongban.catalog.models import (
    FaqEntry,
    Fee,
    ItemSearchIndex,
    LegalBasis,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    SpecialProcedure,
    Theme,
    VersionStatus,
)
from tongban.catalog.rules import ItemFacts, check_item
from tongban.catalog.types import (
    FaqData,
    FeeData,
    ItemDraft,
    LegalBasisData,
    MaterialData,
    ProcessStepData,
    SpecialProcedureData,
    UploadedFileData,
    VersionRef,
)
from tongban.core.search import index_tokens
from tongban.organizations.selectors import department_ref, role_or_administered_department_ids

CATALOG_EDITOR = "catalog_editor"
BASIC_CODE = re.compile(r"[0-9]{12}")
IMPLEMENTATION_CODE = re.compile(r"[0-9A-Z]{1,36}")

# ItemDraft list fields -> (related name on the version, model, data class)
PARTS: dict[str, tuple[str, type[models.Model], type]] = {
    "legal_bases": ("legal_bases", LegalBasis, LegalBasisData),
    "special_procedures": ("special_procedures", SpecialProcedure, SpecialProcedureData),
    "steps": ("steps", ProcessStep, ProcessStepData),
    "materials": ("materials", MaterialRequirement, MaterialData),
    "fees": ("fees", Fee, FeeData),
    "faqs": ("faqs", FaqEntry, FaqData),
}
FILE_FIELDS = frozenset({"result_sample", "blank_form", "sample"})
SCALAR_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(ItemDraft)
    if f.name not in PARTS and f.name not in {"theme_names"} | FILE_FIELDS
)


def facts_from(
    source: object,
    *,
    fee_count: int,
    faq_count: int,
    step_names: tuple[str, ...],
    legal_basis_count: int,
    has_result_sample: bool,
) -> ItemFacts:
    """Rule facts from anything holding a version's fields (a draft, a version, an admin form's
    instance) plus the counts of its lists."""
    lists: dict[str, Any] = {
        "fee_count": fee_count,
        "faq_count": faq_count,
        "step_names": step_names,
        "legal_basis_count": legal_basis_count,
        "has_result_sample": has_result_sample,
    }
    scalars: dict[str, Any] = {
        f.name: getattr(source, f.name) for f in dataclasses.fields(ItemFacts) if f.name not in lists
    }
    return ItemFacts(**scalars, **lists)


def facts_of_draft(draft: ItemDraft) -> ItemFacts:
    return facts_from(
        draft,
        fee_count=len(draft.fees),
        faq_count=len(draft.faqs),
        step_names=tuple(step.name for step in draft.steps),
        legal_basis_count=len(draft.legal_bases),
        has_result_sample=bool(draft.result_sample),
    )


def facts_of_version(version: ServiceItemVersion) -> ItemFacts:
    return facts_from(
        version,
        fee_count=version.fees.count(),
        faq_count=version.faqs.count(),
        step_names=tuple(version.steps.values_list("name", flat=True)),
        legal_basis_count=version.legal_bases.count(),
        has_result_sample=bool(version.result_sample),
    )


def _require_editor(actor_id: int | None, department_id: int) -> None:
    # actor_id None is the platform itself (management commands); views always pass the user.
    if actor_id is not None and department_id not in role_or_administered_department_ids(
        user_id=actor_id, role=CATALOG_EDITOR
    ):
        raise CatalogPermissionError()


def _validation_messages(exc: ValidationError, model: type[models.Model]) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    found = []
    for field_name, errors in exc.error_dict.items():
        try:
            label = str(getattr(model._meta.get_field(field_name), "verbose_name", ""))
        except Exception:
            label = ""
        for error in errors:
            for message in error.messages:
                found.append(f"{label}：{message}" if label else message)
    return found


def _full_clean(instance: models.Model, *, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise CatalogError(
            _validation_messages(exc, type(instance))[0], details=_validation_messages(exc, type(instance))
        ) from exc


def _store_file(field: FieldFile, value: UploadedFileData | str | None) -> None:
    if isinstance(value, UploadedFileData):
        field.save(value.name, ContentFile(value.content), save=False)
    elif isinstance(value, str):
        field.name = value
    else:
        field.name = ""


def _write_version(version: ServiceItemVersion, draft: ItemDraft) -> None:
    """Write a draft's fields and lists onto a draft version, validating every row."""
    violations = check_item(facts_of_draft(draft))
    if violations:
        raise RuleViolationError([v.message for v in violations])
    for name in SCALAR_FIELDS:
        setattr(version, name, getattr(draft, name))
    _store_file(version.result_sample, draft.result_sample)
    _full_clean(version, exclude=["item", "number", "status"])
    themes = list(Theme.objects.filter(name__in=draft.theme_names))
    if len(themes) != len(set(draft.theme_names)):
        unknown = set(draft.theme_names) - {t.name for t in themes}
        raise CatalogError(_("主题不存在：%(names)s") % {"names": "、".join(sorted(unknown))})
    version.search_tokens = _index_tokens(
        _index_texts(
            version,
            department_name=department_ref(version.item.department_id).name,
            theme_names=[t.name for t in themes],
            material_names=[m.name for m in draft.materials],
            faqs=[(f.question, f.answer) for f in draft.faqs],
        )
    )
    version.save()
    version.themes.set(themes)
    for list_name, (related_name, model, _data_class) in PARTS.items():
        getattr(version, related_name).all().delete()
        for order, data in enumerate(getattr(draft, list_name), start=1):
            values = {
                f.name: getattr(data, f.name) for f in dataclasses.fields(data) if f.name not in FILE_FIELDS
            }
            if "allowed_types" in values:
                values["allowed_types"] = list(values["allowed_types"])
            part = model(version=version, order=order, **values)
            for file_field in FILE_FIELDS & {f.name for f in dataclasses.fields(data)}:
                _store_file(getattr(part, file_field), getattr(data, file_field))
            _full_clean(part, exclude=["version"])
            part.save()


def _ref(version: ServiceItemVersion) -> VersionRef:
    return VersionRef(
        item_id=version.item_id,
        version_id=version.pk,
        number=version.number,
        status=version.status,
        implementation_code=version.item.implementation_code,
        name=version.name,
    )


@transaction.atomic
def create_item(
    *, department_id: int, basic_code: str, implementation_code: str, draft: ItemDraft, actor_id: int | None
) -> VersionRef:
    """Create an item with its first version as a draft.

    Rules: codes have the national formats (basic 12 digits, implementation ≤ 36 characters) and the
    implementation code is unique; the draft passes every data-quality rule (rules.check_item).
    Raises CatalogError / RuleViolationError; nothing is written when it raises.
    """
    _require_editor(actor_id, department_id)
    if not BASIC_CODE.fullmatch(basic_code or ""):
        raise CatalogError(_("基本编码应为12位数字"))
    implementation_code = (implementation_code or "").upper()
    if len(implementation_code) > 36 or not IMPLEMENTATION_CODE.fullmatch(implementation_code):
        raise CatalogError(_("实施编码应为不超过36位的数字或大写字母"))
    if ServiceItem.objects.filter(implementation_code=implementation_code).exists():
        raise CatalogError(_("实施编码已存在，请核对"), code="duplicate")
    item = ServiceItem.objects.create(
        department_id=department_id, basic_code=basic_code, implementation_code=implementation_code
    )
    version = ServiceItemVersion(item=item, number=1)
    _write_version(version, draft)
    return _ref(version)


@transaction.atomic
def save_draft(*, version_id: int, draft: ItemDraft, actor_id: int | None) -> VersionRef:
    """Replace a draft's content. A published or superseded version is refused (409)."""
    version = ServiceItemVersion.objects.select_for_update().select_related("item").get(pk=version_id)
    _require_editor(actor_id, version.item.department_id)
    if not version.is_editable:
        raise ImmutableVersionError()
    _write_version(version, draft)
    return _ref(version)


def draft_of_version(version: ServiceItemVersion) -> ItemDraft:
    """A version's content as an ItemDraft (stored files are kept by name, not copied)."""

    def parts(list_name: str) -> tuple:
        related_name, _model, data_class = PARTS[list_name]
        names = [f.name for f in dataclasses.fields(data_class)]
        rows = []
        for part in getattr(version, related_name).all():
            values = {n: getattr(part, n) for n in names}
            for file_field in FILE_FIELDS & set(names):
                values[file_field] = values[file_field].name or None
            if "allowed_types" in values:
                values["allowed_types"] = tuple(values["allowed_types"])
            rows.append(data_class(**values))
        return tuple(rows)

    values: dict[str, Any] = {name: getattr(version, name) for name in SCALAR_FIELDS}
    values.update({list_name: parts(list_name) for list_name in PARTS})
    return ItemDraft(
        **values,
        result_sample=version.result_sample.name or None,
        theme_names=tuple(version.themes.values_list("name", flat=True)),
    )


@transaction.atomic
def start_draft(*, item_id: int, actor_id: int | None) -> VersionRef:
    """Open a new draft as a copy of the published version; an existing draft is returned as it is."""
    item = ServiceItem.objects.select_for_update().get(pk=item_id)
    _require_editor(actor_id, item.department_id)
    existing = item.versions.filter(status=VersionStatus.DRAFT).first()
    if existing:
        return _ref(existing)
    source = item.versions.exclude(status=VersionStatus.DRAFT).order_by("-number").first()
    if source is None:
        raise CatalogError(_("该事项没有可复制的版本。"))
    last_number = item.versions.aggregate(models.Max("number"))["number__max"]
    version = ServiceItemVersion(item=item, number=last_number + 1)
    _write_version(version, draft_of_version(source))
    return _ref(version)


def _count(model: type[models.Model]) -> Coalesce:
    """The number of a version's rows of one list, as a subquery of the version's own query."""
    rows = model._default_manager.filter(version=OuterRef("pk")).order_by().values("version")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@transaction.atomic
def publish_version(*, version_id: int, actor_id: int | None) -> VersionRef:
    """Publish a draft: check every rule, supersede the current version, rebuild the search index.

    The item row is locked before the version is read, so two publishers of one item are serialized
    and the second finds the version no longer a draft. Raises RuleViolationError with every broken
    rule, or CatalogError when the version is not a draft. The search index is written in this
    transaction: an item is findable exactly when it is published (no window for a queue to close).
    Nine queries, whatever the size of the item (bench/publish_item.py prints the time).
    The tokenizer runs when the draft is written, not here (see _reindex).
    """
    item = (
        ServiceItem.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(versions__pk=version_id)
        .first()
    )
    if item is None:
        raise ServiceItemVersion.DoesNotExist(version_id)
    _require_editor(actor_id, item.department_id)
    version = (
        ServiceItemVersion.objects.filter(pk=version_id)
        .annotate(fee_count=_count(Fee), legal_basis_count=_count(LegalBasis))
        .get()
    )
    if version.status != VersionStatus.DRAFT:
        raise CatalogError(_("只有草稿可以发布。"), code="not_draft")
    step_names = tuple(version.steps.values_list("name", flat=True))
    faqs = list(version.faqs.values_list("question", "answer"))
    facts = facts_from(
        version,
        fee_count=version.fee_count,
        faq_count=len(faqs),
        step_names=step_names,
        legal_basis_count=version.legal_basis_count,
        has_result_sample=bool(version.result_sample),
    )
    violations = check_item(facts)
    if violations:
        raise RuleViolationError([v.message for v in violations])
    now = timezone.now()
    # One statement supersedes the current version and publishes this one.
    this_one = Q(pk=version.pk)
    ServiceItemVersion.objects.filter(this_one | Q(item=item, status=VersionStatus.PUBLISHED)).update(
        status=Case(
            When(this_one, then=Value(VersionStatus.PUBLISHED)), default=Value(VersionStatus.SUPERSEDED)
        ),
        published_at=Case(When(this_one, then=Value(now)), default=F("published_at")),
        published_by_id=Case(
            When(this_one, then=Value(actor_id)),
            default=F("published_by_id"),
            output_field=ServiceItemVersion._meta.get_field("published_by").target_field,
        ),
    )
    version.status, version.published_at, version.published_by_id = VersionStatus.PUBLISHED, now, actor_id
    was_published = item.published_version_id is not None
    item.published_version_id = version.pk
    item.save(update_fields=["published_version"])
    version.item = item
    _reindex(item, version, department_name=item.department.name, faqs=faqs, has_row=was_published)
    return _ref(version)


def _index_texts(
    version: ServiceItemVersion,
    *,
    department_name: str,
    theme_names: list[str],
    material_names: list[str],
    faqs: list[tuple[str, str]],
) -> list[str]:
    """What the search index is made of, the name first, in an order that does not depend on how
    the lists were read (so a draft's stored tokens can be checked against its rows at publishing)."""
    return [
        version.name,
        version.summary,
        department_name,
        version.result_name,
        version.acceptance_conditions,
        *sorted(theme_names),
        *material_names,
        *(f"{q} {a}" for q, a in faqs),
    ]


def _index_tokens_source(texts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(texts).encode()).hexdigest()


def _index_tokens(texts: list[str]) -> dict[str, str]:
    return {
        "source": _index_tokens_source(texts),
        "name": index_tokens(texts[0]),
        "text": index_tokens(*texts[1:]),
    }


def _reindex(
    item: ServiceItem,
    version: ServiceItemVersion,
    *,
    department_name: str,
    faqs: list[tuple[str, str]],
    has_row: bool,
) -> None:
    """Write the item's search row from the published version's texts. The tokens made when the
    draft was written are reused when they were made from these very texts (the tokenizer costs more
    than the rest of publishing); a draft changed another way (the admin) is tokenized here."""
    texts = _index_texts(
        version,
        department_name=department_name,
        theme_names=list(version.themes.values_list("name", flat=True)),
        material_names=list(version.materials.values_list("name", flat=True)),
        faqs=faqs,
    )
    tokens = version.search_tokens
    if tokens.get("source") != _index_tokens_source(texts):
        tokens = _index_tokens(texts)
    values = {"name": version.name, "name_tokens": tokens["name"], "text_tokens": tokens["text"]}
    # A search row exists exactly while the item is published (has_row: it was before this version).
    if not has_row or not ItemSearchIndex.objects.filter(item=item).update(**values):
        ItemSearchIndex.objects.create(item=item, **values)
    # The search box's pinyin and the did-you-mean vocabulary follow the published name.
    pinyin.write_keys(item, version.name, had_name=has_row)
    search_generations.bump(search_generations.CATALOGUE)


@transaction.atomic
def ensure_theme(*, name: str, audience: str, sort_order: int = 0) -> int:
    """Create a theme if missing; returns its id."""
    theme, _created = Theme.objects.get_or_create(
        name=name, defaults={"audience": audience, "sort_order": sort_order}
    )
    return theme.pk
