"""Application writes by the applicant: start a draft, answer, attach materials, submit.

Submission is atomic and idempotent: the draft row is locked, a second submit of the same draft
(double click, network retry) returns the first receipt and writes nothing (T-L2).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.clock import promised_finish_date
from tongban.applications.errors import ApplicationError, ApplicationNotFound, ApplicationStateError
from tongban.applications.models import Application, ApplicationStatus, CorrectionRequest, MaterialFile
from tongban.applications.services.common import (
    own_application,
    protected_answers,
    receipt_of,
    record_status,
)
from tongban.applications.services.handling import start_process
from tongban.applications.types import Receipt
from tongban.catalog.selectors import published_item_snapshot, version_snapshot
from tongban.catalog.types import MaterialSnapshot
from tongban.core import calendar
from tongban.core.uploads import UploadError, check_upload, scan_upload

MAX_FILES_PER_APPLICATION = 50  # T-C5: a per-application quota, documented in the guide
PURGE_BATCH = 200
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION_REQUESTED)


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


def save_answers(*, application_id: int, applicant_id: int, answers: dict[str, Any]) -> None:
    """Keep a draft's answers (保存草稿), resident ID numbers encrypted (T-M7). Only a draft can be
    edited this way; during 补正 use save_correction_answers, which limits changes to the listed
    fields (T-H4).

    One conditional UPDATE, no lock: a draft being submitted at this moment is no longer a draft
    when the submit commits, and the update then changes nothing and is refused. Raises
    ApplicationNotFound for another person's application, ApplicationStateError once submitted.
    """
    version_id = (
        Application.objects.filter(pk=application_id, applicant_id=applicant_id)
        .values_list("item_version_id", flat=True)
        .first()
    )
    if version_id is None:
        raise ApplicationNotFound(_("没有找到该办件。"), code="not_found")
    form_data, encrypted = protected_answers(version_id, answers)
    updated = Application.objects.filter(
        pk=application_id, applicant_id=applicant_id, status=ApplicationStatus.DRAFT
    ).update(form_data=form_data, encrypted_answers=encrypted, updated_at=timezone.now())
    if not updated:
        raise ApplicationStateError(_("办件已提交，不能修改。"), code="not_draft")


@transaction.atomic
def submit_application(*, application_id: int, applicant_id: int) -> Receipt:
    """Submit a draft: assign the 办件编号 and the promised finish date, in one transaction.

    Idempotent: submitting an already submitted application returns its receipt unchanged (T-L2).
    The time is the server's (T-H5). Raises ApplicationError for another person's application.
    """
    application = own_application(application_id, applicant_id)
    if application.status != ApplicationStatus.DRAFT:
        if application.number:
            return receipt_of(application)
        raise ApplicationStateError(_("该办件不能提交。"), code="not_draft")
    missing = missing_required_materials(application)
    if missing:
        raise ApplicationError(
            _("请上传%(names)s") % {"names": "、".join(missing)}, code="materials_missing", details=missing
        )
    item = version_snapshot(application.item_version_id)
    now = timezone.now()
    local = timezone.localtime(now)
    # One calendar read for the promised date and the first step's due date (core.calendar windows
    # are twice the days plus two weeks).
    longest = max([item.promised_limit, *(step.limit or 0 for step in item.steps)])
    with calendar.preloaded(local.date(), local.date() + dt.timedelta(days=2 * longest + 16)):
        application.number = f"{settings.TONGBAN_RECEIPT_PREFIX}{local:%Y%m%d}{application.pk:08d}"
        application.submitted_at = now
        application.promised_finish_date = promised_finish_date(
            submitted_at=now, limit=item.promised_limit, unit=item.promised_limit_unit
        )
        record_status(application, ApplicationStatus.SUBMITTED, actor_id=applicant_id)
        application.save(
            update_fields=["number", "submitted_at", "promised_finish_date", "status", "updated_at"]
        )
        start_process(application, item)
    return receipt_of(application)


def _requirement(application: Application, requirement_id: int) -> MaterialSnapshot:
    for material in version_snapshot(application.item_version_id).materials:
        if material.id == requirement_id:
            return material
    raise ApplicationError(_("所选材料不属于该事项。"), code="unknown_material")


def _open_correction_for(application: Application, requirement_id: int) -> CorrectionRequest | None:
    """The open 补正 that lists this material, or None while a draft; refused otherwise (T-H4)."""
    if application.status == ApplicationStatus.DRAFT:
        return None
    if application.status == ApplicationStatus.CORRECTION_REQUESTED:
        correction = application.corrections.get(resolved_at__isnull=True)
        if requirement_id in correction.material_ids:
            return correction
    raise ApplicationStateError(_("办件已提交，不能更换材料。"), code="not_editable")


@transaction.atomic
def attach_material(
    *, application_id: int, applicant_id: int, requirement_id: int, name: str, data: bytes | IO[bytes]
) -> int:
    """Keep an uploaded file for one material: type sniffed from content, size and type limits of
    the material, virus scan, a generated storage key. Returns the file's id.

    Rules: only while the application is a draft, or during 补正 for a listed material (T-H4), which
    the 补正 then counts as given a new file; the file replaces the earlier one for that material (the old file is deleted after commit, T-M6);
    at most MAX_FILES_PER_APPLICATION files (T-C5). Raises UploadError with the message for the
    field ("所选文件含有病毒" for malware, another one when clamd could not scan to the end, T-C6);
    ScannerUnavailable (503) when clamd does not answer, so nothing unscanned is kept.
    """
    application = own_application(application_id, applicant_id)
    requirement = _requirement(application, requirement_id)
    correction = _open_correction_for(application, requirement_id)
    kept = list(application.materials.only("pk", "application_id", "requirement_id", "file"))  # ≤ quota
    if len(kept) >= MAX_FILES_PER_APPLICATION:
        raise UploadError(_("每个办件最多上传%(n)s个文件") % {"n": MAX_FILES_PER_APPLICATION}, code="quota")
    checked = check_upload(
        name=name, data=data, allowed_types=requirement.allowed_types, max_size_mb=requirement.max_size_mb
    )
    scan_upload(checked, uploader_id=applicant_id)
    previous = [kept_file for kept_file in kept if kept_file.requirement_id == requirement_id]
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
    if correction is not None and requirement_id not in correction.replaced_material_ids:
        correction.replaced_material_ids = sorted([*correction.replaced_material_ids, requirement_id])
        correction.save(update_fields=["replaced_material_ids"])
    return material.pk


def missing_required_materials(application: Application) -> list[str]:
    """Names of required materials (必要, not 容缺后补) with no uploaded file yet."""
    uploaded = set(application.materials.values_list("requirement_id", flat=True))
    return [
        m.name
        for m in version_snapshot(application.item_version_id).materials
        if m.necessity == "required" and m.id not in uploaded
    ]


def _delete_files(files: list[Any]) -> None:
    for file in files:
        file.delete(save=False)


def purge_expired_drafts(*, now: dt.datetime | None = None) -> int:
    """Delete drafts untouched for ``TONGBAN_DRAFT_RETENTION_DAYS`` with their answers and uploaded
    files (over-retention, THREATS T-M4 and T-M6). Returns how many drafts were deleted.

    Only status 草稿 counts: anything submitted, and a draft saved within the period, is kept. Each
    batch locks its rows and skips those an applicant is submitting at this moment (they are no longer
    drafts when the lock is released). Files are deleted after the batch commits, so a failed batch
    leaves them in place. Safe to run twice: the second run finds nothing to delete.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.TONGBAN_DRAFT_RETENTION_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                Application.objects.select_for_update(skip_locked=True)
                .filter(status=ApplicationStatus.DRAFT, updated_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:PURGE_BATCH]
            )
            if not batch:
                return deleted
            files = [
                material.file
                for material in MaterialFile.objects.filter(application_id__in=batch).only("file")
                if material.file
            ]
            transaction.on_commit(partial(_delete_files, files))
            Application.objects.filter(pk__in=batch, status=ApplicationStatus.DRAFT).delete()
        deleted += len(batch)
