"""What appointments hand to their callers: plain values, never a model instance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AppointableItem:
    """What appointments need of an item's current published version."""

    item_id: int
    implementation_code: str
    name: str
    department_id: int
    hall_id: int | None
    supports_appointment: bool
    daily_quota: int
    rules: str


@dataclass(frozen=True)
class SlotRef:
    id: int
    item_id: int
    hall_id: int
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    capacity: int
    booked_count: int


@dataclass(frozen=True)
class AppointmentRef:
    """A booking as its applicant is told about it: the 预约码 to show at the hall, and when."""

    id: int
    code: str
    status: str
    slot_id: int
    item_id: int
    item_name: str
    hall_id: int
    date: dt.date
    start_time: dt.time
    end_time: dt.time


@dataclass(frozen=True)
class DaySummary:
    """One item's published slots on one day, as staff see them."""

    date: dt.date
    item_id: int
    item_name: str
    slots: int  # offered ones: withdrawn slots (no places) are not counted
    capacity: int
    booked: int


@dataclass(frozen=True)
class PublishReport:
    """What one publishing run changed: slots created, slots whose places or times changed, slots
    withdrawn (deleted, or closed to new bookings when someone had booked them)."""

    created: int = 0
    changed: int = 0
    withdrawn: int = 0

    def __add__(self, other: PublishReport) -> PublishReport:
        return PublishReport(
            self.created + other.created, self.changed + other.changed, self.withdrawn + other.withdrawn
        )
