"""主动公开 reads: who sees which items (staff: their departments; the 政务公开管理员: all), the gate's
findings, the staff list, the timeliness board and the 月通报, the public catalogue with search and
feeds, and what other apps receive (``proactive_report_counts``, ``search_published``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core.calendar import add_working_days, preloaded, working_days_between
from tongban.core.counting import Rows, first_rows
from tongban.core.pii import find_personal_data, mask
from tongban.core.search import query_words
from tongban.disclosure import rules
from tongban.disclosure.models import (
    Category,
    DisclosureAttachment,
    DisclosureGuide,
    DisclosureItem,
    ItemStatus,
    PolicyKind,
    QuarterlyReview,
    Validity,
    item_id_of,
)
from tongban.disclosure.roles import DEPARTMENT_ROLES, DISCLOSURE_ADMIN
from tongban.disclosure.types import ProactiveCounts, PublishedItemRef
from tongban.moderation.selectors import find_sensitive_words
from tongban.organizations.selectors import active_department_refs, department_ids_for, roles_of
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.subjects import SubjectSummary

STAFF_PAGE = 50
PUBLIC_PAGE = 20
SEARCH_CANDIDATES = 500  # T-K4: a search reads at most this many rows
FEED_SIZE = 20
UNPUBLISHED = (ItemStatus.DRAFT, ItemStatus.IN_REVIEW)


# --- who sees what --------------------------------------------------------------------------------


def has_role_in(user_id: int, department_id: int, role: str) -> bool:
    return (department_id, role) in roles_of(user_id=user_id)


def admin_department_ids(user_id: int) -> set[int]:
    """Where the user is 政务公开管理员 (any: the user sees every department's items)."""
    return department_ids_for(user_id=user_id, role=DISCLOSURE_ADMIN)


def staff_department_ids(user_id: int) -> set[int] | None:
    """The departments whose items the user sees: None (all) for the 政务公开管理员, else those
    where the user holds a 政务公开 role."""
    held = roles_of(user_id=user_id)
    if any(role == DISCLOSURE_ADMIN for _d, role in held):
        return None
    return {d for d, role in held if role in DEPARTMENT_ROLES}


def is_disclosure_staff(user_id: int) -> bool:
    scope = staff_department_ids(user_id)
    return scope is None or bool(scope)


def get_item_for(user_id: int, item_id: int) -> DisclosureItem | None:
    """The item when it is of one of the user's departments, or the user has or had a step of it."""
    item = DisclosureItem.objects.filter(pk=item_id).first()
    if item is None:
        return None
    scope = staff_department_ids(user_id)
    if scope is None or item.department_id in scope:
        return item
    if workflow_selectors.has_had_task_on(user_id, item.subject):
        return item
    return None


# --- the gate (T-I2) ------------------------------------------------------------------------------


def _pii(source: str, text: str) -> list[rules.Finding]:
    return [
        rules.Finding(
            source=source, kind=str(f.label), shown=mask(text[f.start : f.end], kind=f.kind), blocks=True
        )
        for f in find_personal_data(text)
    ]


def gate_findings(item: DisclosureItem) -> list[rules.Finding]:
    """Personal data (every kind blocks) in the title, the body and each attachment's text, and the
    listed sensitive words in the title and body (a 'block' word blocks; a 'review' word is shown to
    the reviewers only)."""
    found = _pii(str(_("标题")), item.title) + _pii(str(_("正文")), item.body)
    for name, text in DisclosureAttachment.objects.filter(item=item).values_list("name", "text"):
        found += _pii(str(_("附件《%(name)s》") % {"name": name}), text)
    for source, text in ((str(_("标题")), item.title), (str(_("正文")), item.body)):
        found += [
            rules.Finding(source=source, kind=str(_("敏感词")), shown=hit.word, blocks=hit.blocks)
            for hit in find_sensitive_words(text)
        ]
    return found


@dataclass(frozen=True)
class Gate:
    findings: list[rules.Finding]
    blocked: bool
    justified: bool  # the current blocking findings are covered by the editor's 发布说明


def gate_of(item: DisclosureItem) -> Gate:
    findings = gate_findings(item)
    current = rules.fingerprint(findings)
    return Gate(
        findings=findings,
        blocked=rules.is_blocked(findings, item.justified_findings),
        justified=bool(current) and current == item.justified_findings,
    )


# --- deadlines ------------------------------------------------------------------------------------


def due_date(changed_on: dt.date) -> dt.date:
    """Published within 20 working days of the information being formed or changed (Art. 26)."""
    return add_working_days(changed_on, rules.PUBLISH_WITHIN_WORKING_DAYS)


def _latest_start(end: dt.date, working_days: int) -> dt.date:
    """The latest day ``c`` with at least ``working_days`` working days in (c, end]: an item changed
    on or before it is due by ``end``."""
    with preloaded(end - dt.timedelta(days=3 * working_days + 60), end):
        day = end - dt.timedelta(days=working_days)
        while working_days_between(day, end) < working_days:
            day -= dt.timedelta(days=1)
        return day


def overdue_cutoff(today: dt.date) -> dt.date:
    """Unpublished items changed on or before this day are overdue (their due date has passed)."""
    return _latest_start(today - dt.timedelta(days=1), rules.PUBLISH_WITHIN_WORKING_DAYS)


def due_soon_cutoff(today: dt.date) -> dt.date:
    """Unpublished items changed on or before this day are due within ``DUE_SOON_WORKING_DAYS``."""
    return _latest_start(
        add_working_days(today, rules.DUE_SOON_WORKING_DAYS), rules.PUBLISH_WITHIN_WORKING_DAYS
    )


def _scoped(queryset: QuerySet[DisclosureItem], scope: set[int] | None) -> QuerySet[DisclosureItem]:
    return queryset if scope is None else queryset.filter(department_id__in=scope)


def attention_rows(user_id: int, limit: int) -> Rows | None:
    """The workbench count: unpublished items of the user's departments due within 5 working days or
    overdue, at most ``limit`` of them (the roles are read here, the rows counted with the others)."""
    scope = staff_department_ids(user_id)
    if scope is not None and not scope:
        return None
    cutoff = due_soon_cutoff(timezone.localdate())
    return first_rows(
        _scoped(DisclosureItem.objects.filter(status__in=UNPUBLISHED, changed_on__lte=cutoff), scope), limit
    )


# --- staff list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    index_number: str
    title: str
    department_name: str
    category: str
    status: str
    status_label: str
    changed_on: dt.date
    due: dt.date
    published_on: dt.date | None
    timeliness: str


STATUS_LABELS = dict(ItemStatus.choices)
CATEGORY_LABELS = dict(Category.choices)


def staff_items(
    user_id: int,
    *,
    status: str = "",
    department_id: int | None = None,
    category: str = "",
    query: str = "",
    page: int = 1,
    today: dt.date,
) -> tuple[list[StaffRow], bool]:
    """The items of the user's departments, newest change first, a page of 50 (and whether more)."""
    scope = staff_department_ids(user_id)
    rows = _scoped(DisclosureItem.objects.all(), scope)
    if status in ItemStatus.values:
        rows = rows.filter(status=status)
    if department_id:
        rows = rows.filter(department_id=department_id)
    if category in Category.values:
        rows = rows.filter(category=category)
    if query.strip():
        rows = rows.filter(Q(title__icontains=query.strip()) | Q(index_number__icontains=query.strip()))
    start = (max(page, 1) - 1) * STAFF_PAGE
    values = list(
        rows.order_by("-changed_on", "-id")
        .annotate(department_name=F("department__name"))
        .values(
            "id",
            "index_number",
            "title",
            "department_name",
            "category",
            "status",
            "changed_on",
            "published_on",
        )[start : start + STAFF_PAGE + 1]
    )
    soon = due_soon_cutoff(today) if values else today
    with preloaded(today - dt.timedelta(days=400), today + dt.timedelta(days=60)):
        found = [_staff_row(v, today, soon) for v in values[:STAFF_PAGE]]
    return found, len(values) > STAFF_PAGE


def _staff_row(v: dict[str, Any], today: dt.date, soon_cutoff: dt.date) -> StaffRow:
    due = due_date(v["changed_on"])
    published = v["published_on"] if v["status"] == ItemStatus.PUBLISHED else None
    state = (
        rules.timeliness(due=due, published_on=published, today=today, soon_from=today)
        if published or today > due
        else (rules.DUE_SOON if v["changed_on"] <= soon_cutoff else rules.PENDING)
    )
    if v["status"] == ItemStatus.WITHDRAWN:
        state = ""
    return StaffRow(
        id=v["id"],
        index_number=v["index_number"],
        title=v["title"],
        department_name=v["department_name"],
        category=str(CATEGORY_LABELS.get(v["category"], "")),
        status=v["status"],
        status_label=str(STATUS_LABELS[v["status"]]),
        changed_on=v["changed_on"],
        due=due,
        published_on=v["published_on"],
        timeliness=state,
    )


def departments_for_filter(user_id: int) -> list[tuple[int, str]]:
    scope = staff_department_ids(user_id)
    return [(d.id, d.name) for d in active_department_refs() if scope is None or d.id in scope]


# --- timeliness board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    overdue: list[StaffRow]
    due_soon: list[StaffRow]
    published_late: list[StaffRow]


BOARD_LIMIT = 200


def timeliness_board(user_id: int, *, today: dt.date, department_id: int | None = None) -> Board:
    """The user's departments' (every department's for the 政务公开管理员) unpublished items overdue
    or due within 5 working days, and the items published late this year."""
    scope = staff_department_ids(user_id)
    rows = _scoped(DisclosureItem.objects.all(), scope)
    if department_id:
        rows = rows.filter(department_id=department_id)
    soon = due_soon_cutoff(today)
    fields = (
        "id",
        "index_number",
        "title",
        "department_name",
        "category",
        "status",
        "changed_on",
        "published_on",
    )
    waiting = list(
        rows.filter(status__in=UNPUBLISHED, changed_on__lte=soon)
        .annotate(department_name=F("department__name"))
        .order_by("changed_on", "id")
        .values(*fields)[:BOARD_LIMIT]
    )
    published = list(
        rows.filter(status=ItemStatus.PUBLISHED, published_on__year=today.year)
        .annotate(department_name=F("department__name"))
        .order_by("-published_on", "-id")
        .values(*fields)[: BOARD_LIMIT * 5]
    )
    with preloaded(today - dt.timedelta(days=400), today + dt.timedelta(days=60)):
        waiting_rows = [_staff_row(v, today, soon) for v in waiting]
        late = [r for r in (_staff_row(v, today, soon) for v in published) if r.timeliness == rules.LATE]
    return Board(
        overdue=[r for r in waiting_rows if r.timeliness == rules.OVERDUE],
        due_soon=[r for r in waiting_rows if r.timeliness == rules.DUE_SOON],
        published_late=late[:BOARD_LIMIT],
    )


# --- 月通报 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentMonth:
    department_id: int
    department_name: str
    published: int
    on_time: int
    late: int
    overdue_unpublished: int
    by_category: dict[str, int]
    review: str  # the 季点评 of the month's quarter, "" when none


@dataclass(frozen=True)
class MonthlyReport:
    year: int
    month: int
    quarter: int
    rows: list[DepartmentMonth]
    totals: DepartmentMonth
    category_labels: list[str] = field(default_factory=list)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def monthly_report(user_id: int, *, year: int, month: int, today: dt.date) -> MonthlyReport:
    """月通报: per department of the user's scope with any item, the items published in the month,
    on time or late, the unpublished items overdue at the month's end (or today, in the current
    month), by category, and the quarter's 季点评."""
    scope = staff_department_ids(user_id)
    first, last = dt.date(year, month, 1), _month_end(year, month)
    as_of = min(last, today)
    departments = {d.id: d.name for d in active_department_refs() if scope is None or d.id in scope}
    base = DisclosureItem.objects.filter(department_id__in=list(departments))
    published = list(
        base.filter(status__in=(ItemStatus.PUBLISHED,), published_on__range=(first, last)).values_list(
            "department_id", "category", "changed_on", "published_on"
        )
    )
    cutoff = _latest_start(as_of, rules.PUBLISH_WITHIN_WORKING_DAYS + 1) if as_of >= first else first
    overdue = Counter(
        base.filter(status__in=UNPUBLISHED, changed_on__lte=cutoff).values_list("department_id", flat=True)
    )
    with_items = set(base.values_list("department_id", flat=True).distinct())
    quarter = (month - 1) // 3 + 1
    reviews = dict(
        QuarterlyReview.objects.filter(
            department_id__in=list(departments), year=year, quarter=quarter
        ).values_list("department_id", "text")
    )
    counts: dict[int, dict[str, Any]] = {
        d: {"published": 0, "on_time": 0, "late": 0, "by_category": Counter()} for d in with_items
    }
    with preloaded(first - dt.timedelta(days=400), last):
        for department_id, category, changed_on, published_on in published:
            entry = counts[department_id]
            entry["published"] += 1
            entry["on_time" if published_on and published_on <= due_date(changed_on) else "late"] += 1
            entry["by_category"][str(CATEGORY_LABELS[category])] += 1
    labels = [str(label) for label in CATEGORY_LABELS.values()]
    rows = [
        DepartmentMonth(
            department_id=d,
            department_name=departments[d],
            published=c["published"],
            on_time=c["on_time"],
            late=c["late"],
            overdue_unpublished=overdue.get(d, 0),
            by_category={label: c["by_category"].get(label, 0) for label in labels},
            review=reviews.get(d, ""),
        )
        for d, c in sorted(counts.items(), key=lambda kv: departments[kv[0]])
    ]
    totals = DepartmentMonth(
        department_id=0,
        department_name=str(_("合计")),
        published=sum(r.published for r in rows),
        on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows),
        overdue_unpublished=sum(r.overdue_unpublished for r in rows),
        by_category={label: sum(r.by_category[label] for r in rows) for label in labels},
        review="",
    )
    return MonthlyReport(
        year=year, month=month, quarter=quarter, rows=rows, totals=totals, category_labels=labels
    )


# --- public catalogue -----------------------------------------------------------------------------


def _public() -> QuerySet[DisclosureItem]:
    """Only published items, on every public channel (T-I1)."""
    return DisclosureItem.objects.filter(status=ItemStatus.PUBLISHED)


@dataclass(frozen=True)
class PublicFilters:
    query: str = ""
    department_id: int | None = None
    category: str = ""
    topic: str = ""
    validity: str = ""
    year: int | None = None


def _search(rows: QuerySet[DisclosureItem], query: str) -> QuerySet[DisclosureItem]:
    """Every query word among the tokens stored at publishing (``core.search``, as the service
    catalogue); a query with no word matches nothing extra."""
    for word in query_words(query):
        rows = rows.filter(search_tokens__contains=f" {word} ")
    return rows


def public_items(filters: PublicFilters, *, page: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """A page of the public catalogue (one query): newest published first, searched and filtered."""
    rows = _public()
    if filters.query.strip():
        rows = _search(rows, filters.query)
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.topic:
        rows = rows.filter(topic=filters.topic)
    if filters.validity:
        rows = rows.filter(validity=filters.validity)
    if filters.year:
        rows = rows.filter(published_on__year=filters.year)
    start = (max(page, 1) - 1) * PUBLIC_PAGE
    if filters.query.strip():
        # bounded work: the newest candidates only
        start = min(start, SEARCH_CANDIDATES)
    values = list(
        rows.order_by("-published_on", "-id")
        .annotate(department_name=F("department__name"))
        .values(
            "id",
            "index_number",
            "title",
            "department_name",
            "category",
            "policy_kind",
            "document_number",
            "published_on",
            "validity",
        )[start : start + PUBLIC_PAGE + 1]
    )
    for v in values:
        v["category_label"] = CATEGORY_LABELS.get(v["category"], "")
        v["validity_label"] = dict(Validity.choices)[v["validity"]]
    return values[:PUBLIC_PAGE], len(values) > PUBLIC_PAGE


def public_item(item_id: int) -> DisclosureItem | None:
    return _public().filter(pk=item_id).annotate(department_name=F("department__name")).first()


def public_attachment(item_id: int, attachment_id: int) -> DisclosureAttachment | None:
    """An attachment of a published item; None for any other (T-I3)."""
    return DisclosureAttachment.objects.filter(
        pk=attachment_id, item_id=item_id, item__status=ItemStatus.PUBLISHED
    ).first()


def attachments_of(item_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in DisclosureAttachment.objects.filter(item_id=item_id).values(
            "id", "name", "size", "mime_type"
        )
    ]


def feed_items(department_id: int | None) -> list[DisclosureItem]:
    rows = _public()
    if department_id:
        rows = rows.filter(department_id=department_id)
    return list(rows.order_by("-published_at", "-id")[:FEED_SIZE])


def guide_of(department_id: int) -> DisclosureGuide | None:
    return DisclosureGuide.objects.filter(department_id=department_id).first()


def departments_with_guides() -> set[int]:
    return set(DisclosureGuide.objects.values_list("department_id", flat=True))


def quarterly_reviews(department_ids: set[int] | None, year: int) -> dict[tuple[int, int], str]:
    rows = QuarterlyReview.objects.filter(year=year)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    return {(r.department_id, r.quarter): r.text for r in rows}


# --- for other apps (CONTRACT.md) -----------------------------------------------------------------


def proactive_report_counts(*, department_ids: list[int] | None, year: int) -> ProactiveCounts:
    """年度报告 第二部分: items first published in ``year``, items re-published in it after an earlier
    first publication, items marked 失效/废止 in it, by category, 规章 and 行政规范性文件.
    ``department_ids`` None: every department."""
    rows = DisclosureItem.objects.all()
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    shown = rows.filter(status__in=(ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN))
    first = list(shown.filter(first_published_on__year=year).values_list("category", "policy_kind"))
    updated = (
        rows.filter(status=ItemStatus.PUBLISHED, published_on__year=year)
        .exclude(first_published_on=F("published_on"))
        .count()
    )
    withdrawn = rows.filter(
        validity__in=(Validity.EXPIRED, Validity.REPEALED), validity_changed_on__year=year
    ).count()
    by_category = Counter(str(CATEGORY_LABELS[c]) for c, _k in first)
    return ProactiveCounts(
        published=len(first),
        updated=updated,
        withdrawn=withdrawn,
        by_category={str(label): by_category.get(str(label), 0) for label in CATEGORY_LABELS.values()},
        regulations=sum(1 for c, k in first if c == Category.POLICY and k == PolicyKind.REGULATION),
        normative_documents=sum(1 for c, k in first if c == Category.POLICY and k == PolicyKind.NORMATIVE),
    )


def search_published(
    query: str, *, department_id: int | None = None, limit: int = 10
) -> list[PublishedItemRef]:
    """Published items matching ``query`` (the public catalogue's search), newest first: what a
    依申请公开 answer 已公开 links to."""
    if not query_words(query):
        return []
    rows = _search(_public(), query)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return [
        PublishedItemRef(
            id=pk,
            index_number=index_number,
            title=title,
            url=reverse("disclosure:item", args=[pk]),
            department_id=dept,
            published_on=published_on or dt.date.min,  # published items always have the date
        )
        for pk, index_number, title, dept, published_on in rows.order_by("-published_on", "-id").values_list(
            "pk", "index_number", "title", "department_id", "published_on"
        )[: max(0, min(limit, 100))]
    ]


# --- the task lists (待办) ------------------------------------------------------------------------


def describe_items(subjects: list[str]) -> dict[str, SubjectSummary]:
    """Task lists show an item by its 索引号 and 标题, and its author."""
    ids = {item_id_of(s) for s in subjects} - {None}
    items = list(DisclosureItem.objects.filter(pk__in=ids))
    names = names_of({i.author_id for i in items})
    by_id = {i.pk: i for i in items}
    found: dict[str, SubjectSummary] = {}
    for subject in subjects:
        item = by_id.get(item_id_of(subject) or 0)
        if item is None:
            continue
        found[subject] = SubjectSummary(
            number=item.index_number,
            title=str(_("主动公开：%(title)s") % {"title": item.title}),
            party=names.get(item.author_id, ""),
            page_url=reverse("disclosure:staff_item", args=[item.pk]),
            task_url=lambda task_id: reverse("disclosure:task", args=[task_id]),
            claim_url=lambda task_id: reverse("disclosure:claim", args=[task_id]),
        )
    return found
