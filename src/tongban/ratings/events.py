"""Signals the ratings app sends after commit; notifications delivers them (ratings does not know how)."""

from django.dispatch import Signal

# A bad rating opened a 差评整改: rectification_id, application_number, due_date (a date) and
# recipient_ids (the staff who may handle it: the department's handling roles).
rectification_opened = Signal()

# A 差评整改 was closed: rectification_id, application_id, application_number and rater_id (who is told).
rectification_closed = Signal()
