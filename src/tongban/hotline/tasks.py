"""Periodic work: the 督办 of overdue orders and the yellow warnings (scheduled by Celery beat; safe
to run twice)."""

from celery import shared_task

from tongban.hotline import services


@shared_task(name="hotline.supervise_overdue")
def supervise_overdue() -> dict[str, int]:
    return services.supervise_overdue()
