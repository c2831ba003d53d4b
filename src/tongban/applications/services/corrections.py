"""补正 (correction): staff ask for specific fixes, the applicant makes exactly those and resubmits.

The clock is paused from the request to the resubmission (STANDARDS.md §2); the task that asked
stays open with its handler and continues once the applicant has resubmitted. The applicant saves the
listed fields (save_correction_answers) and uploads a new file for each listed material
(services.attach_material); resubmit_correction refuses until both are done.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.answers import field_labels, reveal
from tongban.applications.errors import ApplicationError, ApplicationStateError, CorrectionIncomplete
from tongban.applications.models import Application, ApplicationStatus, CorrectionRequest
from tongban.applications.services.clock import refresh_promised_finish_date
from tongban.applications.services.common import (
    application_for_handler,
    own_application,
    receipt_of,
    record_status,
    store_answers,
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
    a reason is required (T-H5); at least one field or material is named, and each must be one of
    the form's top-level fields or the item's materials. The pause starts now; it ends when the
    applicant resubmits.
    """
    application = application_for_handler(application_id, staff_id)
    if application.status not in CORRECTABLE:
        raise ApplicationStateError(_("该办件当前不能退回补正。"), code="not_correctable")
    if not reason.strip():
        raise ApplicationError(_("请输入补正说明"), code="reason_required")
    if not fields and not material_ids:
        raise ApplicationError(_("请选择须补正的填报项或材料"), code="nothing_to_correct")
    item = version_snapshot(application.item_version_id)
    known_fields = set(field_labels(item.form_schema, item.ui_schema, application.form_data))
    known_materials = {m.id for m in item.materials}
    if set(fields) - known_fields or set(material_ids) - known_materials:
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


def _open_correction(application: Application) -> CorrectionRequest:
    if application.status != ApplicationStatus.CORRECTION_REQUESTED:
        raise ApplicationStateError(_("该办件当前不需要补正。"), code="not_in_correction")
    return application.corrections.get(resolved_at__isnull=True)


@transaction.atomic
def save_correction_answers(*, application_id: int, applicant_id: int, answers: dict[str, Any]) -> None:
    """The applicant's answers to the fields a 补正 lists, which it then counts as looked at.

    ``answers`` holds the listed fields alone (a listed optional field left empty is absent, and is
    cleared). Any other field is refused and nothing is saved (T-H4). Resident ID numbers are kept
    encrypted (T-M7).
    """
    application = own_application(application_id, applicant_id)
    correction = _open_correction(application)
    if set(answers) - set(correction.fields):
        raise ApplicationError(_("只能修改补正告知中列出的内容"), code="not_requested")
    merged = reveal(application.form_data, application.encrypted_answers)
    for key in correction.fields:
        merged.pop(key, None)
    store_answers(application, merged | answers)
    application.save(update_fields=["form_data", "encrypted_answers", "updated_at"])
    correction.confirmed_fields = sorted(correction.fields)
    correction.save(update_fields=["confirmed_fields"])


def outstanding_items(correction: CorrectionRequest) -> tuple[list[str], list[int]]:
    """What the applicant has still to do: listed fields not yet looked at, listed materials without a
    new file."""
    return (
        [key for key in correction.fields if key not in correction.confirmed_fields],
        [i for i in correction.material_ids if i not in correction.replaced_material_ids],
    )


@transaction.atomic
def resubmit_correction(*, application_id: int, applicant_id: int) -> Receipt:
    """提交补正材料: the applicant has done what the 补正 listed and sends the application back.

    Refused (CorrectionIncomplete, nothing changes) until every listed field has been looked at and
    saved (save_correction_answers) and every listed material has a new file. The resolution time ends
    the pause and the promised finish date moves by the paused days; the receipt number stays the same.
    """
    application = own_application(application_id, applicant_id)
    correction = _open_correction(application)
    fields, material_ids = outstanding_items(correction)
    if fields or material_ids:
        raise CorrectionIncomplete(
            _("请先完成补正告知中列出的全部内容"), fields=fields, material_ids=material_ids
        )
    correction.resolved_at = timezone.now()
    correction.save(update_fields=["resolved_at"])
    refresh_promised_finish_date(application)
    record_status(application, correction.resumes_status, actor_id=applicant_id, note=_("已补正"))
    application.save(update_fields=["status", "promised_finish_date", "updated_at"])
    return receipt_of(application)
