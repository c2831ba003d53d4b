"""Reactions to other apps' events."""

from django.dispatch import receiver

from tongban.core.calendar import calendar_changed
from tongban.workflow.services import recompute_due_dates


@receiver(calendar_changed)
def recompute_step_due_dates(sender, *, years, **kwargs):
    """A year's holidays were published (or a day corrected): open steps counted over it are due on
    the new calendar."""
    recompute_due_dates(years=years)
