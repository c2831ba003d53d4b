"""督办 reads: the items a viewer may see with their warning levels (e-supervision's yellow and red
cards, core.deadlines), the 督办 board's counts, one item's page, the 待办 counts, the supervision
board's card and the monthly 督办通报's data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core import calendar
from tongban.core.counting import Rows, first_rows
from tongban.core.deadlines import Level, warning_level
from tongban.organizations.selectors import departments_by_ids, roles_of
from tongban.supervision.sections import BoardSection
from tongban.tracking import rules
from tongban.tracking.access import officer_department_ids, visible_q
from tongban.tracking.models import (
    ExtensionRequest,
    ExtensionStatus,
    Feedback,
    ItemEvent,
    ItemStatus,
    TrackingItem,
)
from tongban.tracking.roles import DEPARTMENT_ACTORS, TRACKING_OFFICER
from tongban.tracking.services import due_dates_of

LIST_LIMIT = 200
CALENDAR_SPAN = dt.timedelta(days=366)
OPEN_STATUSES = (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.CLOSING)
FILTERS = ("all", "open", "overdue", "mine", *ItemStatus.values)


def level_of(item: TrackingItem, today: dt.date) -> Level:
    """The item's card by the e-supervision rule (core.deadlines.warning_level): yellow once the
    configured share of its working days is used, red after the deadline; none once it is closed."""
    if item.status not in OPEN_STATUSES or item.assigned_at is None:
        return Level.NORMAL
    return warning_level(start=item.assigned_at, due=item.due_date, today=today)


@dataclass(frozen=True)
class ItemRow:
    item: TrackingItem
    lead_department: str
    level: Level
    overdue_days: int


def _visible(user_id: int) -> QuerySet[TrackingItem]:
    ids = TrackingItem.objects.filter(visible_q(user_id)).values("pk")
    return TrackingItem.objects.filter(pk__in=ids)


def _filtered(rows: QuerySet[TrackingItem], show: str, *, user_id: int, today: dt.date) -> QuerySet:
    if show == "open":
        return rows.filter(status__in=OPEN_STATUSES)
    if show == "overdue":
        return rows.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if show == "mine":
        return rows.filter(leader_id=user_id)
    if show in ItemStatus.values:
        return rows.filter(status=show)
    return rows


def _rows(items: list[TrackingItem], today: dt.date) -> list[ItemRow]:
    names = departments_by_ids({i.lead_department_id for i in items})
    rows = []
    for item in items:
        level = level_of(item, today)
        overdue = (
            calendar.working_days_between(item.due_date, today) if level == Level.RED and item.due_date else 0
        )
        rows.append(
            ItemRow(
                item=item,
                lead_department=names[item.lead_department_id].short_name,
                level=level,
                overdue_days=overdue,
            )
        )
    return rows


@dataclass(frozen=True)
class Board:
    rows: list[ItemRow]
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    by_department: list[tuple[str, int, int, int]]  # (department, total, open, overdue)
    overdue: int
    yellow: int
    is_truncated: bool


def board(
    user_id: int, *, show: str = "open", department_id: int | None = None, today: dt.date | None = None
) -> Board:
    """The 督办 board of the viewer (a 督查室's items, a leader's, a department's): counts by status and
    by lead department over every visible item, and the rows of the chosen filter, worst first."""
    today = today or timezone.localdate()
    visible = _visible(user_id)
    statuses = Counter(visible.values_list("status", flat=True))
    department_counts: dict[int, list[int]] = {}
    for lead_id, status, due in visible.values_list("lead_department_id", "status", "due_date"):
        counts = department_counts.setdefault(lead_id, [0, 0, 0])
        counts[0] += 1
        if status in OPEN_STATUSES:
            counts[1] += 1
            if due is not None and due < today:
                counts[2] += 1
    names = departments_by_ids(set(department_counts))
    chosen = _filtered(visible, show if show in FILTERS else "open", user_id=user_id, today=today)
    if department_id is not None:
        chosen = chosen.filter(lead_department_id=department_id)
    items = list(chosen.order_by("due_date", "-created_at", "-id")[: LIST_LIMIT + 1])
    with calendar.preloaded(today - CALENDAR_SPAN, today + CALENDAR_SPAN):
        rows = _rows(items[:LIST_LIMIT], today)
    severity = {Level.RED: 0, Level.YELLOW: 1, Level.NORMAL: 2}
    rows.sort(key=lambda r: severity[r.level])
    return Board(
        rows=rows,
        by_status=[(s, str(label), statuses.get(s, 0)) for s, label in ItemStatus.choices],
        by_department=sorted(
            ((names[d].short_name, c[0], c[1], c[2]) for d, c in department_counts.items()),
            key=lambda r: (-r[1], r[0]),
        ),
        overdue=sum(c[2] for c in department_counts.values()),
        yellow=sum(1 for r in rows if r.level == Level.YELLOW),
        is_truncated=len(items) > LIST_LIMIT,
    )


def lead_departments_of(user_id: int) -> list[tuple[int, str]]:
    """The lead departments among the viewer's items (the board's department filter)."""
    ids = set(_visible(user_id).values_list("lead_department_id", flat=True))
    return sorted(((d.id, d.short_name) for d in departments_by_ids(ids).values()), key=lambda r: r[1])


def awaiting_rows(user_id: int, limit: int | None = None) -> tuple[Rows, ...] | None:
    """督办 steps waiting for the user (the workbench's 督办 entry), each kind at most ``limit``: 交办,
    审核办结 and 延期审批 in their 督查室; 签收 in the departments they act for. Feedback and 申请办结 are
    the department's ongoing work, shown on the board. The roles are read here; the items and the
    extensions are counted with the navigation's other numbers."""
    held = roles_of(user_id=user_id)
    offices = {d for d, role in held if role == TRACKING_OFFICER}
    actors = {d for d, role in held if role in DEPARTMENT_ACTORS}
    if not offices and not actors:
        return None
    waiting = Q(office_department_id__in=offices, status__in=(ItemStatus.OPENED, ItemStatus.CLOSING)) | Q(
        lead_department_id__in=actors, status=ItemStatus.ASSIGNED
    )
    items = first_rows(TrackingItem.objects.filter(waiting), limit)
    if not offices:
        return (items,)
    extensions = ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING, item__office_department_id__in=offices
    )
    return (items, first_rows(extensions, limit))


@dataclass(frozen=True)
class FeedbackRow:
    feedback: Feedback
    department: str
    author: str
    attachments: list[tuple[int, str]]


@dataclass(frozen=True)
class ItemPage:
    item: TrackingItem
    level: Level
    office_department: str
    lead_department: str
    assisting_departments: list[str]
    people: dict[int, str]
    feedbacks: list[FeedbackRow]
    extensions: list[ExtensionRequest]
    events: list[tuple[ItemEvent, str, str]]  # (event, what, who)
    leader: str
    signer: str
    due_dates: list[dt.date]
    next_feedback_due: dt.date | None


EVENT_LABELS = {
    "opened": "立项",
    "assigned": "交办",
    "signed": "签收",
    "feedback": "阶段反馈",
    "closing_requested": "申请办结",
    "closed": "审核办结",
    "returned": "退回继续办理",
    "evaluated": "评价",
    "extension_requested": "申请延期",
    "extension_approved": "同意延期",
    "extension_refused": "不同意延期",
    "nudged": "催办",
}


def event_label(action: str) -> str:
    return _(EVENT_LABELS.get(action, action))


def item_page(item: TrackingItem, *, today: dt.date | None = None) -> ItemPage:
    today = today or timezone.localdate()
    feedbacks = list(item.feedbacks.prefetch_related("attachments"))
    extensions = list(item.extensions.all())
    events = list(item.events.all())
    assisting_ids = set(item.assisting_departments.values_list("pk", flat=True))
    departments = departments_by_ids(
        {
            item.office_department_id,
            item.lead_department_id,
            *assisting_ids,
            *(f.department_id for f in feedbacks),
        }
    )
    people_ids = {f.author_id for f in feedbacks} | {e.actor_id for e in events}
    people_ids |= {x.requested_by_id for x in extensions} | {
        x.decided_by_id for x in extensions if x.decided_by_id
    }
    people_ids |= {u for u in (item.leader_id, item.created_by_id, item.signed_by_id, item.closed_by_id) if u}
    people = names_of(people_ids)
    due_dates = due_dates_of(item)
    answered = sum(1 for f in feedbacks if not f.is_final and f.department_id == item.lead_department_id)
    return ItemPage(
        item=item,
        level=level_of(item, today),
        office_department=departments[item.office_department_id].name,
        lead_department=departments[item.lead_department_id].name,
        assisting_departments=[departments[d].name for d in sorted(assisting_ids)],
        people=people,
        feedbacks=[
            FeedbackRow(
                feedback=f,
                department=departments[f.department_id].short_name,
                author=people.get(f.author_id, ""),
                attachments=[(a.pk, a.name) for a in f.attachments.all()],
            )
            for f in feedbacks
        ],
        extensions=extensions,
        events=[(e, event_label(e.action), people.get(e.actor_id, "")) for e in events],
        leader=people.get(item.leader_id or 0, ""),
        signer=people.get(item.signed_by_id or 0, ""),
        due_dates=due_dates,
        next_feedback_due=rules.next_due(due_dates, answered)
        if item.status == ItemStatus.IN_PROGRESS
        else None,
    )


def attachment_of(item: TrackingItem, attachment_id: int) -> tuple[str, str, bytes] | None:
    from tongban.tracking.models import FeedbackAttachment

    row = FeedbackAttachment.objects.filter(pk=attachment_id, feedback__item=item).first()
    return (row.name, row.mime_type, bytes(row.content)) if row else None


def pending_extension(item: TrackingItem) -> ExtensionRequest | None:
    return item.extensions.filter(status=ExtensionStatus.PENDING).first()


def supervision_section(*, department_ids: set[int] | None, today: dt.date) -> BoardSection:
    """The e-supervision board's card: 督办事项 past their deadline led by the supervisor's departments
    (titles and deadlines only: the item pages stay with the people involved)."""
    overdue = TrackingItem.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if department_ids is not None:
        overdue = overdue.filter(lead_department_id__in=department_ids)
    items = list(overdue.order_by("due_date", "pk")[:LIST_LIMIT])
    with calendar.preloaded(today - CALENDAR_SPAN, today + CALENDAR_SPAN):
        rows = _rows(items, today)
    return BoardSection(title=_("督办事项超期"), template="tracking/_board_section.html", rows=rows)


@dataclass(frozen=True)
class MonthlyReport:
    year: int
    month: int
    scope: str
    by_status: list[tuple[str, int]]
    by_department: list[tuple[str, int, int, int]]  # (department, total, closed this month, overdue)
    overdue: list[ItemRow]
    closed: list[ItemRow]
    rows: list[ItemRow]
    late_feedbacks: int
    total: int


def monthly_report(user_id: int, *, year: int, month: int, today: dt.date | None = None) -> MonthlyReport:
    """督办通报 of one month: the viewer's items opened by the month's end and not closed before it
    began, by status, by lead department, the overdue ones (as of the month's end, or today for the
    current month) and those closed in the month, with the late 阶段反馈 given in it."""
    today = today or timezone.localdate()
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    as_of = min(last, today)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    items = list(
        _visible(user_id)
        .filter(created_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .order_by("lead_department_id", "number", "pk")
    )
    with calendar.preloaded(as_of - CALENDAR_SPAN, as_of + CALENDAR_SPAN):
        rows = _rows(items, as_of)
    names = departments_by_ids({i.lead_department_id for i in items})
    per_department: dict[str, list[int]] = {}
    closed_in_month = []
    overdue_rows = []
    for row in rows:
        counts = per_department.setdefault(names[row.item.lead_department_id].name, [0, 0, 0])
        counts[0] += 1
        closed_at = row.item.closed_at
        if closed_at is not None and start <= closed_at < end:
            counts[1] += 1
            closed_in_month.append(row)
        if row.level == Level.RED:
            counts[2] += 1
            overdue_rows.append(row)
    statuses = Counter(i.status for i in items)
    late = Feedback.objects.filter(
        item__in=[i.pk for i in items], is_late=True, submitted_at__gte=start, submitted_at__lt=end
    ).count()
    offices = officer_department_ids(user_id)
    scope = "、".join(d.name for d in departments_by_ids(offices).values()) if offices else ""
    return MonthlyReport(
        year=year,
        month=month,
        scope=scope,
        by_status=[(str(label), statuses.get(s, 0)) for s, label in ItemStatus.choices],
        by_department=[(name, c[0], c[1], c[2]) for name, c in sorted(per_department.items())],
        overdue=overdue_rows,
        closed=closed_in_month,
        rows=rows,
        late_feedbacks=late,
        total=len(items),
    )


def item_id_titled(title: str) -> int | None:
    """The id of the item with this title (the demo city loads each of its items once)."""
    return TrackingItem.objects.filter(title=title).values_list("pk", flat=True).first()


@dataclass(frozen=True)
class TrackedSource:
    item_id: int
    number: str


def items_from_sources(kind: str, source_ids: list[str]) -> dict[str, TrackedSource]:
    """The 督办事项 opened from each of these sources of one kind (the first opened, when several), by
    source id: a source page shows 已立项督办 with the number instead of offering 立项 again."""
    found: dict[str, TrackedSource] = {}
    rows = TrackingItem.objects.filter(source_kind=kind, source_id__in=source_ids).order_by("pk")
    for item_id, number, source_id in rows.values_list("pk", "number", "source_id"):
        found.setdefault(source_id, TrackedSource(item_id=item_id, number=number))
    return found


DUE_SOON_WORKING_DAYS = 5


def due_soon(user_id: int, *, limit: int, today: dt.date | None = None) -> list[ItemRow]:
    """工作台: the viewer's open 督办事项 past their deadline or due within DUE_SOON_WORKING_DAYS working
    days, the earliest first (at most ``limit``)."""
    today = today or timezone.localdate()
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    items = list(
        _visible(user_id)
        .filter(status__in=OPEN_STATUSES, due_date__lte=horizon)
        .order_by("due_date", "pk")[:limit]
    )
    if not items:
        return []
    with calendar.preloaded(today - CALENDAR_SPAN, today + CALENDAR_SPAN):
        return _rows(items, today)
