"""补正 (correction): staff ask for specific fixes, the applicant makes exactly those and resubmits.

The clock is paused from the request to the resubmission (STANDARDS.md §2); the task that asked
stays open with its handler and continues once the applicant has resubmitted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import ApplicationStatus, CorrectionRequest
from tongban.applications.services.clock import refresh_promised_finish_date
from tongban.applications.services.common import (
    application_for_handler,
    own_application,
    receipt_of,
    record_status,
)
from tongban.applications.types import Receipt
from tongban.catalog.selectors import version_snapshot

CORRECTABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED)


@transaction.atomic
def request_correction(
    *, application_id: int, staff_id: int, reason: str, fields: list[str], material_ids: list[int]
) -> None:
    """Return an application for correction (补正), at intake (受理) or during review (审查).

    Rules: only someone holding an open task on the application (others get "not found", T-B3);
    a reason is required (T-H5); at least one field or material is named, and each must belong to
    the application. The pause starts now; it ends when the applicant resubmits.
    """
    application = application_for_handler(application_id, staff_id)
    if application.status not in CORRECTABLE:
        raise ApplicationStateError(_("该办件当前不能退回补正。"), code="not_correctable")
    if not reason.strip():
        raise ApplicationError(_("请输入补正说明"), code="reason_required")
    if not fields and not material_ids:
        raise ApplicationError(_("请选择须补正的填报项或材料"), code="nothing_to_correct")
    unknown_fields = set(fields) - set(application.form_data)
    known_materials = {m.id for m in version_snapshot(application.item_version_id).materials}
    if unknown_fields or set(material_ids) - known_materials:
        raise ApplicationError(_("所选补正项不属于该办件"), code="unknown_items")
    CorrectionRequest.objects.create(
        application=application,
        requested_by_id=staff_id,
        reason=reason.strip(),
        fields=sorted(fields),
        material_ids=sorted(material_ids),
        resumes_status=application.status,
    )
    record_status(application, ApplicationStatus.CORRECTION_REQUESTED, actor_id=staff_id, note=reason.strip())
    application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def resubmit_correction(*, application_id: int, applicant_id: int, answers: dict[str, Any]) -> Receipt:
    """The applicant fixes what the correction request listed and resubmits.

    Only the listed fields may change (T-H4): any other changed answer is refused and nothing is
    saved. The resolution time ends the pause and the promised finish date moves by the paused
    days; the receipt number stays the same.
    """
    application = own_application(application_id, applicant_id)
    if application.status != ApplicationStatus.CORRECTION_REQUESTED:
        raise ApplicationStateError(_("该办件当前不需要补正。"), code="not_in_correction")
    correction = application.corrections.get(resolved_at__isnull=True)
    allowed = set(correction.fields)
    changed = {
        key
        for key in set(answers) | set(application.form_data)
        if answers.get(key) != application.form_data.get(key)
    }
    if changed - allowed:
        raise ApplicationError(_("只能修改补正告知中列出的内容"), code="not_requested")
    application.form_data = answers
    correction.resolved_at = timezone.now()
    correction.save(update_fields=["resolved_at"])
    refresh_promised_finish_date(application)
    record_status(application, correction.resumes_status, actor_id=applicant_id, note=_("已补正"))
    application.save(update_fields=["form_data", "status", "promised_finish_date", "updated_at"])
    return receipt_of(application)
