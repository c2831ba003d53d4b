"""12345 reads: queues, the order page, duplicate suggestions, the requester's orders, the public
board, statistics, navigation counts and the classifier's training examples."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.accounts.selectors import names_of
from tongban.core.calendar import CHINA_TZ
from tongban.core.counting import Rows, first_rows
from tongban.core.pii import mask_personal_data
from tongban.hotline import rules
from tongban.hotline.access import dispatcher_department_ids, handler_department_ids, is_dispatcher
from tongban.hotline.models import (
    Category,
    DispatchDecision,
    ExtensionRequest,
    ExtensionStatus,
    OrderEvent,
    RoutingRule,
    Satisfaction,
    State,
    TimeLimit,
    WorkOrder,
)
from tongban.hotline.roles import HOTLINE_DISPATCHER
from tongban.organizations.selectors import departments_by_ids, region_ref, staff_ids_with_role, staffed_roles
from tongban.supervision.sections import BoardSection

QUEUE_LIMIT = 200
BOARD_PER_PAGE = 20


def region_code_chain(region_id: int | None) -> list[str]:
    """The region's code and its parents' (990102001000 → 990100000000, 990102000000, itself)."""
    if region_id is None:
        return []
    code = region_ref(region_id).code
    return list(dict.fromkeys(code[:n].ljust(12, "0") for n in (4, 6, 9, 12)))


def dispatcher_ids() -> list[int]:
    ids: list[int] = []
    centres = sorted({department_id for department_id, role in staffed_roles() if role == HOTLINE_DISPATCHER})
    for department_id in centres:
        ids += [
            i
            for i in staff_ids_with_role(department_id=department_id, role=HOTLINE_DISPATCHER)
            if i not in ids
        ]
    return ids


def active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


@dataclass(frozen=True)
class QueueRow:
    order: WorkOrder
    department: str
    warning: str  # "", yellow, red


def _rows(orders: QuerySet[WorkOrder], now: dt.datetime) -> list[QueueRow]:
    orders_list = list(orders.select_related("category", "lead_department")[:QUEUE_LIMIT])
    return [
        QueueRow(
            order=o,
            department=o.lead_department.short_name if o.lead_department else "",
            warning=rules.warning(start=o.dispatched_at, due=o.due_at, now=now)
            if o.state in rules.OPEN_STATES
            else "",
        )
        for o in orders_list
    ]


DISPATCHER_TABS = (
    ("submitted", gettext_lazy("待受理")),
    ("accepted", gettext_lazy("待派单")),
    ("returned", gettext_lazy("被退回")),
    ("replied", gettext_lazy("待审核回复")),
    ("closed", gettext_lazy("待回访")),
    ("supervised", gettext_lazy("督办")),
    ("extensions", gettext_lazy("延期审批")),
    ("all", gettext_lazy("全部")),
)


def _dispatcher_filter(tab: str) -> Q:
    if tab == "supervised":
        return Q(state__in=rules.OPEN_STATES | {"replied"}) & (
            Q(supervised=True) | Q(warning__in=["yellow", "red"])
        )
    if tab == "extensions":
        return Q(
            Exists(ExtensionRequest.objects.filter(order=OuterRef("pk"), status=ExtensionStatus.PENDING))
        )
    if tab == "all":
        return Q()
    return Q(state=tab)


def dispatcher_queue(tab: str, *, now: dt.datetime | None = None) -> tuple[dict[str, int], list[QueueRow]]:
    """The 派单员's queue: counts per tab (one query) and the rows of ``tab``."""
    now = now or timezone.now()
    counts = WorkOrder.objects.aggregate(
        **{key: Count("pk", filter=_dispatcher_filter(key)) for key, _label in DISPATCHER_TABS}
    )
    orders = WorkOrder.objects.filter(_dispatcher_filter(tab))
    if tab == "supervised":
        orders = orders.order_by("due_at", "id")
    return counts, _rows(orders, now)


DEPARTMENT_TABS = (
    ("dispatched", gettext_lazy("待签收")),
    ("handling", gettext_lazy("办理中")),
    ("due", gettext_lazy("将到期/超期")),
    ("replied", gettext_lazy("已回复")),
)


def _department_filter(tab: str, now: dt.datetime) -> Q:
    if tab == "due":
        return Q(state__in=rules.OPEN_STATES) & (Q(warning__in=["yellow", "red"]) | Q(due_at__lt=now))
    if tab == "replied":
        return Q(state__in=["replied", *rules.PUBLISHED_STATES])
    return Q(state=tab)


def department_queue(
    user_id: int, tab: str, *, now: dt.datetime | None = None
) -> tuple[dict[str, int], list[QueueRow]]:
    """A department's queue: the orders its 承办人员's departments lead."""
    now = now or timezone.now()
    mine = WorkOrder.objects.filter(lead_department_id__in=handler_department_ids(user_id))
    counts = mine.aggregate(
        **{key: Count("pk", filter=_department_filter(key, now)) for key, _l in DEPARTMENT_TABS}
    )
    orders = mine.filter(_department_filter(tab, now)).order_by("due_at", "id")
    return counts, _rows(orders, now)


def agent_orders(user_id: int, limit: int = 20) -> list[WorkOrder]:
    return list(WorkOrder.objects.filter(created_by_id=user_id).order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    action: str
    label: str
    actor: str
    department: str
    note: str


EVENT_LABELS = {
    "submitted": gettext_lazy("提交诉求"),
    "accepted": gettext_lazy("受理"),
    "dispatched": gettext_lazy("派单"),
    "redispatched": gettext_lazy("改派"),
    "signed": gettext_lazy("签收"),
    "returned": gettext_lazy("退单"),
    "replied": gettext_lazy("回复"),
    "closed": gettext_lazy("办结"),
    "sent_back": gettext_lazy("审核退回"),
    "followed_up": gettext_lazy("回访"),
    "rated": gettext_lazy("评价"),
    "extension_requested": gettext_lazy("申请延期"),
    "extension_approved": gettext_lazy("同意延期"),
    "extension_refused": gettext_lazy("不同意延期"),
    "merged": gettext_lazy("并单"),
    "merged_from": gettext_lazy("并入重复工单"),
    "supervised": gettext_lazy("督办"),
    "overdue_supervised": gettext_lazy("超期督办"),
}


def timeline(order: WorkOrder) -> list[TimelineEntry]:
    events = list(OrderEvent.objects.filter(order=order).select_related("department"))
    names = names_of({e.actor_id for e in events if e.actor_id})
    return [
        TimelineEntry(
            at=e.at,
            action=e.action,
            label=str(EVENT_LABELS.get(e.action, e.action)),
            actor=names.get(e.actor_id, "") if e.actor_id else _("系统"),
            department=e.department.short_name if e.department else "",
            note=e.note,
        )
        for e in events
    ]


def pending_extension(order: WorkOrder) -> ExtensionRequest | None:
    return order.extensions.filter(status=ExtensionStatus.PENDING).first()


def extensions_of(order: WorkOrder) -> list[ExtensionRequest]:
    return list(order.extensions.all())


def decisions_of(order: WorkOrder) -> list[DispatchDecision]:
    return list(
        order.decisions.select_related(
            "suggested_category", "chosen_category", "suggested_department", "chosen_department"
        )
    )


def assisting_names(order: WorkOrder) -> list[str]:
    return [d.short_name for d in order.assisting_departments.all()]


@dataclass(frozen=True)
class Duplicate:
    order: WorkOrder
    score: float


def likely_duplicates(order: WorkOrder, *, limit: int = 5) -> list[Duplicate]:
    """Orders of the last 30 days (before this one) that look like the same problem: Jaccard
    similarity of their jieba tokens, boosted by the same region and address; best first."""
    since = order.created_at - dt.timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    candidates = (
        WorkOrder.objects.filter(
            created_at__gte=since, created_at__lte=order.created_at + dt.timedelta(days=1)
        )
        .exclude(pk=order.pk)
        .exclude(state=State.MERGED)
        .only("pk", "number", "title", "tokens", "region_id", "address", "state", "created_at")
    )
    scored = []
    for other in candidates.iterator():
        score = rules.duplicate_score(
            tokens_a=order.tokens,
            tokens_b=other.tokens,
            same_region=order.region_id is not None and order.region_id == other.region_id,
            address_a=order.address,
            address_b=other.address,
        )
        if score >= rules.DUPLICATE_MIN_SCORE:
            scored.append(Duplicate(order=other, score=score))
    scored.sort(key=lambda d: (-d.score, -d.order.pk))
    return scored[:limit]


def route_preview(order: WorkOrder, category_id: int | None) -> RoutingRule | None:
    from tongban.hotline.services import route

    return route(category_id=category_id, region_id=order.region_id) if category_id else None


# Citizens -------------------------------------------------------------------------------------


def my_orders(requester_id: int) -> list[WorkOrder]:
    return list(
        WorkOrder.objects.filter(requester_id=requester_id)
        .select_related("merged_into", "category")
        .order_by("-created_at", "-id")[:100]
    )


def my_order(requester_id: int, order_id: int) -> WorkOrder | None:
    return (
        WorkOrder.objects.filter(requester_id=requester_id, pk=order_id)
        .select_related("merged_into", "category", "lead_department")
        .first()
    )


def answer_of(order: WorkOrder) -> WorkOrder | None:
    """The order whose reply the requester reads: its own, or the master's once merged and closed."""
    source = order.merged_into if order.state == State.MERGED and order.merged_into else order
    return source if source.state in rules.PUBLISHED_STATES else None


# Public board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    number: str
    title: str
    category: str
    order_type: str
    requester: str
    content: str
    department: str
    reply: str
    submitted_on: dt.date
    closed_on: dt.date | None


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname stays."""
    name = name.strip()
    if not name:
        return _("匿名")
    return name[0] + "*" * max(len(name) - 1, 1)


def _board_orders(category_code: str = "") -> QuerySet[WorkOrder]:
    orders = WorkOrder.objects.filter(
        publish_consent=True, confidential=False, state__in=rules.PUBLISHED_STATES
    ).exclude(reply="")
    if category_code:
        orders = orders.filter(category__code=category_code)
    return orders.order_by("-closed_at", "-id")


def board(*, category_code: str = "", page: int = 1) -> tuple[list[BoardEntry], int]:
    """The 公开栏: closed orders whose requester agreed to publish, with personal data masked.
    Returns the page's entries and the total."""
    orders = _board_orders(category_code)
    total = orders.count()
    start = (max(page, 1) - 1) * BOARD_PER_PAGE
    rows = orders.select_related("category", "lead_department")[start : start + BOARD_PER_PAGE]
    entries = [
        BoardEntry(
            number=o.number,
            title=mask_personal_data(o.title),
            category=o.category.name if o.category else "",
            order_type=o.get_order_type_display(),
            requester=mask_name(o.requester_name),
            content=mask_personal_data(o.content).replace(o.requester_name, mask_name(o.requester_name))
            if o.requester_name
            else mask_personal_data(o.content),
            department=o.lead_department.name if o.lead_department else "",
            reply=mask_personal_data(o.reply).replace(o.requester_name, mask_name(o.requester_name))
            if o.requester_name
            else mask_personal_data(o.reply),
            submitted_on=o.created_at.astimezone(CHINA_TZ).date(),
            closed_on=o.closed_at.astimezone(CHINA_TZ).date() if o.closed_at else None,
        )
        for o in rows
    ]
    return entries, total


# Statistics -----------------------------------------------------------------------------------


@dataclass
class StatsRow:
    label: str
    dispatched: int = 0
    signed_on_time: int = 0
    due_or_closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0  # 满意 + 基本满意

    @staticmethod
    def _rate(part: int, whole: int) -> str:
        return f"{part * 100 / whole:.1f}%" if whole else "—"

    @property
    def sign_rate(self) -> str:
        return self._rate(self.signed_on_time, self.dispatched)

    @property
    def close_rate(self) -> str:
        return self._rate(self.closed_on_time, self.due_or_closed)

    @property
    def satisfaction_rate(self) -> str:
        return self._rate(self.satisfied, self.rated)


@dataclass
class Statistics:
    first: dt.date
    last: dt.date
    by_department: list[StatsRow] = field(default_factory=list)
    by_category: list[StatsRow] = field(default_factory=list)
    total: StatsRow = field(default_factory=lambda: StatsRow(_("合计")))


def statistics(*, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> Statistics:
    """按时签收率 (signed within rules.SIGN_WITHIN of 派单, of the orders dispatched), 按时办结率
    (replied by the due time, of the orders closed or past due) and 满意率 (满意 + 基本满意, of the
    rated) per lead department and per category, over the orders dispatched from ``first`` to ``last``."""
    now = now or timezone.now()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=CHINA_TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=CHINA_TZ)
    rows = (
        WorkOrder.objects.filter(
            dispatched_at__gte=start, dispatched_at__lt=end, lead_department__isnull=False
        )
        .exclude(state=State.MERGED)
        .values_list(
            "lead_department_id",
            "category_id",
            "dispatched_at",
            "signed_at",
            "due_at",
            "replied_at",
            "state",
            "satisfaction",
        )
    )
    by_department: dict[int, StatsRow] = {}
    by_category: dict[int | None, StatsRow] = {}
    result = Statistics(first=first, last=last)
    for (
        department_id,
        row_category_id,
        dispatched_at,
        signed_at,
        due_at,
        replied_at,
        state,
        satisfaction,
    ) in rows:
        targets = [
            by_department.setdefault(department_id, StatsRow(str(department_id))),
            by_category.setdefault(row_category_id, StatsRow(str(row_category_id))),
            result.total,
        ]
        closed = state in rules.PUBLISHED_STATES
        for row in targets:
            row.dispatched += 1
            row.signed_on_time += rules.signed_on_time(dispatched_at, signed_at)
            if closed or (due_at is not None and due_at < now):
                row.due_or_closed += 1
                row.closed_on_time += bool(closed and replied_at and due_at and replied_at <= due_at)
            if satisfaction:
                row.rated += 1
                row.satisfied += satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
    names = departments_by_ids(list(by_department))
    for department_id, row in by_department.items():
        row.label = names[department_id].name if department_id in names else str(department_id)
    categories = {c.pk: c.name for c in Category.objects.filter(pk__in=[k for k in by_category if k])}
    for key, row in by_category.items():
        row.label = categories.get(key, _("未分类")) if key else _("未分类")
    result.by_department = sorted(by_department.values(), key=lambda r: r.label)
    result.by_category = sorted(by_category.values(), key=lambda r: r.label)
    return result


# Settings pages -------------------------------------------------------------------------------


def time_limits() -> list[TimeLimit]:
    return list(TimeLimit.objects.all())


def routing_rules() -> list[RoutingRule]:
    return list(
        RoutingRule.objects.select_related("category", "region", "lead_department").prefetch_related(
            "assisting_departments"
        )
    )


# Navigation counts (cheap: one COUNT over a LIMIT) ----------------------------------------------


def dispatcher_waiting_rows(user_id: int, limit: int) -> Rows | None:
    """待受理 + 待派单 + 被退回 + 待审核回复 for a 派单员, at most ``limit`` (the navigation counts them)."""
    if not dispatcher_department_ids(user_id):
        return None
    return first_rows(
        WorkOrder.objects.filter(state__in=["submitted", "accepted", "returned", "replied"]), limit
    )


def department_waiting_rows(user_id: int, limit: int) -> Rows | None:
    """待签收 + 办理中 for a department's 承办人员, at most ``limit`` (the navigation counts them)."""
    departments = handler_department_ids(user_id)
    if not departments:
        return None
    return first_rows(
        WorkOrder.objects.filter(lead_department_id__in=departments, state__in=rules.OPEN_STATES), limit
    )


# Training data --------------------------------------------------------------------------------


def training_examples() -> Iterator[tuple[str, str]]:
    """(text, category code) of every order whose category a dispatcher confirmed or overrode (its
    latest 派单 decision), for the classifier (train_hotline_classifier)."""
    latest = (
        DispatchDecision.objects.filter(order=OuterRef("order"))
        .order_by("-decided_at", "-id")
        .values("pk")[:1]
    )
    rows = (
        DispatchDecision.objects.filter(pk=Subquery(latest))
        .order_by("order_id")
        .values_list("order__title", "order__content", "chosen_category__code")
    )
    for title, content, code in rows.iterator(chunk_size=2000):
        yield (f"{title}\n{content}" if title else content), code


def can_see_all(user_id: int) -> bool:
    return is_dispatcher(user_id)


def order_id_by_key(key: str) -> int | None:
    return WorkOrder.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()


def category_id(code: str) -> int | None:
    return Category.objects.filter(code=code).values_list("pk", flat=True).first()


SUPERVISION_LIMIT = 50


def supervision_section(*, department_ids: set[int] | None, today: dt.date) -> BoardSection:
    """The e-supervision board's card: 12345 orders past their due time in a department's hands,
    led by the supervisor's departments (numbers, titles and due times only)."""
    start_of_today = dt.datetime.combine(today, dt.time.min, tzinfo=CHINA_TZ)
    overdue = WorkOrder.objects.filter(state__in=rules.OPEN_STATES, due_at__lt=start_of_today)
    if department_ids is not None:
        overdue = overdue.filter(lead_department_id__in=department_ids)
    rows = list(overdue.select_related("lead_department").order_by("due_at", "pk")[:SUPERVISION_LIMIT])
    return BoardSection(title=_("12345工单超期"), template="hotline/_board_section.html", rows=rows)
