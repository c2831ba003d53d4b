"""The demo city's appointment rules: each hall's opening hours as a window rule for every department
with appointable items there (at its own window when it has one, else the first shared one), one item
rule (结婚登记 in half-hour slots), and the slots they give for the coming weeks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tongban.appointments import selectors as appointment_selectors
from tongban.appointments import services as appointment_services
from tongban.appointments.rules import Schedule
from tongban.appointments.types import PublishReport
from tongban.catalog import selectors as catalog_selectors
from tongban.organizations.selectors import windows_serving
from tongban.organizations.types import HallRef

DATA = Path(__file__).resolve().parent / "data" / "appointment_rules.json"


def _schedule(raw: dict, starts_on: dt.date) -> Schedule:
    return Schedule(
        weekdays=frozenset(raw["weekdays"]),
        on_adjusted_workdays=raw["adjusted"],
        time_ranges=tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in raw["times"]),
        slot_minutes=raw["minutes"],
        starts_on=starts_on,
    )


def load_appointments(halls: dict[str, HallRef]) -> PublishReport:
    """Write the rules (a target that has one already is left alone) and publish the weeks ahead."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    today = appointment_selectors.china_now().date()
    for raw in data["item_rules"]:
        item = catalog_selectors.published_item_by_name(raw["item"])
        if item is None:
            raise ImproperlyConfigured(f"appointment_rules.json names an unknown item {raw['item']}")
        appointment_services.import_rule(schedule=_schedule(raw, today), item_id=item.item_id)
    items = appointment_selectors.appointable_items().values()
    for key, schedules in data["hall_schedules"].items():
        hall = halls[key]
        departments = {item.department_id for item in items if item.hall_id == hall.id}
        windows = [w for w in windows_serving(departments) if w.hall_id == hall.id]
        shared = {w.id: sum(1 for other in windows if other.id == w.id) for w in windows}
        for department_id in sorted(departments):
            # The department's own window if it has one, else the first window it shares.
            window = min(
                (w for w in windows if w.department_id == department_id),
                key=lambda w: (shared[w.id], w.number),
            )
            for raw in schedules:
                appointment_services.import_rule(
                    schedule=_schedule(raw, today), window_id=window.id, department_id=department_id
                )
    return appointment_services.publish_ahead()
