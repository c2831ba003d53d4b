"""Periodic work (scheduled by Celery beat; safe to run twice): keeping the working-day calendar seeded,
checking and checkpointing the audit log, purging its expired rows."""

from celery import shared_task

from tongban.core.calendar import seed_coming_years


@shared_task(name="core.seed_calendar")
def seed_calendar() -> dict[str, int | None]:
    """Seed the previous, current and next year: next year's holidays arrive with an upgrade of
    chinesecalendar, and the open cases' dates are recomputed the day after."""
    return {str(year): written for year, written in seed_coming_years().items()}


@shared_task(name="core.audit_checkpoint")
def audit_checkpoint() -> dict[str, object]:
    """Verify the audit log's chains, then sign their heads into a checkpoint off the database host
    (T-J1). Safe to run twice: an unchanged chain keeps its newest checkpoint file."""
    from django.conf import settings

    from tongban.core import audit_chain

    state = audit_chain.verify()
    if not settings.TONGBAN_AUDIT_CHECKPOINT_DIR or not settings.TONGBAN_AUDIT_CHECKPOINT_KEY_FILE:
        return {"checked": state.checked, "problem": state.problem, "checkpoint": None}
    return {
        "checked": state.checked,
        "problem": state.problem,
        "checkpoint": audit_chain.write_checkpoint().name,
    }


@shared_task(name="core.purge_audit")
def purge_audit() -> int:
    """Remove the audit rows past their retention period from the chains' start (needs the table owner's
    database role and the checkpoint key; does nothing without the key)."""
    from django.conf import settings

    from tongban.core import audit_chain

    if not settings.TONGBAN_AUDIT_CHECKPOINT_DIR or not settings.TONGBAN_AUDIT_CHECKPOINT_KEY_FILE:
        return 0
    return audit_chain.purge()[0]
