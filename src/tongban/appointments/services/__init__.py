"""Appointment writes, one module per part; import from here."""

from tongban.appointments.services.booking import (
    CODE_ALPHABET,
    book,
    cancel,
    check_in,
    mark_attended,
    mark_no_show,
    reschedule,
)
from tongban.appointments.services.closures import ClosedDay, close_day, reopen_day
from tongban.appointments.services.publishing import (
    publish_ahead,
    publish_items,
    publish_slots,
    publishing_window,
    ruled_item_ids,
)
from tongban.appointments.services.schedules import SavedRule, create_rule, import_rule, update_rule

__all__ = [
    "CODE_ALPHABET",
    "ClosedDay",
    "SavedRule",
    "book",
    "cancel",
    "check_in",
    "close_day",
    "create_rule",
    "import_rule",
    "mark_attended",
    "mark_no_show",
    "publish_ahead",
    "publish_items",
    "publish_slots",
    "publishing_window",
    "reopen_day",
    "reschedule",
    "ruled_item_ids",
    "update_rule",
]
