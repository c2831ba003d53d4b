"""Signals the appointments app sends; other apps react in their receivers.py."""

from django.dispatch import Signal

# Sent after commit for each booking staff cancelled by closing its day: appointment_id, applicant_id,
# code, item_name, hall_name, date, start_time, end_time, reason.
appointment_cancelled_by_hall = Signal()
