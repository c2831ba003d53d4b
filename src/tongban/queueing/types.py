from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TicketRef:
    id: int
    number: str
    hall_id: int
    item_name: str
    status: str
    window_number: str  # empty until called
    taken_at: dt.datetime


@dataclass(frozen=True)
class CallShown:
    """One line of the hall's display: which number goes to which window."""

    number: str
    window_number: str
    window_name: str
    called_at: dt.datetime


@dataclass(frozen=True)
class WaitingStat:
    """Served tickets of a day per window and item: how many, average wait and service in minutes."""

    window_number: str
    item_name: str
    served: int
    average_wait_minutes: float
    average_service_minutes: float
