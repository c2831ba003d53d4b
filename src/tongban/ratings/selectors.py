"""Reads of ratings and 差评整改, always within what the viewer may see: applicants their own ratings;
staff the rectifications of their departments, handled by the handling roles and read by supervisors
(a department supervisor their departments, a city supervisor all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import contact_of, names_of
from tongban.accounts.types import Contact
from tongban.applications.selectors import application_facts, applications_by_ids
from tongban.catalog.selectors import version_snapshot
from tongban.core.calendar import working_days_between
from tongban.core.deadlines import Level, warning_level
from tongban.organizations.selectors import department_ids_for, departments_by_ids
from tongban.ratings.models import (
    Channel,
    FollowUp,
    Rating,
    Rectification,
    RectificationAttachment,
    RectificationReply,
)
from tongban.ratings.rules import Step, next_steps
from tongban.supervision.sections import BoardSection
from tongban.supervision.selectors import supervision_scope

# Who handles a department's rectifications: its case-handling roles (as for its cases).
HANDLING_ROLES = ("clerk", "reviewer", "approver", "department_admin")
LIST_LIMIT = 200

Status = Rectification.Status
# The list's tabs: 未办结 (the default), 已超期, then each status.
FILTERS = ("unfinished", "overdue", Status.OPEN, Status.REPLIED, Status.FOLLOWED_UP, Status.DONE)


@dataclass(frozen=True)
class StaffScope:
    handling: frozenset[int]  # departments whose rectifications the viewer handles
    reading: frozenset[int] | None  # departments whose rectifications the viewer reads; None: all

    @property
    def is_empty(self) -> bool:
        return self.reading is not None and not self.reading

    def may_read(self, department_id: int) -> bool:
        return self.reading is None or department_id in self.reading

    def may_handle(self, department_id: int) -> bool:
        return department_id in self.handling


def handling_department_ids(staff_id: int) -> frozenset[int]:
    return frozenset().union(*(department_ids_for(user_id=staff_id, role=role) for role in HANDLING_ROLES))


def staff_scope(staff_id: int) -> StaffScope:
    """The handling roles' departments, plus what the viewer supervises (read only)."""
    handling = handling_department_ids(staff_id)
    supervised = supervision_scope(staff_id)
    return StaffScope(
        handling=handling, reading=None if supervised is None else handling | frozenset(supervised)
    )


def _within(rectifications: QuerySet[Rectification], department_ids: Iterable[int] | None):
    return (
        rectifications if department_ids is None else rectifications.filter(department_id__in=department_ids)
    )


def _filtered(rectifications: QuerySet[Rectification], show: str, today: dt.date):
    if show == "overdue":
        return rectifications.exclude(status=Status.DONE).filter(due_date__lt=today)
    if show in Status.values:
        return rectifications.filter(status=show)
    return rectifications.exclude(status=Status.DONE)


@dataclass(frozen=True)
class RectificationRow:
    id: int
    application_number: str
    department_name: str
    level_label: str
    due_date: dt.date
    status: str
    status_label: str
    warning: Level | None  # None once closed
    overdue_days: int  # working days past the due date, 0 when not overdue


def _warning(rectification: Rectification, created_at: dt.datetime, today: dt.date) -> Level | None:
    if rectification.status == Status.DONE:
        return None
    return warning_level(start=created_at, due=rectification.due_date, today=today)


def _overdue_days(rectification: Rectification, today: dt.date) -> int:
    return working_days_between(rectification.due_date, today) if rectification.is_overdue(today) else 0


def _rows(rectifications: list[Rectification], today: dt.date) -> list[RectificationRow]:
    numbers = {
        pk: a.number or ""
        for pk, a in applications_by_ids({r.rating.application_id for r in rectifications}).items()
    }
    departments = departments_by_ids({r.department_id for r in rectifications})
    return [
        RectificationRow(
            id=r.pk,
            application_number=numbers.get(r.rating.application_id, ""),
            department_name=departments[r.department_id].short_name,
            level_label=r.rating.get_level_display(),
            due_date=r.due_date,
            status=r.status,
            status_label=r.get_status_display(),
            warning=_warning(r, r.rating.created_at, today),
            overdue_days=_overdue_days(r, today),
        )
        for r in rectifications
    ]


@dataclass(frozen=True)
class RectificationList:
    rows: list[RectificationRow]
    counts: dict[str, int]  # per FILTERS key
    is_truncated: bool  # more than LIST_LIMIT matched


def rectifications_for_staff(
    staff_id: int, *, show: str = "unfinished", today: dt.date | None = None
) -> RectificationList:
    """The rectifications the viewer may read, one tab of FILTERS (an unknown one is 未办结), the
    most urgent first, at most LIST_LIMIT; and the count of every tab."""
    today = today or timezone.localdate()
    scope = staff_scope(staff_id)
    if scope.is_empty:
        return RectificationList(rows=[], counts=dict.fromkeys(FILTERS, 0), is_truncated=False)
    visible = _within(Rectification.objects.all(), scope.reading)
    unfinished = ~Q(status=Status.DONE)
    counts = visible.aggregate(
        unfinished=Count("pk", filter=unfinished),
        overdue=Count("pk", filter=unfinished & Q(due_date__lt=today)),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    matching = list(
        _filtered(visible, show if show in FILTERS else "unfinished", today)
        .select_related("rating")
        .order_by("due_date", "pk")[: LIST_LIMIT + 1]
    )
    return RectificationList(
        rows=_rows(matching[:LIST_LIMIT], today), counts=counts, is_truncated=len(matching) > LIST_LIMIT
    )


def open_rectification_count(staff_id: int) -> int:
    """Rectifications not yet closed in the departments the viewer handles (a count for the workbench)."""
    return (
        Rectification.objects.filter(department_id__in=handling_department_ids(staff_id))
        .exclude(status=Status.DONE)
        .count()
    )


def overdue_board_section(*, department_ids: set[int] | None, today: dt.date) -> BoardSection:
    """The supervision board's card of overdue rectifications in the supervisor's departments."""
    overdue = list(
        _filtered(_within(Rectification.objects.all(), department_ids), "overdue", today)
        .select_related("rating")
        .order_by("due_date", "pk")[:LIST_LIMIT]
    )
    return BoardSection(
        title=_("差评整改超期"), template="ratings/_board_section.html", rows=_rows(overdue, today)
    )


@dataclass(frozen=True)
class RectificationDetail:
    rectification: Rectification
    rating: Rating
    application_id: int
    application_number: str
    item_name: str
    department_name: str
    rater: Contact | None
    replies: list[tuple[RectificationReply, str]]  # each with who wrote it
    follow_ups: list[tuple[FollowUp, str]]  # each with who called
    may_handle: bool
    steps: frozenset[Step]  # what the viewer may do now; none for a reader
    warning: Level | None
    overdue_days: int


def get_rectification_for(
    staff_id: int, rectification_id: int, *, today: dt.date | None = None
) -> RectificationDetail | None:
    """One rectification the viewer may read, with its rating, case, rater and history; None for
    anything else (the view answers 404, T-B3). The rater's name and phone are personal data: the
    caller audits the access."""
    today = today or timezone.localdate()
    rectification = Rectification.objects.select_related("rating").filter(pk=rectification_id).first()
    if rectification is None:
        return None
    scope = staff_scope(staff_id)
    if not scope.may_read(rectification.department_id):
        return None
    rating = rectification.rating
    replies = list(rectification.replies.prefetch_related("attachments"))
    follow_ups = list(rectification.follow_ups.all())
    names = names_of({r.replied_by_id for r in replies} | {f.recorded_by_id for f in follow_ups})
    facts = application_facts(rating.application_id)
    may_handle = scope.may_handle(rectification.department_id)
    latest = follow_ups[-1].result if follow_ups else None
    return RectificationDetail(
        rectification=rectification,
        rating=rating,
        application_id=rating.application_id,
        application_number=facts.number if facts else "",
        item_name=version_snapshot(facts.item_version_id).name if facts else "",
        department_name=departments_by_ids({rectification.department_id})[rectification.department_id].name,
        rater=contact_of(rating.rater_id),
        replies=[(r, names.get(r.replied_by_id, "")) for r in replies],
        follow_ups=[(f, names.get(f.recorded_by_id, "")) for f in follow_ups],
        may_handle=may_handle,
        steps=next_steps(rectification.status, latest) if may_handle else frozenset(),
        warning=_warning(rectification, rating.created_at, today),
        overdue_days=_overdue_days(rectification, today),
    )


def attachment_for_staff(
    staff_id: int, rectification_id: int, attachment_id: int
) -> RectificationAttachment | None:
    """An attachment of a rectification the viewer may read, or None (a 404)."""
    attachment = (
        RectificationAttachment.objects.select_related("reply__rectification")
        .filter(pk=attachment_id, reply__rectification_id=rectification_id)
        .first()
    )
    if attachment is None or not staff_scope(staff_id).may_read(attachment.reply.rectification.department_id):
        return None
    return attachment


# The applicant's side.


def rated_application_ids(application_ids: Iterable[int], *, channel: str = Channel.ONLINE) -> set[int]:
    """Those of the applications already rated on ``channel`` (their 评价 link is gone)."""
    return set(
        Rating.objects.filter(application_id__in=list(application_ids), channel=channel).values_list(
            "application_id", flat=True
        )
    )


def has_rated(application_id: int, *, channel: str = Channel.ONLINE) -> bool:
    return Rating.objects.filter(application_id=application_id, channel=channel).exists()


@dataclass(frozen=True)
class OutcomeReply:
    text: str
    replied_at: dt.datetime


@dataclass(frozen=True)
class OutcomeFollowUp:
    result_label: str
    is_satisfied: bool
    contacted_on: dt.date


@dataclass(frozen=True)
class RatingOutcome:
    """What the applicant sees of their rating: the level, and for a bad one its 整改结果 and 回访."""

    level_label: str
    comment: str
    rated_at: dt.datetime
    rectification_status: str  # "" for a rating that opened none
    rectification_status_label: str
    replies: list[OutcomeReply]
    follow_ups: list[OutcomeFollowUp]


def rating_outcome(
    *, applicant_id: int, application_id: int, channel: str = Channel.ONLINE
) -> RatingOutcome | None:
    """The applicant's own rating of the application on ``channel``, or None."""
    rating = (
        Rating.objects.filter(application_id=application_id, rater_id=applicant_id, channel=channel)
        .select_related("rectification")
        .first()
    )
    if rating is None:
        return None
    rectification = getattr(rating, "rectification", None)
    if rectification is None:
        return RatingOutcome(
            level_label=rating.get_level_display(),
            comment=rating.comment,
            rated_at=rating.created_at,
            rectification_status="",
            rectification_status_label="",
            replies=[],
            follow_ups=[],
        )
    return RatingOutcome(
        level_label=rating.get_level_display(),
        comment=rating.comment,
        rated_at=rating.created_at,
        rectification_status=rectification.status,
        rectification_status_label=rectification.get_status_display(),
        replies=[OutcomeReply(text=r.text, replied_at=r.replied_at) for r in rectification.replies.all()],
        follow_ups=[
            OutcomeFollowUp(
                result_label=f.get_result_display(), is_satisfied=f.is_satisfied, contacted_on=f.contacted_on
            )
            for f in rectification.follow_ups.all()
        ],
    )
