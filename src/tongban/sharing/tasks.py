"""Periodic work: deleting stored exchange answers past their replay period (Celery beat; safe to run twice)."""

from celery import shared_task

from tongban.sharing import services


@shared_task(name="sharing.purge_exchange_requests")
def purge_exchange_requests() -> int:
    return services.purge_exchange_requests()
