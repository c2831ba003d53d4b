"""Periodic work: keep the coming weeks' slots published from the opening rules (Celery beat; safe to
run twice or at the same time)."""

from celery import shared_task

from tongban.appointments import services


@shared_task(name="appointments.publish_slots_ahead")
def publish_slots_ahead() -> int:
    return services.publish_ahead().created
