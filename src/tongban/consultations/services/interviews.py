"""在线访谈: a department schedules an interview (topic, guests, time), publishes it so people send
questions until it starts (moderated by services.comments), answers selected questions during or
after it, and publishes the summary or transcript (访谈实录)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.consultations.errors import ConsultationConflict, ConsultationError
from tongban.consultations.models import Interview, InterviewStatus
from tongban.consultations.services._scope import publisher_departments
from tongban.consultations.types import InterviewDraft
from tongban.core import audit

TRANSCRIPT_MAX = 50_000


def _check(draft: InterviewDraft, departments: set[int]) -> None:
    if not draft.title.strip():
        raise ConsultationError(_("请输入访谈主题"), field="title")
    if len(draft.title.strip()) > 120:
        raise ConsultationError(_("访谈主题不能超过120个字"), field="title")
    if not draft.guests.strip():
        raise ConsultationError(_("请输入访谈嘉宾"), field="guests")
    if len(draft.guests.strip()) > 300:
        raise ConsultationError(_("访谈嘉宾不能超过300个字"), field="guests")
    if not draft.description.strip():
        raise ConsultationError(_("请输入访谈简介"), field="description")
    if len(draft.description) > 4000:
        raise ConsultationError(_("访谈简介不能超过4000个字"), field="description")
    if draft.department_id is None or draft.department_id not in departments:
        raise ConsultationError(_("请选择访谈部门"), field="department")
    if draft.starts_at is None:
        raise ConsultationError(_("请输入访谈日期和开始时间"), field="starts_on")
    if draft.ends_at is None:
        raise ConsultationError(_("请输入结束时间"), field="ends_time")
    if draft.ends_at <= draft.starts_at:
        raise ConsultationError(_("结束时间须晚于开始时间"), field="ends_time")


def _write(interview: Interview, draft: InterviewDraft) -> None:
    assert draft.department_id is not None
    assert draft.starts_at is not None
    assert draft.ends_at is not None
    interview.title = draft.title.strip()
    interview.guests = draft.guests.strip()
    interview.description = draft.description.strip()
    interview.department_id = draft.department_id
    interview.starts_at, interview.ends_at = draft.starts_at, draft.ends_at
    interview.requires_premoderation = draft.requires_premoderation


def create_interview(*, actor_id: int, draft: InterviewDraft, idempotency_key: str) -> int:
    existing = Interview.objects.filter(created_by_id=actor_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    departments = publisher_departments(actor_id)
    _check(draft, departments)
    interview = Interview(created_by_id=actor_id, idempotency_key=idempotency_key or uuid.uuid4().hex)
    _write(interview, draft)
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError:
        return Interview.objects.get(created_by_id=actor_id, idempotency_key=idempotency_key).pk
    return interview.pk


def _locked(actor_id: int, interview_id: int) -> Interview:
    departments = publisher_departments(actor_id)
    interview = (
        Interview.objects.select_for_update().filter(pk=interview_id, department_id__in=departments).first()
    )
    if interview is None:
        raise ConsultationError(_("找不到该访谈"), code="not_found")
    return interview


@transaction.atomic
def update_interview(*, actor_id: int, interview_id: int, draft: InterviewDraft) -> None:
    interview = _locked(actor_id, interview_id)
    if interview.status != InterviewStatus.DRAFT:
        raise ConsultationConflict(_("访谈已发布，不能再修改"), code="not_draft")
    _check(draft, publisher_departments(actor_id))
    _write(interview, draft)
    interview.save()


@transaction.atomic
def publish_interview(*, actor_id: int, interview_id: int, now: dt.datetime | None = None) -> None:
    """The public sees it and sends questions until it starts; refused once its start has passed."""
    interview = _locked(actor_id, interview_id)
    if interview.status != InterviewStatus.DRAFT:
        raise ConsultationConflict(_("访谈已发布"), code="not_draft")
    if interview.starts_at <= (now or timezone.now()):
        raise ConsultationError(_("访谈开始时间已过，请修改后再发布"), field="starts_on")
    interview.status = InterviewStatus.PUBLISHED
    interview.save(update_fields=["status"])
    audit.record(
        event="interview.publish",
        actor_id=actor_id,
        object_type="interview",
        object_id=interview.pk,
        department_id=interview.department_id,
    )


@transaction.atomic
def publish_transcript(
    *, actor_id: int, interview_id: int, transcript: str, now: dt.datetime | None = None
) -> None:
    """访谈实录 (a summary or the transcript), once the interview has started; may be corrected."""
    interview = _locked(actor_id, interview_id)
    if interview.status != InterviewStatus.PUBLISHED or interview.starts_at > (now or timezone.now()):
        raise ConsultationConflict(_("访谈开始后才能发布访谈实录"), code="not_started")
    if not transcript.strip():
        raise ConsultationError(_("请输入访谈实录"), field="transcript")
    if len(transcript) > TRANSCRIPT_MAX:
        raise ConsultationError(_("访谈实录不能超过%(n)s个字") % {"n": TRANSCRIPT_MAX}, field="transcript")
    interview.transcript = transcript.strip()
    interview.save(update_fields=["transcript"])
