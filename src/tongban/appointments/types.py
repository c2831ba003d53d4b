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
