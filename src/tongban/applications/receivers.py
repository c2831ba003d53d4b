"""Reactions to other apps' events."""

from django.dispatch import receiver

from tongban.applications.services.clock import recompute_promised_finish_dates
from tongban.applications.services.handling import void_terminated_application
from tongban.core.calendar import calendar_changed
from tongban.workflow.events import instance_terminated


@receiver(instance_terminated)
def void_the_application(sender, *, subject, reason, actor_id, **kwargs):
    """A terminated process closes its application as 作废."""
    void_terminated_application(subject=subject, reason=reason, actor_id=actor_id)


@receiver(calendar_changed)
def recompute_promised_dates(sender, *, years, **kwargs):
    """A year's holidays were published (or a day corrected): open cases counted over it get their
    real promised finish date (it was provisional, 暂按周末计算)."""
    recompute_promised_finish_dates(years=years)
