"""The one moderation service of 意见征集 comments and 在线访谈 questions.

Submitting (logged-in people only, while the consultation is open or before the interview starts): the
text is bounded (COMMENT_MAX), checked against the 敏感词库 (moderation.selectors) and for personal data
(core.pii), and sorted by ``rules.screen``: a blocking word refuses it with the word named; a review
word or personal data holds it for a 留言审核; a clean one is published at once (post-moderation:
people see their comment, a moderator can still take it down) unless the consultation or interview
asks for premoderation of all. Personal data is always shown masked to the public (``public_body``).
A retried submission (same idempotency key) is not duplicated; an account sends at most
``comments_per_hour()`` comments an hour (429 past it).

Moderating (留言审核 of the department, or of the general office for all): approve, or reject with a
reason the author sees in 我的留言. Answering and 采纳情况 are the department's 征集发布."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import limits
from tongban.consultations import rules
from tongban.consultations.errors import ConsultationConflict, ConsultationError, TooManyComments
from tongban.consultations.models import (
    Adoption,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    Interview,
    Phase,
    Section,
)
from tongban.consultations.services._scope import may_moderate, publisher_departments
from tongban.core import audit
from tongban.core.pii import find_personal_data, mask_personal_data
from tongban.moderation.selectors import find_sensitive_words
from tongban.notifications.services import notify

COMMENT_MAX = 2000
ANSWER_MAX = 4000
REASON_MAX = 300


def comments_per_hour() -> limits.Limit:
    return limits.Limit("consultation-comment", getattr(settings, "TONGBAN_COMMENTS_PER_HOUR", 10), 3600)


def _existing(author_id: int, idempotency_key: str) -> int | None:
    if not idempotency_key:
        return None
    return (
        Comment.objects.filter(author_id=author_id, idempotency_key=idempotency_key)
        .values_list("pk", flat=True)
        .first()
    )


def _screen(body: str, *, requires_premoderation: bool) -> tuple[str, str]:
    """(status, held reason) of a new comment, or ConsultationError naming the blocking words."""
    body = body.strip()
    if not body:
        raise ConsultationError(_("请输入留言内容"), field="body")
    if len(body) > COMMENT_MAX:
        raise ConsultationError(_("留言内容不能超过%(n)s个字") % {"n": COMMENT_MAX}, field="body")
    screening = rules.screen(find_sensitive_words(body), find_personal_data(body))
    if screening.is_blocked:
        raise ConsultationError(
            _("留言中含有不允许发布的词语“%(words)s”，请删除后再提交")
            % {"words": "、".join(screening.blocking_words)},
            field="body",
            code="blocked",
        )
    if rules.held_on_arrival(screening, requires_premoderation=requires_premoderation):
        return CommentStatus.HELD, screening.held_reason or _("本次征集的留言均先审核后公开")
    return CommentStatus.PUBLISHED, ""


def _create(comment: Comment, author_id: int) -> int:
    if not limits.hit(comments_per_hour(), f"{author_id}"):
        raise TooManyComments(_("您留言太频繁了，请一小时后再试"), code="rate_limited")
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        existing = _existing(author_id, comment.idempotency_key)
        if existing is None:
            raise
        return existing
    audit.record(
        event="consultation.comment",
        actor_id=author_id,
        object_type="comment",
        object_id=comment.pk,
        reason=comment.status,
    )
    return comment.pk


def submit_comment(
    *,
    author_id: int,
    consultation_id: int,
    section_id: int | None,
    body: str,
    idempotency_key: str,
    now: dt.datetime | None = None,
) -> int:
    """A comment on a section (``section_id``) or on the whole draft (None), while the consultation is
    open. Returns the comment's id; its status says whether it is public or held. ``now``: when it
    happens (the demo city loads a history; default: the clock)."""
    existing = _existing(author_id, idempotency_key)
    if existing is not None:
        return existing
    consultation = (
        Consultation.objects.filter(pk=consultation_id).exclude(status=ConsultationStatus.DRAFT).first()
    )
    if consultation is None:
        raise ConsultationError(_("找不到该意见征集"), code="not_found")
    phase = consultation.phase_at(now or timezone.now())
    if phase == Phase.UPCOMING:
        raise ConsultationConflict(_("意见征集尚未开始，请在开始后留言"), code="not_open")
    if phase != Phase.OPEN:
        raise ConsultationConflict(_("意见征集已结束，不能再留言"), code="closed")
    if (
        section_id is not None
        and not Section.objects.filter(consultation=consultation, pk=section_id).exists()
    ):
        raise ConsultationError(_("找不到该章节"), code="not_found")
    status, reason = _screen(body, requires_premoderation=consultation.requires_premoderation)
    body = body.strip()
    return _create(
        Comment(
            consultation=consultation,
            section_id=section_id,
            author_id=author_id,
            body=body,
            public_body=mask_personal_data(body),
            status=status,
            held_reason=reason,
            idempotency_key=idempotency_key,
        ),
        author_id,
    )


def submit_question(
    *, author_id: int, interview_id: int, body: str, idempotency_key: str, now: dt.datetime | None = None
) -> int:
    """A question to an interview, before it starts; moderated like a comment."""
    existing = _existing(author_id, idempotency_key)
    if existing is not None:
        return existing
    interview = Interview.objects.filter(pk=interview_id, status="published").first()
    if interview is None:
        raise ConsultationError(_("找不到该访谈"), code="not_found")
    if (now or timezone.now()) >= interview.starts_at:
        raise ConsultationConflict(_("访谈已开始，不再征集提问"), code="closed")
    status, reason = _screen(body, requires_premoderation=interview.requires_premoderation)
    body = body.strip()
    return _create(
        Comment(
            interview=interview,
            author_id=author_id,
            body=body,
            public_body=mask_personal_data(body),
            status=status,
            held_reason=reason,
            idempotency_key=idempotency_key,
        ),
        author_id,
    )


def _locked_comment(comment_id: int) -> Comment:
    # No select_related: PostgreSQL locks no row on the nullable side of an outer join.
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise ConsultationError(_("找不到该留言"), code="not_found")
    return comment


def _link(comment: Comment) -> str:
    return reverse("consultations:mine")


@transaction.atomic
def approve_comment(*, actor_id: int, comment_id: int) -> None:
    """A held comment becomes public (its personal data masked). Approving one moderated already is a 409."""
    comment = _locked_comment(comment_id)
    if not may_moderate(actor_id, comment.department_id):
        raise ConsultationError(_("找不到该留言"), code="not_found")
    if comment.status != CommentStatus.HELD:
        raise ConsultationConflict(_("该留言已审核"), code="moderated")
    comment.status = CommentStatus.PUBLISHED
    comment.moderated_by_id = actor_id
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit.record(
        event="consultation.comment.approve",
        actor_id=actor_id,
        object_type="comment",
        object_id=comment.pk,
        subject_id=comment.author_id,
        department_id=comment.department_id,
    )


@transaction.atomic
def reject_comment(*, actor_id: int, comment_id: int, reason: str) -> None:
    """A held or published comment is taken off (不予公开) with a reason its author reads in 我的留言."""
    comment = _locked_comment(comment_id)
    if not may_moderate(actor_id, comment.department_id):
        raise ConsultationError(_("找不到该留言"), code="not_found")
    if not reason.strip():
        raise ConsultationError(_("请输入不予公开的原因"), field="reason")
    if len(reason.strip()) > REASON_MAX:
        raise ConsultationError(_("原因不能超过%(n)s个字") % {"n": REASON_MAX}, field="reason")
    if comment.status == CommentStatus.REJECTED:
        raise ConsultationConflict(_("该留言已审核"), code="moderated")
    comment.status = CommentStatus.REJECTED
    comment.rejection_reason = reason.strip()
    comment.moderated_by_id = actor_id
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    audit.record(
        event="consultation.comment.reject",
        actor_id=actor_id,
        object_type="comment",
        object_id=comment.pk,
        subject_id=comment.author_id,
        department_id=comment.department_id,
    )
    author_id, link, key = comment.author_id, _link(comment), f"consultation-comment-rejected:{comment.pk}"
    transaction.on_commit(
        lambda: notify(
            user_id=author_id,
            title=_("您的留言未通过审核"),
            body=_("原因：%(reason)s") % {"reason": reason.strip()},
            link=link,
            key=key,
        )
    )


@transaction.atomic
def answer_comment(*, actor_id: int, comment_id: int, answer: str) -> None:
    """The department's answer, shown under a public comment (or question); it may be changed."""
    comment = _locked_comment(comment_id)
    if comment.department_id not in publisher_departments(actor_id):
        raise ConsultationError(_("找不到该留言"), code="not_found")
    if comment.status != CommentStatus.PUBLISHED:
        raise ConsultationConflict(_("只能答复已公开的留言"), code="not_published")
    if not answer.strip():
        raise ConsultationError(_("请输入答复内容"), field="answer")
    if len(answer) > ANSWER_MAX:
        raise ConsultationError(_("答复内容不能超过%(n)s个字") % {"n": ANSWER_MAX}, field="answer")
    first = not comment.answer
    comment.answer = answer.strip()
    comment.answered_by_id = actor_id
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(
        event="consultation.comment.answer",
        actor_id=actor_id,
        object_type="comment",
        object_id=comment.pk,
        department_id=comment.department_id,
    )
    if first:
        author_id, link, key = (
            comment.author_id,
            _link(comment),
            f"consultation-comment-answered:{comment.pk}",
        )
        transaction.on_commit(
            lambda: notify(
                user_id=author_id,
                title=_("您的留言已收到答复"),
                body=comment.answer[:200],
                link=link,
                key=key,
            )
        )


@transaction.atomic
def record_adoption(
    *, actor_id: int, comment_id: int, adoption: str, reason: str, now: dt.datetime | None = None
) -> None:
    """采纳情况 of one published comment, after the period and before the result is published. 部分采纳
    and 未采纳 need a reason."""
    comment = _locked_comment(comment_id)
    consultation = comment.consultation
    if consultation is None or consultation.department_id not in publisher_departments(actor_id):
        raise ConsultationError(_("找不到该留言"), code="not_found")
    if consultation.phase_at(now or timezone.now()) != Phase.CLOSED:
        raise ConsultationConflict(_("征集结束后、公布结果前才能标注采纳情况"), code="not_closed")
    if comment.status != CommentStatus.PUBLISHED:
        raise ConsultationConflict(_("只能标注已公开的留言"), code="not_published")
    if adoption not in Adoption.values:
        raise ConsultationError(_("请选择采纳情况"), field="adoption")
    if adoption != Adoption.ADOPTED and not reason.strip():
        raise ConsultationError(_("请输入未采纳或部分采纳的理由"), field="reason")
    if len(reason.strip()) > 500:
        raise ConsultationError(_("理由不能超过500个字"), field="reason")
    comment.adoption = adoption
    comment.adoption_reason = reason.strip()
    comment.save(update_fields=["adoption", "adoption_reason"])
