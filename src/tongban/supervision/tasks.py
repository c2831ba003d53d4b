"""Periodic work: the deadline warnings (scheduled by Celery beat; safe to run twice)."""

from celery import shared_task

from tongban.supervision import services


@shared_task(name="supervision.send_deadline_warnings")
def send_deadline_warnings() -> int:
    return services.send_deadline_warnings()
