"""Bundle (一件事) writes: catalog staff build and publish bundles; citizens start, answer, upload
and submit them.

A citizen's bundle case links one application draft per applicable item, opened through
``applications.services`` like any other draft, so numbering, deadlines, scanning and each item's
own process behave as for a single application. The submission submits every linked draft in one
transaction (all or none) and is idempotent: the case row is locked and a submitted case returns
its number again, submitting nothing twice.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications import services as application_services
from tongban.bundles import combine
from tongban.bundles.errors import BundleError, BundleNotFound, BundleStateError
from tongban.bundles.models import (
    Bundle,
    BundleCase,
    BundleCaseLink,
    BundleItem,
    BundleQuestion,
    BundleStatus,
    CaseStatus,
)
from tongban.bundles.selectors import applicable_item_ids, case_items, current_items, own_case
from tongban.catalog.selectors import published_item_refs
from tongban.core.audit import record

MIN_ITEMS = 2
BUNDLE_EDITOR = "catalog_editor"


# Staff: building a bundle ----------------------------------------------------------------------


def _life_events(text: str | list[str]) -> list[str]:
    parts = (
        text
        if isinstance(text, list)
        else text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    )
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


@transaction.atomic
def save_bundle(
    *,
    actor_id: int | None,
    code: str,
    name: str,
    summary: str = "",
    life_events: str | list[str] = "",
    bundle_id: int | None = None,
) -> int:
    """Create or edit a bundle's name, code, summary and life-event phrases; a published bundle
    stays published (its items are checked again on each publish)."""
    if not name.strip() or not code.strip():
        raise BundleError(_("请填写一件事名称和代码。"), code="blank")
    if Bundle.objects.filter(code=code).exclude(pk=bundle_id).exists():
        raise BundleError(_("代码已被其他一件事使用。"), code="code_taken")
    if bundle_id is None:
        bundle = Bundle.objects.create(
            code=code, name=name.strip(), summary=summary, life_events=_life_events(life_events)
        )
    else:
        bundle = Bundle.objects.select_for_update().filter(pk=bundle_id).first()
        if bundle is None:
            raise BundleNotFound(_("没有找到该一件事。"), code="not_found")
        bundle.code, bundle.name, bundle.summary = code, name.strip(), summary
        bundle.life_events = _life_events(life_events)
        bundle.save(update_fields=["code", "name", "summary", "life_events", "updated_at"])
    record(event="bundle.saved", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)
    return bundle.pk


def _bundle(bundle_id: int) -> Bundle:
    bundle = Bundle.objects.select_for_update().filter(pk=bundle_id).first()
    if bundle is None:
        raise BundleNotFound(_("没有找到该一件事。"), code="not_found")
    return bundle


@transaction.atomic
def add_bundle_item(*, actor_id: int | None, bundle_id: int, item_id: int, position: int = 0) -> int:
    """Add a published item to the bundle (an item once)."""
    bundle = _bundle(bundle_id)
    if item_id not in {r.item_id for r in published_item_refs()}:
        raise BundleError(_("只能加入已发布的事项。"), code="not_published")
    if bundle.items.filter(item_id=item_id).exists():
        raise BundleError(_("该事项已在这件事中。"), code="duplicate_item")
    entry = BundleItem.objects.create(bundle=bundle, item_id=item_id, position=position)
    record(event="bundle.item_added", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)
    return entry.pk


@transaction.atomic
def remove_bundle_item(*, actor_id: int | None, bundle_id: int, bundle_item_id: int) -> None:
    bundle = _bundle(bundle_id)
    bundle.items.filter(pk=bundle_item_id).delete()
    record(event="bundle.item_removed", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)


@transaction.atomic
def add_bundle_question(
    *,
    actor_id: int | None,
    bundle_id: int,
    text: str,
    switches: list[int],
    help_text: str = "",
    position: int = 0,
) -> int:
    """A 情形 question: answered 是, it switches on the bundle items listed (at least one)."""
    bundle = _bundle(bundle_id)
    if not text.strip():
        raise BundleError(_("请填写问题。"), code="blank_question")
    entries = list(bundle.items.filter(pk__in=switches))
    if not entries:
        raise BundleError(_("请选择该问题适用的事项。"), code="no_switch")
    question = BundleQuestion.objects.create(
        bundle=bundle, text=text.strip(), help_text=help_text, position=position
    )
    question.switches.set(entries)
    record(event="bundle.question_added", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)
    return question.pk


@transaction.atomic
def remove_bundle_question(*, actor_id: int | None, bundle_id: int, question_id: int) -> None:
    bundle = _bundle(bundle_id)
    bundle.questions.filter(pk=question_id).delete()
    record(event="bundle.question_removed", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)


@transaction.atomic
def publish_bundle(*, actor_id: int | None, bundle_id: int) -> None:
    """Publish: at least MIN_ITEMS items, every one of them published in the catalogue now."""
    bundle = _bundle(bundle_id)
    item_ids = list(bundle.items.values_list("item_id", flat=True))
    if len(item_ids) < MIN_ITEMS:
        raise BundleError(_("一件事至少包含两个事项。"), code="too_few_items")
    published = {r.item_id for r in published_item_refs()}
    if any(i not in published for i in item_ids):
        raise BundleError(_("一件事中有未发布的事项，请先移除或发布。"), code="not_published")
    bundle.status = BundleStatus.PUBLISHED
    bundle.published_at = timezone.now()
    bundle.save(update_fields=["status", "published_at", "updated_at"])
    record(event="bundle.published", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)


@transaction.atomic
def unpublish_bundle(*, actor_id: int | None, bundle_id: int) -> None:
    bundle = _bundle(bundle_id)
    bundle.status = BundleStatus.DRAFT
    bundle.save(update_fields=["status", "updated_at"])
    record(event="bundle.unpublished", actor_id=actor_id, object_type="bundle", object_id=bundle.pk)


# Citizens: one application for the life event ----------------------------------------------------


@transaction.atomic
def start_bundle_case(
    *, applicant_id: int, applicant_name: str, bundle_code: str, situation: dict[int, bool]
) -> int:
    """Open (or resume) the citizen's case of a published bundle with the 情形 answers given, and a
    draft application for each item the answers make applicable. Answering again while a draft
    relinks: drafts of items no longer applicable leave the case."""
    bundle = Bundle.objects.filter(code=bundle_code, status=BundleStatus.PUBLISHED).first()
    if bundle is None:
        raise BundleNotFound(_("没有找到该一件事。"), code="not_found")
    questions = list(bundle.questions.prefetch_related("switches"))
    if {q.pk for q in questions} - set(situation):
        raise BundleError(_("请回答每一个问题。"), code="unanswered")
    case = (
        BundleCase.objects.select_for_update()
        .filter(bundle=bundle, applicant_id=applicant_id, status=CaseStatus.DRAFT)
        .first()
    )
    if case is None:
        case = BundleCase.objects.create(bundle=bundle, applicant_id=applicant_id)
    case.situation = {str(q.pk): bool(situation[q.pk]) for q in questions}
    case.save(update_fields=["situation"])
    wanted = applicable_item_ids(bundle.pk, case.situation)
    items = current_items(wanted)
    if len(items) != len(wanted):
        raise BundleError(_("一件事中有事项暂停办理，请稍后再试。"), code="item_unavailable")
    case.links.exclude(item_id__in=wanted).delete()
    linked = set(case.links.values_list("item_id", flat=True))
    for position, item in enumerate(items):
        if item.item_id in linked:
            continue
        application_id = application_services.start_application(
            applicant_id=applicant_id,
            applicant_name=applicant_name,
            implementation_code=item.implementation_code,
        )
        BundleCaseLink.objects.create(
            case=case, application_id=application_id, item_id=item.item_id, position=position
        )
    return case.pk


def _draft_case(case_id: int, applicant_id: int) -> BundleCase:
    case = own_case(case_id, applicant_id, lock=True)
    if case.status != CaseStatus.DRAFT:
        raise BundleStateError(_("一件事已提交，不能修改。"), code="not_draft")
    return case


@transaction.atomic
def save_bundle_answers(*, case_id: int, applicant_id: int, answers: dict[str, Any]) -> None:
    """Keep the combined form's answers: each linked draft gets its own form's share of them."""
    case = _draft_case(case_id, applicant_id)
    links = list(case.links.all())
    items = case_items(case)
    form = combine.combine_forms(items)
    for link in links:
        application_services.save_answers(
            application_id=link.application_id,
            applicant_id=applicant_id,
            answers=combine.answers_for(form, link.item_id, answers),
        )


@transaction.atomic
def attach_bundle_material(
    *, case_id: int, applicant_id: int, material_key: str, name: str, data: bytes | IO[bytes]
) -> int:
    """One upload for a shared material: attached (type checked and scanned as any upload) to every
    linked application that asks for it. Returns how many applications received it."""
    case = _draft_case(case_id, applicant_id)
    shared = {m.key: m for m in combine.shared_materials(case_items(case))}
    material = shared.get(material_key)
    if material is None:
        raise BundleError(_("所选材料不属于这件事。"), code="unknown_material")
    content = data if isinstance(data, bytes) else data.read()
    applications = dict(case.links.values_list("item_id", "application_id"))
    for item_id, requirement_id in material.requirements:
        application_services.attach_material(
            application_id=applications[item_id],
            applicant_id=applicant_id,
            requirement_id=requirement_id,
            name=name,
            data=content,
        )
    return len(material.requirements)


@transaction.atomic
def submit_bundle_case(*, case_id: int, applicant_id: int) -> str:
    """Submit every linked application and give the case its 一件事编号, all in one transaction:
    when one application cannot be submitted (a missing material, a refused item), none is.
    Idempotent: a submitted case returns its number and submits nothing again."""
    case = own_case(case_id, applicant_id, lock=True)
    if case.status == CaseStatus.SUBMITTED:
        return case.number or ""
    links = list(case.links.all())
    if len(links) < 1:
        raise BundleError(_("没有需要办理的事项。"), code="no_items")
    for link in links:
        application_services.submit_application(application_id=link.application_id, applicant_id=applicant_id)
    now = timezone.now()
    local = timezone.localtime(now)
    # 一件事编号: the receipt prefix and 一件事's initials YJ, the day and the case id (unique).
    case.number = f"{settings.TONGBAN_RECEIPT_PREFIX}YJ{local:%Y%m%d}{case.pk:08d}"
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = now
    case.save(update_fields=["number", "status", "submitted_at"])
    record(event="bundle_case.submitted", actor_id=applicant_id, object_type="bundle_case", object_id=case.pk)
    return case.number
