"""Reads of 意见征集 and 在线访谈: the public lists and pages (published comments only), 我的留言, and the
staff's consultations, interviews and moderation queue within their departments (anything else is
None, which the views turn into an audited 404)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tongban.consultations.models import (
    Adoption,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationAttachment,
    ConsultationStatus,
    Interview,
    InterviewStatus,
    Section,
)
from tongban.consultations.roles import CONSULTATION_MODERATOR, CONSULTATION_PUBLISHER
from tongban.consultations.types import ResultCounts, SectionResult
from tongban.core.counting import Rows, first_rows
from tongban.organizations.selectors import department_ids_for, general_office_id

OPEN, CLOSED, RESULTS = "open", "closed", "results"
TABS = (OPEN, CLOSED, RESULTS)


# --- who -------------------------------------------------------------------------------------------


def publisher_department_ids(user_id: int) -> set[int]:
    """Departments whose consultations and interviews the user publishes and answers."""
    return department_ids_for(user_id=user_id, role=CONSULTATION_PUBLISHER)


def moderator_department_ids(user_id: int) -> set[int] | None:
    """Departments whose comments the user moderates; None: every department (a 留言审核 of the
    general office moderates for the whole city)."""
    ids = department_ids_for(user_id=user_id, role=CONSULTATION_MODERATOR)
    if ids and general_office_id() in ids:
        return None
    return ids


def _in_scope(queryset: QuerySet[Comment], departments: set[int] | None) -> QuerySet[Comment]:
    if departments is None:
        return queryset
    return queryset.filter(
        Q(consultation__department_id__in=departments) | Q(interview__department_id__in=departments)
    )


# --- the public ------------------------------------------------------------------------------------


def public_consultations(tab: str) -> list[Consultation]:
    now = timezone.now()
    published = Consultation.objects.select_related("department")
    if tab == RESULTS:
        return list(
            published.filter(status=ConsultationStatus.RESULT_PUBLISHED).order_by("-result_published_at")
        )
    published = published.filter(status=ConsultationStatus.PUBLISHED)
    if tab == CLOSED:
        return list(published.filter(closes_at__lte=now).order_by("-closes_at"))
    return list(published.filter(closes_at__gt=now).order_by("opens_at"))


def get_public_consultation(consultation_id: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("department")
        .exclude(status=ConsultationStatus.DRAFT)
        .filter(pk=consultation_id)
        .first()
    )


def sections_of(consultation_id: int) -> list[Section]:
    return list(Section.objects.filter(consultation_id=consultation_id))


def attachments_of(consultation_id: int) -> list[ConsultationAttachment]:
    return list(ConsultationAttachment.objects.filter(consultation_id=consultation_id))


def attachment_of(consultation_id: int, attachment_id: int) -> ConsultationAttachment | None:
    return ConsultationAttachment.objects.filter(consultation_id=consultation_id, pk=attachment_id).first()


def published_comments_by_section(consultation_id: int) -> dict[int | None, list[Comment]]:
    """The published comments, per section id (None: on the whole draft), oldest first: one query."""
    grouped: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in Comment.objects.filter(consultation_id=consultation_id, status=CommentStatus.PUBLISHED):
        grouped[comment.section_id].append(comment)
    return dict(grouped)


def result_counts(consultation_id: int) -> ResultCounts:
    """采纳情况 in numbers: the published comments, how many adopted, partly or not, per section."""
    rows = (
        Comment.objects.filter(consultation_id=consultation_id, status=CommentStatus.PUBLISHED)
        .values("section_id")
        .annotate(
            comments=Count("pk"),
            adopted=Count("pk", filter=Q(adoption=Adoption.ADOPTED)),
            partly=Count("pk", filter=Q(adoption=Adoption.PARTLY)),
            not_adopted=Count("pk", filter=Q(adoption=Adoption.NOT_ADOPTED)),
        )
    )
    by_section = {row["section_id"]: row for row in rows}
    empty = {"comments": 0, "adopted": 0, "partly": 0, "not_adopted": 0}
    sections = [
        SectionResult(section_id=s.pk, heading=s.heading, **_counts(by_section.get(s.pk, empty)))
        for s in sections_of(consultation_id)
    ]
    sections.append(
        SectionResult(section_id=None, heading="对征求意见稿整体", **_counts(by_section.get(None, empty)))
    )
    return ResultCounts(
        comments=sum(s.comments for s in sections),
        adopted=sum(s.adopted for s in sections),
        partly=sum(s.partly for s in sections),
        not_adopted=sum(s.not_adopted for s in sections),
        sections=tuple(sections),
    )


def _counts(row: dict[str, int]) -> dict[str, int]:
    return {key: row[key] for key in ("comments", "adopted", "partly", "not_adopted")}


def public_interviews() -> tuple[list[Interview], list[Interview]]:
    """(upcoming and under way, past): the published interviews."""
    now = timezone.now()
    published = Interview.objects.select_related("department").filter(status=InterviewStatus.PUBLISHED)
    return (
        list(published.filter(ends_at__gt=now).order_by("starts_at")),
        list(published.filter(ends_at__lte=now).order_by("-starts_at")),
    )


def get_public_interview(interview_id: int) -> Interview | None:
    return (
        Interview.objects.select_related("department")
        .filter(status=InterviewStatus.PUBLISHED, pk=interview_id)
        .first()
    )


def published_questions(interview_id: int) -> list[Comment]:
    return list(Comment.objects.filter(interview_id=interview_id, status=CommentStatus.PUBLISHED))


def comment_status(comment_id: int) -> str:
    return Comment.objects.filter(pk=comment_id).values_list("status", flat=True).first() or ""


def comments_of(author_id: int) -> list[Comment]:
    """我的留言: every comment and question of the author, newest first, with what became of it."""
    return list(
        Comment.objects.filter(author_id=author_id)
        .select_related("consultation", "section", "interview")
        .order_by("-created_at", "-pk")
    )


# --- staff -----------------------------------------------------------------------------------------


def managed_consultations(user_id: int) -> list[Consultation]:
    return list(
        Consultation.objects.filter(department_id__in=publisher_department_ids(user_id))
        .select_related("department")
        .annotate(
            held=Count("comments", filter=Q(comments__status=CommentStatus.HELD)),
            published_comments=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
        )
    )


def managed_interviews(user_id: int) -> list[Interview]:
    return list(
        Interview.objects.filter(department_id__in=publisher_department_ids(user_id))
        .select_related("department")
        .annotate(question_count=Count("questions", filter=Q(questions__status=CommentStatus.PUBLISHED)))
    )


def get_consultation_for_publisher(user_id: int, consultation_id: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("department")
        .filter(pk=consultation_id, department_id__in=publisher_department_ids(user_id))
        .first()
    )


def get_interview_for_publisher(user_id: int, interview_id: int) -> Interview | None:
    return (
        Interview.objects.select_related("department")
        .filter(pk=interview_id, department_id__in=publisher_department_ids(user_id))
        .first()
    )


def comments_for_publisher(consultation_id: int) -> list[Comment]:
    """Every comment of a consultation but the rejected ones, for answering and 采纳情况."""
    return list(
        Comment.objects.filter(consultation_id=consultation_id)
        .exclude(status=CommentStatus.REJECTED)
        .select_related("section")
        .order_by("section__position", "created_at", "pk")
    )


def questions_for_publisher(interview_id: int) -> list[Comment]:
    return list(Comment.objects.filter(interview_id=interview_id).exclude(status=CommentStatus.REJECTED))


def moderation_queue(user_id: int) -> list[Comment]:
    """The held comments and questions the user moderates, oldest first (one query after the scope)."""
    return moderation_page(user_id)[0]


RECENT_SHOWN = 20


def moderation_page(user_id: int) -> tuple[list[Comment], list[Comment]]:
    """(held, recently published): what the user moderates, the held oldest first, and the last
    RECENT_SHOWN published ones (a moderator can still take them down). The scope, then two queries."""
    departments = moderator_department_ids(user_id)
    if departments is not None and not departments:
        return [], []
    related = ("consultation__department", "section", "interview__department")
    held = _in_scope(Comment.objects.filter(status=CommentStatus.HELD), departments).select_related(*related)
    recent = (
        _in_scope(Comment.objects.filter(status=CommentStatus.PUBLISHED), departments)
        .select_related(*related)
        .order_by("-created_at", "-pk")[:RECENT_SHOWN]
    )
    return list(held), list(recent)


def is_moderator(user_id: int) -> bool:
    departments = moderator_department_ids(user_id)
    return departments is None or bool(departments)


def held_rows(user_id: int, limit: int) -> Rows | None:
    """Comments awaiting moderation, at most ``limit`` of them (the navigation counts them)."""
    departments = moderator_department_ids(user_id)
    if departments is not None and not departments:
        return None
    return first_rows(_in_scope(Comment.objects.filter(status=CommentStatus.HELD), departments), limit)
