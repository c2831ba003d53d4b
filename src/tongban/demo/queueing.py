"""The demo city's hall queue today: a few walk-in numbers for the market regulator's items at the city
hall, the first called to window B01 by its clerk (market_clerk), so the kiosk, the window panel and the
hall screen have something to show. Idempotent: nothing is added once the hall has numbers today."""

from __future__ import annotations

from tongban.accounts.selectors import user_id_by_username
from tongban.appointments.selectors import handling_department_ids
from tongban.organizations.selectors import hall_by_name, hall_windows
from tongban.queueing import selectors as queue_selectors
from tongban.queueing import services as queue_services

HALL = "云州市政务服务中心"
CLERK = "market_clerk"
WINDOW = "B01"
WALK_INS = 4


def load_queue() -> int:
    """The numbers taken (0 when the day's queue exists already or the hall serves no item)."""
    hall = hall_by_name(HALL)
    clerk_id = user_id_by_username(CLERK)
    if hall is None or clerk_id is None or queue_selectors.has_tickets_today(hall.id):
        return 0
    clerk_departments = handling_department_ids(clerk_id)
    window = next(
        (w for w in hall_windows(hall.id) if w.number == WINDOW and w.department_id in clerk_departments),
        None,
    )
    items = [item for _department, group in queue_selectors.kiosk_items(hall.id) for item in group]
    items = [item for item in items if window and item.department_id == window.department_id]
    if window is None or not items:
        return 0
    for n in range(WALK_INS):
        queue_services.take_ticket(hall_id=hall.id, item_id=items[n % len(items)].item_id, source="kiosk")
    queue_services.call_next(window_id=window.id, staff_id=clerk_id)
    return WALK_INS
