"""Application writes: start, answer, submit, request correction (补正), resubmit.

Submission is atomic and idempotent: the draft row is locked, a second submit of the same draft
(double click, network retry) returns the first receipt and writes nothing (T-L2).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.events import application_status_changed
from tongban.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CorrectionRequest,
    MaterialFile,
)
from tongban.applications.types import Receipt
from tongban.catalog.selectors import published_item_snapshot, version_snapshot
from tongban.catalog.types import MaterialSnapshot
from tongban.core import virus_scan
from tongban.core.calendar import add_natural_days, add_working_days
from tongban.core.uploads import UploadError, check_upload
from tongban.organizations.selectors import department_ids_for

CLERK = "clerk"
MAX_FILES_PER_APPLICATION = 50  # T-C5: a per-application quota, documented in the guide
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION_REQUESTED)


def _record(application: Application, to_status: str, *, actor_id: int | None, note: str = "") -> None:
    """Record a status change and, once the transaction commits, announce it (notifications)."""
    from_status = application.status
    ApplicationEvent.objects.create(
        application=application, from_status=from_status, to_status=to_status, actor_id=actor_id, note=note
    )
    application.status = to_status
    details = {
        "application_id": application.pk,
        "applicant_id": application.applicant_id,
        "item_version_id": application.item_version_id,
        "number": application.number,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
    }
    transaction.on_commit(lambda: application_status_changed.send(sender=Application, **details))


def _own_application(application_id: int, applicant_id: int) -> Application:
    application = (
        Application.objects.select_for_update().filter(pk=application_id, applicant_id=applicant_id).first()
    )
    if application is None:
        # Someone else's application is indistinguishable from a missing one (T-B1).
        raise ApplicationError(_("没有找到该办件。"), code="not_found")
    return application


def _receipt(application: Application) -> Receipt:
    assert application.number
    assert application.submitted_at
    assert application.promised_finish_date
    return Receipt(
        application_id=application.pk,
        number=application.number,
        submitted_at=application.submitted_at,
        promised_finish_date=application.promised_finish_date,
        item_name=version_snapshot(application.item_version_id).name,
    )


@transaction.atomic
def start_application(*, applicant_id: int, applicant_name: str, implementation_code: str) -> int:
    """Open a draft for a published item that accepts online applications, or return the applicant's
    existing draft for it (drafts are resumed, not duplicated)."""
    item = published_item_snapshot(implementation_code)
    if item is None or not item.accepts_online:
        raise ApplicationError(_("该事项暂不支持网上申请。"), code="not_online")
    existing = Application.objects.filter(
        applicant_id=applicant_id, item_id=item.item_id, status=ApplicationStatus.DRAFT
    ).first()
    if existing:
        return existing.pk
    application = Application.objects.create(
        item_id=item.item_id,
        item_version_id=item.version_id,
        department_id=item.department_id,
        applicant_id=applicant_id,
        applicant_name=applicant_name,
    )
    return application.pk


@transaction.atomic
def save_answers(*, application_id: int, applicant_id: int, answers: dict[str, Any]) -> None:
    """Keep a draft's answers (保存草稿). Only a draft can be edited this way; during 补正 use
    resubmit_correction, which limits changes to the listed fields (T-H4)."""
    application = _own_application(application_id, applicant_id)
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationStateError(_("办件已提交，不能修改。"), code="not_draft")
    application.form_data = answers
    application.save(update_fields=["form_data", "updated_at"])


def promised_finish_date(*, submitted_at: dt.datetime, limit: int, unit: str) -> dt.date:
    """The promised finish date: the day of receipt is not counted (STANDARDS.md §2)."""
    if unit == "natural_day":
        return add_natural_days(submitted_at, limit)
    return add_working_days(submitted_at, limit)


@transaction.atomic
def submit_application(*, application_id: int, applicant_id: int) -> Receipt:
    """Submit a draft: assign the 办件编号 and the promised finish date, in one transaction.

    Idempotent: submitting an already submitted application returns its receipt unchanged (T-L2).
    The time is the server's (T-H5). Raises ApplicationError for another person's application.
    """
    application = _own_application(application_id, applicant_id)
    if application.status != ApplicationStatus.DRAFT:
        if application.number:
            return _receipt(application)
        raise ApplicationStateError(_("该办件不能提交。"), code="not_draft")
    missing = missing_required_materials(application)
    if missing:
        raise ApplicationError(
            _("请上传%(names)s") % {"names": "、".join(missing)}, code="materials_missing", details=missing
        )
    item = version_snapshot(application.item_version_id)
    now = timezone.now()
    local = timezone.localtime(now)
    application.number = f"{settings.TONGBAN_RECEIPT_PREFIX}{local:%Y%m%d}{application.pk:08d}"
    application.submitted_at = now
    application.promised_finish_date = promised_finish_date(
        submitted_at=now, limit=item.promised_limit, unit=item.promised_limit_unit
    )
    _record(application, ApplicationStatus.SUBMITTED, actor_id=applicant_id)
    application.save(update_fields=["number", "submitted_at", "promised_finish_date", "status", "updated_at"])
    return _receipt(application)


@transaction.atomic
def request_correction(
    *, application_id: int, staff_id: int, reason: str, fields: list[str], material_ids: list[int]
) -> None:
    """Pre-review (预审) returns a submitted application for correction (补正).

    Rules: only a clerk of the handling department (others get "not found", T-B3); a reason is
    required (T-H5); at least one field or material is named, and each must belong to the
    application. The pause starts now; it ends when the applicant resubmits.
    """
    application = _clerk_application(application_id, staff_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationStateError(_("只有待预审的办件可以退回补正。"), code="not_submitted")
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
    )
    _record(application, ApplicationStatus.CORRECTION_REQUESTED, actor_id=staff_id, note=reason.strip())
    application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def resubmit_correction(*, application_id: int, applicant_id: int, answers: dict[str, Any]) -> Receipt:
    """The applicant fixes what the correction request listed and resubmits.

    Only the listed fields may change (T-H4): any other changed answer is refused and nothing is
    saved. The correction's resolution time ends the pause; the receipt number stays the same.
    """
    application = _own_application(application_id, applicant_id)
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
    _record(application, ApplicationStatus.SUBMITTED, actor_id=applicant_id, note=_("已补正"))
    application.save(update_fields=["form_data", "status", "updated_at"])
    return _receipt(application)


def _requirement(application: Application, requirement_id: int) -> MaterialSnapshot:
    for material in version_snapshot(application.item_version_id).materials:
        if material.id == requirement_id:
            return material
    raise ApplicationError(_("所选材料不属于该事项。"), code="unknown_material")


def _may_replace_material(application: Application, requirement_id: int) -> bool:
    if application.status == ApplicationStatus.DRAFT:
        return True
    if application.status == ApplicationStatus.CORRECTION_REQUESTED:
        correction = application.corrections.get(resolved_at__isnull=True)
        return requirement_id in correction.material_ids
    return False


@transaction.atomic
def attach_material(
    *, application_id: int, applicant_id: int, requirement_id: int, name: str, data: bytes | IO[bytes]
) -> int:
    """Keep an uploaded file for one material: type sniffed from content, size and type limits of
    the material, virus scan, a generated storage key. Returns the file's id.

    Rules: only while the application is a draft, or during 补正 for a listed material (T-H4); the
    file replaces the earlier one for that material (the old file is deleted after commit, T-M6);
    at most MAX_FILES_PER_APPLICATION files (T-C5). Raises UploadError with the message for the
    field ("所选文件含有病毒" for malware, T-C6); ScannerUnavailable (503) when clamd does not answer,
    so nothing unscanned is kept.
    """
    application = _own_application(application_id, applicant_id)
    requirement = _requirement(application, requirement_id)
    if not _may_replace_material(application, requirement_id):
        raise ApplicationStateError(_("办件已提交，不能更换材料。"), code="not_editable")
    if application.materials.count() >= MAX_FILES_PER_APPLICATION:
        raise UploadError(_("每个办件最多上传%(n)s个文件") % {"n": MAX_FILES_PER_APPLICATION}, code="quota")
    checked = check_upload(
        name=name, data=data, allowed_types=requirement.allowed_types, max_size_mb=requirement.max_size_mb
    )
    if virus_scan.scan(checked.content).is_infected:
        raise UploadError(_("所选文件含有病毒"), code="infected")
    previous = list(application.materials.filter(requirement_id=requirement_id))
    material = MaterialFile(
        application=application,
        requirement_id=requirement_id,
        display_name=checked.display_name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
    )
    material.file.save(checked.display_name, ContentFile(checked.content), save=False)
    # A failed transaction must not leave the new file behind; a committed one drops the old files.
    transaction.on_commit(lambda: [old.file.delete(save=False) for old in previous])
    material.save()
    for old in previous:
        old.delete()
    return material.pk


def missing_required_materials(application: Application) -> list[str]:
    """Names of required materials (必要, not 容缺后补) with no uploaded file yet."""
    uploaded = set(application.materials.values_list("requirement_id", flat=True))
    return [
        m.name
        for m in version_snapshot(application.item_version_id).materials
        if m.necessity == "required" and m.id not in uploaded
    ]


def _clerk_application(application_id: int, staff_id: int) -> Application:
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.department_id not in department_ids_for(
        user_id=staff_id, role=CLERK
    ):
        raise ApplicationError(_("没有找到该办件。"), code="not_found")
    return application


@transaction.atomic
def accept_application(*, application_id: int, staff_id: int) -> None:
    """受理: pre-review passed; the case goes on to review (the workflow of issue 4 takes it from here)."""
    application = _clerk_application(application_id, staff_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationStateError(_("只有待预审的办件可以受理。"), code="not_submitted")
    _record(application, ApplicationStatus.ACCEPTED, actor_id=staff_id)
    application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def decline_application(*, application_id: int, staff_id: int, reason: str) -> None:
    """不予受理: ends the application; the reason is required and shown to the applicant (T-H5)."""
    application = _clerk_application(application_id, staff_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationStateError(_("只有待预审的办件可以不予受理。"), code="not_submitted")
    if not reason.strip():
        raise ApplicationError(_("请输入不予受理的理由"), code="reason_required")
    _record(application, ApplicationStatus.DECLINED, actor_id=staff_id, note=reason.strip())
    application.save(update_fields=["status", "updated_at"])
