"""Periodic work: BPMN timers and step timeouts (scheduled by Celery beat; safe to run twice, and on
two nodes at once: see ``services.timers``)."""

from celery import shared_task

from tongban.workflow import services


@shared_task(name="workflow.fire_due_timers")
def fire_due_timers() -> int:
    return services.fire_due_timers()


@shared_task(name="workflow.apply_timeout_actions")
def apply_timeout_actions() -> int:
    return services.apply_timeout_actions()
