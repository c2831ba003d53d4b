"""Writes that move the application's clock: special procedures (特别程序) pause it, and the promised
finish date is recomputed when a pause ends or the working-day calendar changes (a provisional date
becomes the real one); the rules are in ``applications.clock``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.clock import paused_days, promised_finish_date
from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import Application, ApplicationStatus, SpecialProcedureRun
from tongban.applications.selectors import OPEN_STATUSES
from tongban.applications.services.common import application_for_handler
from tongban.applications.subjects import subject_of
from tongban.catalog.selectors import version_snapshot
from tongban.core.calendar import CHINA_TZ
from tongban.workflow import services as workflow


def refresh_promised_finish_date(application: Application, *, ended_pauses_only: bool = False) -> None:
    """Recompute the promised finish date after a pause ended or the calendar changed (saved by the
    caller); no step of the case's process is due after it (a joint-approval lane included).

    ``ended_pauses_only``: a pause still running does not count yet (it is added when it ends)."""
    item = version_snapshot(application.item_version_id)
    assert application.submitted_at
    application.promised_finish_date = promised_finish_date(
        submitted_at=application.submitted_at,
        limit=item.promised_limit,
        unit=item.promised_limit_unit,
        paused_days=paused_days(application, unit=item.promised_limit_unit, ended_only=ended_pauses_only),
    )
    workflow.set_due_by(subject=subject_of(application.pk), due_by=application.promised_finish_date)


@transaction.atomic
def recompute_promised_finish_dates(*, years: Collection[int]) -> int:
    """The working days of ``years`` changed (their holidays were published, a day was corrected):
    recompute the promised finish date of every open case counted over them, so that a date shown
    as provisional (暂按周末计算) becomes the real one. Returns how many dates moved.

    Only open cases (待预审, 已受理, 待补正): a closed case keeps the date it was promised."""
    first, last = min(years), max(years)
    cases = (
        Application.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, promised_finish_date__year__gte=first)
        .filter(submitted_at__lt=dt.datetime(last + 1, 1, 1, tzinfo=CHINA_TZ))
        .order_by("pk")
    )
    moved = 0
    for application in cases:
        before = application.promised_finish_date
        refresh_promised_finish_date(application, ended_pauses_only=True)
        if application.promised_finish_date != before:
            application.save(update_fields=["promised_finish_date", "updated_at"])
            moved += 1
    return moved


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
