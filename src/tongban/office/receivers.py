from django.dispatch import receiver

from tongban.office.services import process_terminated
from tongban.workflow.events import instance_terminated


@receiver(instance_terminated)
def end_the_request(sender, *, subject, reason, actor_id, **kwargs):
    """A terminated process ends its request as 已终止."""
    process_terminated(subject=subject, reason=reason)
