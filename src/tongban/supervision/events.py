"""Signals supervision sends; notifications delivers them (supervision does not know how)."""

from django.dispatch import Signal

# Sent after commit whenever staff must be told something about a case: recipient_ids (staff user
# ids), title, body, link.
staff_alerted = Signal()
