"""Reads of 通知公告: who publishes where (``publisher_scope``), the notices addressed to a reader, and
the receipt board of a notice. A notice is addressed to a reader when it is city-wide, or when they
hold a role in one of its departments; anything else is not found (the views answer 404)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tongban.core.counting import Rows, first_rows
from tongban.notices.models import Notice, NoticeAttachment, NoticeAudience, NoticeReading, NoticeStatus
from tongban.notices.roles import NOTICE_PUBLISHER
from tongban.notices.types import DepartmentReceipts, NoticeRow, PublisherScope, ReceiptBoard, ReceiptLine
from tongban.organizations.selectors import (
    DEPARTMENT_ADMIN,
    active_department_refs,
    department_ids_for,
    departments_by_ids,
    general_office_id,
    is_city_admin,
    members_of_departments,
    with_sub_departments,
)

NOTICES_PER_PAGE = 20
MANAGED_PER_PAGE = 50


def publisher_scope(user_id: int) -> PublisherScope | None:
    """The departments the user publishes notices for (通知发布员 or 部门管理员 there) and may address
    (those and their sub-departments); a city administrator, or a publisher in the general office,
    addresses the whole city. None for anyone else."""
    if is_city_admin(user_id):
        every = frozenset(d.id for d in active_department_refs())
        return PublisherScope(user_id=user_id, department_ids=every, audience_ids=every, citywide=True)
    own = department_ids_for(user_id=user_id, role=NOTICE_PUBLISHER) | department_ids_for(
        user_id=user_id, role=DEPARTMENT_ADMIN
    )
    if not own:
        return None
    office = general_office_id()
    citywide = office is not None and office in own
    audience = (
        frozenset(d.id for d in active_department_refs())
        if citywide
        else frozenset(with_sub_departments(own))
    )
    return PublisherScope(
        user_id=user_id, department_ids=frozenset(own), audience_ids=audience, citywide=citywide
    )


def _addressed_to(user_id: int) -> Q:
    """City-wide, or to a department where the user holds a role (one EXISTS, no list of ids)."""
    in_audience = NoticeAudience.objects.filter(
        notice=OuterRef("pk"), department__assignments__user_id=user_id, department__is_active=True
    )
    return Q(is_citywide=True) | Q(Exists(in_audience))


def _current() -> Q:
    today = timezone.localdate()
    return Q(status=NoticeStatus.PUBLISHED) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def _acknowledged_by(user_id: int) -> Exists:
    return Exists(
        NoticeReading.objects.filter(notice=OuterRef("pk"), reader_id=user_id, acknowledged_at__isnull=False)
    )


def unacknowledged_rows(user_id: int, limit: int | None = None) -> Rows:
    """待阅: current notices addressed to the user that ask for a receipt they have not given, at most
    ``limit`` of them, for the navigation and the workbench to count (``core.counting``)."""
    waiting = Notice.objects.filter(_current(), _addressed_to(user_id), requires_receipt=True).exclude(
        _acknowledged_by(user_id)
    )
    return first_rows(waiting, limit)


def _rows(notices: QuerySet[Notice], user_id: int) -> list[NoticeRow]:
    opened = Exists(NoticeReading.objects.filter(notice=OuterRef("pk"), reader_id=user_id))
    values = notices.annotate(opened=opened, acknowledged=_acknowledged_by(user_id)).values(
        "pk",
        "title",
        "department__short_name",
        "is_pinned",
        "requires_receipt",
        "published_at",
        "opened",
        "acknowledged",
    )
    return [
        NoticeRow(
            id=v["pk"],
            title=v["title"],
            department_name=v["department__short_name"],
            is_pinned=v["is_pinned"],
            requires_receipt=v["requires_receipt"],
            published_at=v["published_at"],
            is_read=v["acknowledged"] if v["requires_receipt"] else v["opened"],
            acknowledged=v["acknowledged"],
        )
        for v in values
    ]


@dataclass(frozen=True)
class NoticePage:
    rows: list[NoticeRow]
    page: int
    pages: int


def _for_reader(user_id: int) -> QuerySet[Notice]:
    return Notice.objects.filter(_current(), _addressed_to(user_id)).order_by(
        "-is_pinned", "-published_at", "-pk"
    )


def notices_for(user_id: int, *, page: int = 1) -> NoticePage:
    """通知公告: the current notices addressed to the user, pinned first, then the newest; each marked
    read or not (a notice asking for a receipt is read once 已阅知). Two queries."""
    notices = _for_reader(user_id)
    pages = max(1, math.ceil(notices.count() / NOTICES_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * NOTICES_PER_PAGE
    return NoticePage(rows=_rows(notices[start : start + NOTICES_PER_PAGE], user_id), page=page, pages=pages)


def latest_notices_for(user_id: int, *, limit: int = 5) -> list[NoticeRow]:
    """The workbench's panel: the first ``limit`` of ``notices_for`` (one query)."""
    return _rows(_for_reader(user_id)[:limit], user_id)


def get_notice_for_reader(user_id: int, notice_id: int) -> Notice | None:
    """A published (or withdrawn: the page says so) notice addressed to the user; None otherwise."""
    return (
        Notice.objects.filter(
            _addressed_to(user_id), pk=notice_id, status__in=(NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN)
        )
        .select_related("department")
        .first()
    )


def get_notice_for_publisher(scope: PublisherScope, notice_id: int) -> Notice | None:
    """A notice issued by one of the scope's departments; None otherwise."""
    return (
        Notice.objects.filter(pk=notice_id, department_id__in=scope.department_ids)
        .select_related("department")
        .first()
    )


def reading_of(user_id: int, notice_id: int) -> NoticeReading | None:
    return NoticeReading.objects.filter(notice_id=notice_id, reader_id=user_id).first()


def audience_names(notice: Notice) -> list[str]:
    ids = set(NoticeAudience.objects.filter(notice=notice).values_list("department_id", flat=True))
    return sorted(d.name for d in departments_by_ids(ids).values())


def audience_ids(notice: Notice) -> set[int]:
    return set(NoticeAudience.objects.filter(notice=notice).values_list("department_id", flat=True))


def attachments_of(notice_id: int) -> list[NoticeAttachment]:
    return list(NoticeAttachment.objects.filter(notice_id=notice_id))


def attachment_of(notice_id: int, attachment_id: int) -> NoticeAttachment | None:
    return NoticeAttachment.objects.filter(notice_id=notice_id, pk=attachment_id).first()


@dataclass(frozen=True)
class ManagedRow:
    id: int
    title: str
    department_name: str
    status: str
    status_label: str
    is_citywide: bool
    requires_receipt: bool
    published_at: object
    updated_at: object
    acknowledged: int


@dataclass(frozen=True)
class ManagedPage:
    rows: list[ManagedRow]
    page: int
    pages: int


def managed_notices(scope: PublisherScope, *, status: str = "", page: int = 1) -> ManagedPage:
    """通知管理: the notices of the scope's departments, newest change first, with how many confirmed
    已阅知 (two queries)."""
    notices = Notice.objects.filter(department_id__in=scope.department_ids)
    if status in NoticeStatus.values:
        notices = notices.filter(status=status)
    pages = max(1, math.ceil(notices.count() / MANAGED_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * MANAGED_PER_PAGE
    labels = dict(NoticeStatus.choices)
    values = (
        notices.annotate(acknowledged=Count("readings", filter=Q(readings__acknowledged_at__isnull=False)))
        .order_by("-updated_at", "-pk")
        .values(
            "pk",
            "title",
            "department__short_name",
            "status",
            "is_citywide",
            "requires_receipt",
            "published_at",
            "updated_at",
            "acknowledged",
        )[start : start + MANAGED_PER_PAGE]
    )
    rows = [
        ManagedRow(
            id=v["pk"],
            title=v["title"],
            department_name=v["department__short_name"],
            status=v["status"],
            status_label=str(labels[v["status"]]),
            is_citywide=v["is_citywide"],
            requires_receipt=v["requires_receipt"],
            published_at=v["published_at"],
            updated_at=v["updated_at"],
            acknowledged=v["acknowledged"],
        )
        for v in values
    ]
    return ManagedPage(rows=rows, page=page, pages=pages)


def addressee_ids(notice: Notice) -> set[int]:
    """Everyone the notice is addressed to now (active staff in its departments, or in every one)."""
    departments = None if notice.is_citywide else audience_ids(notice)
    return {m.user_id for m in members_of_departments(departments)}


def receipt_board(notice: Notice) -> ReceiptBoard:
    """阅知情况: per department addressed (every department for a city-wide notice), who confirmed
    已阅知 (or, for a notice without a receipt, opened it) and when, and who did not yet; a person in two of them appears in both, counted once in the
    totals. Four queries whatever the audience."""
    departments = None if notice.is_citywide else audience_ids(notice)
    members = members_of_departments(departments)
    readings = {
        r.reader_id: r
        for r in NoticeReading.objects.filter(notice=notice, reader_id__in={m.user_id for m in members})
    }
    names = departments_by_ids({m.department_id for m in members})
    grouped: dict[int, tuple[list[ReceiptLine], list[ReceiptLine]]] = {}
    for member in members:
        reading = readings.get(member.user_id)
        line = ReceiptLine(
            user_id=member.user_id,
            name=member.name,
            opened_at=reading.opened_at if reading else None,
            acknowledged_at=reading.acknowledged_at if reading else None,
        )
        read, unread = grouped.setdefault(member.department_id, ([], []))
        done = line.acknowledged_at if notice.requires_receipt else line.opened_at
        (read if done else unread).append(line)
    people = {m.user_id for m in members}
    return ReceiptBoard(
        departments=tuple(
            DepartmentReceipts(
                department_id=department_id,
                department_name=names[department_id].name,
                read=tuple(read),
                unread=tuple(unread),
            )
            for department_id, (read, unread) in grouped.items()
        ),
        total=len(people),
        read=sum(
            1
            for user_id in people
            if (r := readings.get(user_id))
            and (r.acknowledged_at if notice.requires_receipt else r.opened_at)
        ),
    )
