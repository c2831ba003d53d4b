from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeDraft:
    """What a publisher writes: the notice's text and who it is for."""

    title: str
    body: str
    department_id: int | None  # the issuing department
    is_citywide: bool
    audience_ids: tuple[int, ...]  # the departments addressed when not city-wide
    is_pinned: bool = False
    requires_receipt: bool = False
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class PublisherScope:
    """Whom a publisher speaks for: the departments they may issue from, and where they may address."""

    user_id: int
    department_ids: frozenset[int]  # issuing departments
    audience_ids: frozenset[int]  # departments they may address (their own and those below)
    citywide: bool  # the general office or a city administrator: the whole city, any department

    def may_address(self, department_ids: set[int]) -> bool:
        return self.citywide or department_ids <= self.audience_ids


@dataclass(frozen=True)
class NoticeRow:
    id: int
    title: str
    department_name: str
    is_pinned: bool
    requires_receipt: bool
    published_at: dt.datetime | None
    is_read: bool  # opened (and, when a receipt is asked for, 已阅知)
    acknowledged: bool


@dataclass(frozen=True)
class ReceiptLine:
    user_id: int
    name: str
    opened_at: dt.datetime | None
    acknowledged_at: dt.datetime | None


@dataclass(frozen=True)
class DepartmentReceipts:
    department_id: int
    department_name: str
    read: tuple[ReceiptLine, ...]
    unread: tuple[ReceiptLine, ...]


@dataclass(frozen=True)
class ReceiptBoard:
    departments: tuple[DepartmentReceipts, ...]
    total: int  # people addressed (each once)
    read: int  # of them, those who confirmed 已阅知
