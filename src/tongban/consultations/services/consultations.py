"""意见征集: a department's draft text, split into ordered sections, open for comments within a period.

States: 草稿 (draft: text, sections, files and period may change) → 已发布 (published: open from
``opens_at`` to ``closes_at``, then closed, by the clock) → 已公布采纳情况 (result_published: every
published comment has its 采纳情况 and the summary is public). Only the department's 征集发布 act."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import IO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.consultations.errors import ConsultationConflict, ConsultationError
from tongban.consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationAttachment,
    ConsultationStatus,
    Phase,
    Section,
)
from tongban.consultations.services._scope import publisher_departments
from tongban.consultations.types import ConsultationDraft
from tongban.core import audit
from tongban.core.uploads import check_upload, scan_upload

TITLE_MAX = 120
SUMMARY_MAX = 2000
HEADING_MAX = 120
SECTION_TEXT_MAX = 20_000
RESULT_MAX = 20_000
MAX_SECTIONS = 100
ATTACHMENT_TYPES = ("pdf", "ofd", "jpg", "png")
ATTACHMENT_MAX_MB = 20
MAX_ATTACHMENTS = 10


def _period(draft: ConsultationDraft) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the first day to the end of the last, in the city's time zone."""
    if draft.opens_on is None:
        raise ConsultationError(_("请输入开始日期"), field="opens_on")
    if draft.closes_on is None:
        raise ConsultationError(_("请输入截止日期"), field="closes_on")
    if draft.closes_on < draft.opens_on:
        raise ConsultationError(_("截止日期须不早于开始日期"), field="closes_on")
    zone = timezone.get_current_timezone()
    opens = dt.datetime.combine(draft.opens_on, dt.time.min, tzinfo=zone)
    closes = dt.datetime.combine(draft.closes_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return opens, closes


def _check(draft: ConsultationDraft, departments: set[int]) -> tuple[dt.datetime, dt.datetime]:
    if not draft.title.strip():
        raise ConsultationError(_("请输入标题"), field="title")
    if len(draft.title.strip()) > TITLE_MAX:
        raise ConsultationError(_("标题不能超过%(n)s个字") % {"n": TITLE_MAX}, field="title")
    if not draft.summary.strip():
        raise ConsultationError(_("请输入说明"), field="summary")
    if len(draft.summary) > SUMMARY_MAX:
        raise ConsultationError(_("说明不能超过%(n)s个字") % {"n": SUMMARY_MAX}, field="summary")
    if draft.department_id is None or draft.department_id not in departments:
        raise ConsultationError(_("请选择征集部门"), field="department")
    return _period(draft)


def _write(
    consultation: Consultation, draft: ConsultationDraft, period: tuple[dt.datetime, dt.datetime]
) -> None:
    assert draft.department_id is not None
    consultation.title = draft.title.strip()
    consultation.summary = draft.summary.strip()
    consultation.department_id = draft.department_id
    consultation.opens_at, consultation.closes_at = period
    consultation.requires_premoderation = draft.requires_premoderation


def create_consultation(*, actor_id: int, draft: ConsultationDraft, idempotency_key: str) -> int:
    """A new consultation in draft; a retried submission (same key) returns the first one.
    Raises ConsultationError (with the field) for a missing title, summary or period."""
    existing = Consultation.objects.filter(created_by_id=actor_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    departments = publisher_departments(actor_id)
    period = _check(draft, departments)
    consultation = Consultation(created_by_id=actor_id, idempotency_key=idempotency_key or uuid.uuid4().hex)
    _write(consultation, draft, period)
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError:
        return Consultation.objects.get(created_by_id=actor_id, idempotency_key=idempotency_key).pk
    audit.record(
        event="consultation.create",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation.pk,
        department_id=consultation.department_id,
    )
    return consultation.pk


def _locked(actor_id: int, consultation_id: int) -> Consultation:
    departments = publisher_departments(actor_id)
    consultation = (
        Consultation.objects.select_for_update()
        .filter(pk=consultation_id, department_id__in=departments)
        .first()
    )
    if consultation is None:
        raise ConsultationError(_("找不到该意见征集"), code="not_found")
    return consultation


def _locked_draft(actor_id: int, consultation_id: int) -> Consultation:
    consultation = _locked(actor_id, consultation_id)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ConsultationConflict(_("意见征集已发布，不能再修改征求意见稿"), code="not_draft")
    return consultation


@transaction.atomic
def update_consultation(*, actor_id: int, consultation_id: int, draft: ConsultationDraft) -> None:
    consultation = _locked_draft(actor_id, consultation_id)
    period = _check(draft, publisher_departments(actor_id))
    _write(consultation, draft, period)
    consultation.save()


def _check_section(heading: str, text: str) -> None:
    if not heading.strip():
        raise ConsultationError(_("请输入章节标题"), field="heading")
    if len(heading.strip()) > HEADING_MAX:
        raise ConsultationError(_("章节标题不能超过%(n)s个字") % {"n": HEADING_MAX}, field="heading")
    if not text.strip():
        raise ConsultationError(_("请输入条文"), field="text")
    if len(text) > SECTION_TEXT_MAX:
        raise ConsultationError(_("条文不能超过%(n)s个字") % {"n": SECTION_TEXT_MAX}, field="text")


@transaction.atomic
def add_section(*, actor_id: int, consultation_id: int, heading: str, text: str) -> int:
    """A section at the end of the draft."""
    consultation = _locked_draft(actor_id, consultation_id)
    _check_section(heading, text)
    if consultation.sections.count() >= MAX_SECTIONS:
        raise ConsultationError(_("征求意见稿最多%(n)s个章节") % {"n": MAX_SECTIONS}, field="heading")
    last = consultation.sections.aggregate(last=Max("position"))["last"] or 0
    section = Section.objects.create(
        consultation=consultation, position=last + 1, heading=heading.strip(), text=text.strip()
    )
    return section.pk


def _section(consultation: Consultation, section_id: int) -> Section:
    section = Section.objects.filter(consultation=consultation, pk=section_id).first()
    if section is None:
        raise ConsultationError(_("找不到该章节"), code="not_found")
    return section


@transaction.atomic
def update_section(*, actor_id: int, consultation_id: int, section_id: int, heading: str, text: str) -> None:
    consultation = _locked_draft(actor_id, consultation_id)
    section = _section(consultation, section_id)
    _check_section(heading, text)
    section.heading, section.text = heading.strip(), text.strip()
    section.save(update_fields=["heading", "text"])


@transaction.atomic
def move_section(*, actor_id: int, consultation_id: int, section_id: int, up: bool) -> None:
    """Swap a section with the one before (``up``) or after it; the first cannot go up."""
    consultation = _locked_draft(actor_id, consultation_id)
    sections = list(consultation.sections.all())
    index = next((i for i, s in enumerate(sections) if s.pk == section_id), None)
    if index is None:
        raise ConsultationError(_("找不到该章节"), code="not_found")
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(sections):
        return
    sections[index], sections[other] = sections[other], sections[index]
    for position, section in enumerate(sections, start=1):
        if section.position != position:
            section.position = position
            section.save(update_fields=["position"])


@transaction.atomic
def remove_section(*, actor_id: int, consultation_id: int, section_id: int) -> None:
    consultation = _locked_draft(actor_id, consultation_id)
    Section.objects.filter(consultation=consultation, pk=section_id).delete()


def add_attachment(*, actor_id: int, consultation_id: int, name: str, data: bytes | IO[bytes]) -> int:
    """Attach a file (the draft as PDF, an explanation) after the checks of every upload (core.uploads)."""
    publisher_departments(actor_id)
    checked = check_upload(
        name=name, data=data, allowed_types=ATTACHMENT_TYPES, max_size_mb=ATTACHMENT_MAX_MB
    )
    scan_upload(checked, uploader_id=actor_id)
    with transaction.atomic():
        consultation = _locked_draft(actor_id, consultation_id)
        if consultation.attachments.count() >= MAX_ATTACHMENTS:
            raise ConsultationError(_("每个意见征集最多%(n)s个附件") % {"n": MAX_ATTACHMENTS}, field="file")
        attachment = ConsultationAttachment(
            consultation=consultation,
            original_name=checked.display_name,
            content_type=checked.mime_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by_id=actor_id,
        )
        attachment.file.save(checked.display_name, ContentFile(checked.content), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment.pk


@transaction.atomic
def remove_attachment(*, actor_id: int, consultation_id: int, attachment_id: int) -> None:
    consultation = _locked_draft(actor_id, consultation_id)
    attachment = ConsultationAttachment.objects.filter(consultation=consultation, pk=attachment_id).first()
    if attachment is None:
        return
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def publish_consultation(*, actor_id: int, consultation_id: int, now: dt.datetime | None = None) -> None:
    """Publish a draft: the public sees it at once and may comment from ``opens_at`` to ``closes_at``.
    Refused without a section, or when the period has already ended; publishing twice is a 409."""
    consultation = _locked_draft(actor_id, consultation_id)
    if not consultation.sections.exists():
        raise ConsultationError(_("请至少添加一个章节后再发布"), code="no_sections")
    now = now or timezone.now()
    if consultation.closes_at <= now:
        raise ConsultationError(_("截止日期已过，请修改征集时间后再发布"), field="closes_on")
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.published_at = now
    consultation.save(update_fields=["status", "published_at"])
    audit.record(
        event="consultation.publish",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation.pk,
        department_id=consultation.department_id,
    )


@transaction.atomic
def close_consultation(*, actor_id: int, consultation_id: int, now: dt.datetime | None = None) -> None:
    """End the period now (提前结束), e.g. when the draft is withdrawn; comments stop at once."""
    consultation = _locked(actor_id, consultation_id)
    now = now or timezone.now()
    if consultation.phase_at(now) not in (Phase.OPEN, Phase.UPCOMING):
        raise ConsultationConflict(_("该意见征集未在征集中"), code="not_open")
    if consultation.opens_at >= now:
        consultation.opens_at = now - dt.timedelta(seconds=1)
    consultation.closes_at = now
    consultation.save(update_fields=["opens_at", "closes_at"])


@transaction.atomic
def publish_result(
    *, actor_id: int, consultation_id: int, summary: str, now: dt.datetime | None = None
) -> None:
    """采纳情况: after the period, once every published comment has its 采纳情况, the summary and the
    counts (result_counts) are published. Refused while open, with a comment still unmarked or held,
    or without a summary."""
    consultation = _locked(actor_id, consultation_id)
    now = now or timezone.now()
    if consultation.phase_at(now) != Phase.CLOSED:
        raise ConsultationConflict(_("征集结束后才能公布采纳情况"), code="not_closed")
    if not summary.strip():
        raise ConsultationError(_("请输入采纳情况说明"), field="summary")
    if len(summary) > RESULT_MAX:
        raise ConsultationError(_("采纳情况说明不能超过%(n)s个字") % {"n": RESULT_MAX}, field="summary")
    comments = Comment.objects.filter(consultation=consultation)
    if comments.filter(status=CommentStatus.HELD).exists():
        raise ConsultationError(_("还有待审核的留言，请先审核"), field="summary")
    unmarked = comments.filter(status=CommentStatus.PUBLISHED, adoption="").count()
    if unmarked:
        raise ConsultationError(
            _("还有%(n)s条留言未标注采纳情况，请先标注") % {"n": unmarked}, field="summary"
        )
    consultation.result_summary = summary.strip()
    consultation.status = ConsultationStatus.RESULT_PUBLISHED
    consultation.result_published_at = now
    consultation.save(update_fields=["result_summary", "status", "result_published_at"])
    audit.record(
        event="consultation.result",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation.pk,
        department_id=consultation.department_id,
    )
