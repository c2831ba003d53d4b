"""Periodic work: purging expired drafts (scheduled by Celery beat; safe to run twice)."""

from celery import shared_task

from tongban.applications import services


@shared_task(name="applications.purge_expired_drafts")
def purge_expired_drafts() -> int:
    return services.purge_expired_drafts()
