"""Reads of 政务信息报送, each scoped to what the viewer may see (briefings.access)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tongban.accounts.selectors import names_of
from tongban.briefings.access import editor_department_ids, submissions_visible_to
from tongban.briefings.models import (
    Adoption,
    Issue,
    IssueCirculation,
    IssueStatus,
    Publication,
    ScoringLevel,
    Submission,
    SubmissionStatus,
)
from tongban.core.counting import Rows, first_rows
from tongban.organizations.selectors import departments_by_ids

LIST_LIMIT = 100


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    title: str
    department_name: str
    kind: str
    urgency: str
    urgency_code: str
    status: str
    status_code: str
    submitted_at: datetime.datetime


def submission_rows(user_id: int, *, status: str = "") -> list[SubmissionRow]:
    """The 信息 the viewer sees (their units' as 信息员, their publications' as 信息编辑), newest first,
    at most LIST_LIMIT; three queries whatever the number of rows."""
    queryset = submissions_visible_to(user_id)
    if status in SubmissionStatus.values:
        queryset = queryset.filter(status=status)
    rows = list(queryset.order_by("-submitted_at", "-id")[:LIST_LIMIT])
    names = departments_by_ids({s.department_id for s in rows})
    return [
        SubmissionRow(
            id=s.pk,
            title=s.title,
            department_name=names[s.department_id].short_name or names[s.department_id].name,
            kind=s.get_kind_display(),
            urgency=s.get_urgency_display(),
            urgency_code=s.urgency,
            status=s.get_status_display(),
            status_code=s.status,
            submitted_at=s.submitted_at,
        )
        for s in rows
    ]


def pending_rows(user_id: int, limit: int | None = None) -> Rows | None:
    """信息 waiting for the editor's decision in the viewer's publications, at most ``limit`` of them
    (the navigation counts them); None for a viewer who edits none."""
    departments = editor_department_ids(user_id)
    if not departments:
        return None
    waiting = Submission.objects.filter(
        publication__department_id__in=departments, status=SubmissionStatus.SUBMITTED
    )
    return first_rows(waiting, limit)


def unread_issue_rows(user_id: int, limit: int | None = None) -> Rows:
    """Issues circulated to the viewer and not opened yet, at most ``limit`` (信息待阅 in the navigation)."""
    return first_rows(IssueCirculation.objects.filter(reader_id=user_id, read_at__isnull=True), limit)


def publications_for_reporting() -> list[Publication]:
    return list(Publication.objects.filter(is_active=True).order_by("id"))


def publications_for_editor(user_id: int) -> list[Publication]:
    return list(
        Publication.objects.filter(department_id__in=editor_department_ids(user_id), is_active=True).order_by(
            "id"
        )
    )


def draft_issues(publication_id: int) -> list[Issue]:
    return list(
        Issue.objects.filter(publication_id=publication_id, status=IssueStatus.DRAFT).order_by("created_at")
    )


def issues_for_editor(user_id: int) -> list[Issue]:
    """Issues of the viewer's publications, drafts first then newest, with their entry and read counts."""
    return list(
        Issue.objects.filter(publication__department_id__in=editor_department_ids(user_id))
        .select_related("publication")
        .annotate(
            entry_count=Count("entries", distinct=True),
            reader_count=Count("circulations", distinct=True),
            read_count=Count("circulations", filter=Q(circulations__read_at__isnull=False), distinct=True),
        )
        .order_by("-status", "-published_at", "-created_at")[:LIST_LIMIT]
    )


def circulations_to(user_id: int) -> tuple[list[IssueCirculation], list[IssueCirculation]]:
    """信息待阅: (unread, read) issues circulated to the viewer, newest first."""
    rows = list(
        IssueCirculation.objects.filter(reader_id=user_id)
        .select_related("issue__publication")
        .order_by("-sent_at", "-id")[: LIST_LIMIT * 2]
    )
    return [c for c in rows if c.read_at is None], [c for c in rows if c.read_at is not None][:LIST_LIMIT]


@dataclass(frozen=True)
class ReceiptRow:
    reader_name: str
    department_name: str
    sent_at: datetime.datetime
    read_at: datetime.datetime | None


def receipts(issue_id: int) -> list[ReceiptRow]:
    """Who the issue went to and when each read it (unread first)."""
    rows = list(IssueCirculation.objects.filter(issue_id=issue_id).order_by("read_at", "department_id", "id"))
    names = names_of({c.reader_id for c in rows})
    departments = departments_by_ids({c.department_id for c in rows})
    unread = [c for c in rows if c.read_at is None]
    read = [c for c in rows if c.read_at is not None]
    return [
        ReceiptRow(
            reader_name=names.get(c.reader_id, ""),
            department_name=departments[c.department_id].short_name or departments[c.department_id].name,
            sent_at=c.sent_at,
            read_at=c.read_at,
        )
        for c in unread + read
    ]


def active_levels(*, issue_level: bool | None = None) -> list[ScoringLevel]:
    levels = ScoringLevel.objects.filter(is_active=True)
    if issue_level is not None:
        levels = levels.filter(is_issue_level=issue_level)
    return list(levels.order_by("position", "id"))


def all_levels() -> list[ScoringLevel]:
    return list(ScoringLevel.objects.select_related("updated_by").order_by("position", "id"))


# Ranking periods (考核周期).
MONTH, QUARTER, YEAR = "month", "quarter", "year"


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter or year
    year: int
    index: int  # the month (1-12) or quarter (1-4); 1 for a year

    @property
    def first_day(self) -> datetime.date:
        month = {MONTH: self.index, QUARTER: 3 * self.index - 2, YEAR: 1}[self.kind]
        return datetime.date(self.year, month, 1)

    @property
    def last_day(self) -> datetime.date:
        month = {MONTH: self.index, QUARTER: 3 * self.index, YEAR: 12}[self.kind]
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}年{self.index}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{self.index}季度"
        return f"{self.year}年"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes in the city's time zone."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end


def parse_period(kind: str, year: str, index: str, *, today: datetime.date) -> Period:
    """The period asked for in the query string; anything unreadable falls back to this month."""
    try:
        y, i = int(year), int(index or 1)
    except ValueError:
        return Period(MONTH, today.year, today.month)
    limits = {MONTH: 12, QUARTER: 4, YEAR: 1}
    if kind not in limits or not 2000 <= y <= 2100 or not 1 <= i <= limits[kind]:
        return Period(MONTH, today.year, today.month)
    return Period(kind, y, 1 if kind == YEAR else i)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    department_name: str
    submitted: int
    adopted: int
    points: Decimal


def ranking(period: Period) -> list[RankingRow]:
    """信息报送考核 for a period: per unit, the 信息 it submitted in the period, how many were adopted
    and the points of the 采用 records made in the period (the points each record kept). Ordered by
    points, then adoptions; equal points share a rank (1, 2, 2, 4). Units with nothing are left out."""
    start, end = period.bounds()
    points = {
        # SQLite sums decimals to a float-like value: one decimal place, as the rules are written.
        row["department_id"]: (Decimal(str(row["total"])).quantize(Decimal("0.1")), row["adopted"])
        for row in Adoption.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .values("department_id")
        .annotate(total=Sum("points"), adopted=Count("submission", distinct=True))
    }
    submitted = dict(
        Submission.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    names = departments_by_ids(set(points) | set(submitted))
    unranked = sorted(
        (
            (
                points.get(d, (Decimal("0"), 0))[0],
                points.get(d, (Decimal("0"), 0))[1],
                submitted.get(d, 0),
                names[d].name,
            )
            for d in names
        ),
        key=lambda r: (-r[0], -r[1], -r[2], r[3]),
    )
    rows: list[RankingRow] = []
    for n, (total, adopted, count, name) in enumerate(unranked, start=1):
        rank = rows[-1].rank if rows and rows[-1].points == total else n
        rows.append(
            RankingRow(rank=rank, department_name=name, submitted=count, adopted=adopted, points=total)
        )
    return rows


def submission_status(submission_id: int) -> str:
    return Submission.objects.values_list("status", flat=True).get(pk=submission_id)


def level_id_by_code(code: str) -> int | None:
    return ScoringLevel.objects.filter(code=code).values_list("pk", flat=True).first()
