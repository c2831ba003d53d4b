"""免提交: a material the platform already holds as the applicant's e-license is attached for them
instead of being uploaded again. The license comes through the data exchange as the platform's own
client, so the grant applies and the use is logged where the applicant sees it (我的数据使用记录)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tongban.applications.models import Application, ApplicationStatus, MaterialFile
from tongban.applications.services.common import own_application
from tongban.catalog.selectors import version_snapshot
from tongban.catalog.types import ItemSnapshot, MaterialSnapshot
from tongban.sharing.errors import SharingError
from tongban.sharing.services import (
    LICENSE_EXEMPTION_PURPOSE,
    prefill_from_registries,
    subject_of_account,
    use_for_platform,
)

GOVERNMENT_ISSUED = "government"
RESOURCE_FOR = {"citizen": "person.licenses", "enterprise": "enterprise.licenses"}


def _match(material: MaterialSnapshot, licenses: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The license standing in for a material: the newest whose name the material's name contains
    (营业执照 for “营业执照副本”)."""
    return next((lic for lic in licenses if lic.get("name") and lic["name"] in material.name), None)


def may_hold_licenses(*, status: str, checked_at: Any, item: ItemSnapshot) -> bool:
    """Whether attach_held_licenses could attach anything to this application: a draft not yet
    checked whose item has a government-issued material taking PDFs. Asks nothing, so a page shown
    again (or an item without such a material) costs no lock and no query."""
    return (
        status == ApplicationStatus.DRAFT
        and checked_at is None
        and any(m.source == GOVERNMENT_ISSUED and "pdf" in m.allowed_types for m in item.materials)
    )


@transaction.atomic
def attach_held_licenses(*, application_id: int, applicant_id: int, account: Any) -> list[str]:
    """Attach the applicant's e-licenses to the draft's government-issued materials that have no file
    yet; returns the names of the materials attached.

    Data minimisation: the exchange is asked only when such a material is missing, and once per draft
    (a page shown again is not another use). Without a grant
    for the platform (or without a platform client) nothing is attached and the applicant uploads as
    usual; the refusal is logged by the exchange like any other.
    """
    application = own_application(application_id, applicant_id)
    if application.status != ApplicationStatus.DRAFT or application.held_licenses_checked_at is not None:
        return []
    uploaded = set(application.materials.values_list("requirement_id", flat=True))
    wanted = [
        m
        for m in version_snapshot(application.item_version_id).materials
        if m.source == GOVERNMENT_ISSUED and m.id not in uploaded and "pdf" in m.allowed_types
    ]
    resource = RESOURCE_FOR.get(account.kind)
    subject = subject_of_account(
        kind=account.kind,
        resident_id_hmac=account.resident_id_hmac,
        resident_id_masked=account.resident_id_masked,
        uscc=account.uscc,
    )
    if not wanted or resource is None or subject is None:
        return []
    # Asked once per draft: every look-up is a use of the applicant's data, logged for them to see.
    application.held_licenses_checked_at = timezone.now()
    application.save(update_fields=["held_licenses_checked_at"])
    try:
        shared = use_for_platform(
            resource_code=resource,
            subject=subject,
            purpose=LICENSE_EXEMPTION_PURPOSE,
            case_ref=str(application),
        )
    except SharingError:
        return []
    licenses = list(shared.items.get("licenses") or [])  # type: ignore[call-overload]
    files: dict[str, str] = dict(shared.items.get("files") or {})  # type: ignore[call-overload]
    attached = []
    for material in wanted:
        held = _match(material, licenses)
        if held is None or held["license_id"] not in files:
            continue
        try:
            content = base64.b64decode(files[held["license_id"]], validate=True)
        except (binascii.Error, ValueError):
            continue
        material_file = MaterialFile(
            application=application,
            requirement_id=material.id,
            display_name=f"{held['name']}（电子证照 {held['number']}）.pdf"[:120],
            kind="pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            e_license_id=held["license_id"],
        )
        material_file.file.save(material_file.display_name, ContentFile(content), save=False)
        material_file.save()
        attached.append(material.name)
    return attached


def registry_prefill(*, application_id: int, applicant_id: int, account: Any) -> dict[str, str]:
    """一表填报: what the registries know for the draft's form, asked through the exchange once per
    draft and kept with it, so the applicant's 我的数据使用记录 shows one use, not one per page view.
    {} for an application that is no longer a draft.

    Not in a transaction: the exchange commits each use's log row itself, and a use must never be
    rolled back out of the log. Two first views at once may both ask (two real uses, both logged)."""
    application = own_application(application_id, applicant_id, lock=False)
    if application.status != ApplicationStatus.DRAFT:
        return {}
    if application.prefill is not None:
        return dict(application.prefill)
    item = version_snapshot(application.item_version_id)
    values = prefill_from_registries(
        account=account, form_schema=item.form_schema, ui_schema=item.ui_schema, case_ref=str(application)
    )
    Application.objects.filter(pk=application.pk, prefill__isnull=True).update(prefill=values)
    return values
