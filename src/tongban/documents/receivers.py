from django.dispatch import receiver

from tongban.documents.services.steps import process_terminated
from tongban.workflow.events import instance_terminated


@receiver(instance_terminated)
def cancel_the_document(sender, *, subject, reason, actor_id, **kwargs):
    """An administrator terminated a 发文 process (流程监控 终止): the document is 已撤销."""
    process_terminated(subject=subject)
