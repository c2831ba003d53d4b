"""Reactions to other apps' events."""

from django.dispatch import receiver

from tongban.applications.services.handling import void_terminated_application
from tongban.workflow.events import instance_terminated


@receiver(instance_terminated)
def void_the_application(sender, *, subject, reason, actor_id, **kwargs):
    """A terminated process closes its application as 作废."""
    void_terminated_application(subject=subject, reason=reason, actor_id=actor_id)
