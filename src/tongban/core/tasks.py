"""Periodic work: keeping the working-day calendar seeded (scheduled by Celery beat; safe to run twice)."""

from celery import shared_task

from tongban.core.calendar import seed_coming_years


@shared_task(name="core.seed_calendar")
def seed_calendar() -> dict[str, int | None]:
    """Seed the previous, current and next year: next year's holidays arrive with an upgrade of
    chinesecalendar, and the open cases' dates are recomputed the day after."""
    return {str(year): written for year, written in seed_coming_years().items()}
