"""Signals the applications app sends; other apps react in their receivers.py (STYLE: signals only
join things that must not know each other)."""

from django.dispatch import Signal

# Sent after commit on every status change: application_id, applicant_id, number, item_name,
# from_status, to_status, note.
application_status_changed = Signal()
