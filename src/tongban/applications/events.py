"""Signals the applications app sends; other apps react in their receivers.py (STYLE: signals only
join things that must not know each other)."""

from django.dispatch import Signal

# Sent after commit on every status change: application_id, applicant_id, item_version_id, number,
# from_status, to_status, note and event_id (the status record: one announcement per record).
application_status_changed = Signal()

# Sent after commit when an application is closed (办结): application_id, applicant_id,
# item_version_id, department_id, number, result ("approved" or "denied") and closed_at.
application_closed = Signal()
