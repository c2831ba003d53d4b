"""The application's clock (STANDARDS.md §2): the promised finish date counts working days from the
day after receipt; days in 补正 (correction) and 特别程序 (special procedures) do not count.

Everything is computed from stored timestamps, so it is right even when no background job ran.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import Application, ApplicationStatus, SpecialProcedureRun
from tongban.applications.services.common import application_for_handler
from tongban.catalog.selectors import version_snapshot
from tongban.core.calendar import add_natural_days, add_working_days, working_days_between


def promised_finish_date(
    *, submitted_at: dt.datetime, limit: int, unit: str, paused_days: int = 0
) -> dt.date:
    """The promised finish date: the day of receipt is not counted (STANDARDS.md §2); paused days
    (correction, special procedures) are added on the same kind of days as the limit."""
    if unit == "natural_day":
        return add_natural_days(submitted_at, limit + paused_days)
    return add_working_days(submitted_at, limit + paused_days)


def _pauses(application: Application) -> list[tuple[dt.datetime, dt.datetime | None]]:
    corrections = application.corrections.values_list("requested_at", "resolved_at")
    procedures = application.special_procedures.values_list("started_at", "ended_at")
    return [*corrections, *procedures]


def paused_days(
    application: Application, *, unit: str = "working_day", now: dt.datetime | None = None
) -> int:
    """Days the clock stood still: for each pause, the days strictly after it began up to and
    including the day it ended (or today, while it lasts). A pause that begins and ends on the same
    day costs nothing; overlapping pauses are counted once per day."""
    now = now or timezone.now()
    if unit == "natural_day":
        days: set[dt.date] = set()
        for start, end in _pauses(application):
            first = timezone.localdate(start) + dt.timedelta(days=1)
            last = timezone.localdate(end or now)
            days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return len(days)
    return sum(working_days_between(start, end or now) for start, end in _merged(_pauses(application), now))


def _merged(
    pauses: list[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = sorted((start, end or now) for start, end in pauses)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def is_paused(application: Application) -> bool:
    return (
        application.status == ApplicationStatus.CORRECTION_REQUESTED
        or application.special_procedures.filter(ended_at__isnull=True).exists()
    )


def refresh_promised_finish_date(application: Application) -> None:
    """Recompute the promised finish date after a pause ended (saved by the caller)."""
    item = version_snapshot(application.item_version_id)
    assert application.submitted_at
    application.promised_finish_date = promised_finish_date(
        submitted_at=application.submitted_at,
        limit=item.promised_limit,
        unit=item.promised_limit_unit,
        paused_days=paused_days(application, unit=item.promised_limit_unit),
    )


@transaction.atomic
def start_special_procedure(*, application_id: int, staff_id: int, kind: str, reason: str) -> int:
    """Start a special procedure the item provides (听证, 检验检测 …); the clock pauses from now.

    Only someone with an open task on the accepted application (T-B3); a reason is required and
    the time is the server's (T-H5); one special procedure at a time.
    """
    application = application_for_handler(application_id, staff_id)
    if application.status != ApplicationStatus.ACCEPTED:
        raise ApplicationStateError(_("只有已受理的办件可以启动特别程序。"), code="not_accepted")
    kinds = {p.name for p in version_snapshot(application.item_version_id).special_procedures}
    if kind not in kinds:
        raise ApplicationError(_("该事项没有“%(kind)s”特别程序。") % {"kind": kind}, code="unknown_procedure")
    if not reason.strip():
        raise ApplicationError(_("请输入启动特别程序的理由"), code="reason_required")
    if application.special_procedures.filter(ended_at__isnull=True).exists():
        raise ApplicationStateError(_("已有进行中的特别程序。"), code="procedure_open")
    run = SpecialProcedureRun.objects.create(
        application=application, kind=kind, reason=reason.strip(), started_by_id=staff_id
    )
    return run.pk


@transaction.atomic
def end_special_procedure(*, application_id: int, staff_id: int, outcome: str) -> dt.date:
    """End the running special procedure with its outcome; the clock runs again and the promised
    finish date moves by the paused days. Returns the new promised finish date."""
    application = application_for_handler(application_id, staff_id)
    run = application.special_procedures.select_for_update().filter(ended_at__isnull=True).first()
    if run is None:
        raise ApplicationStateError(_("没有进行中的特别程序。"), code="no_procedure")
    if not outcome.strip():
        raise ApplicationError(_("请输入特别程序的结论"), code="outcome_required")
    run.ended_at = timezone.now()
    run.outcome = outcome.strip()
    run.save(update_fields=["ended_at", "outcome"])
    refresh_promised_finish_date(application)
    application.save(update_fields=["promised_finish_date", "updated_at"])
    assert application.promised_finish_date
    return application.promised_finish_date
