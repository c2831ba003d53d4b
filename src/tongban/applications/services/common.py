"""What every application service shares: the status record and the row lookups."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.applications.answers import protect
from tongban.applications.errors import ApplicationNotFound
from tongban.applications.events import application_status_changed
from tongban.applications.models import Application, ApplicationEvent
from tongban.applications.subjects import subject_of
from tongban.applications.types import Receipt
from tongban.catalog.selectors import version_snapshot
from tongban.schemaforms import resident_id_paths
from tongban.workflow.selectors import has_task_on


def record_status(application: Application, to_status: str, *, actor_id: int | None, note: str = "") -> None:
    """Record a status change and, once the transaction commits, announce it (notifications)."""
    from_status = application.status
    event = ApplicationEvent.objects.create(
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
        "event_id": event.pk,
    }
    transaction.on_commit(lambda: application_status_changed.send(sender=Application, **details))


def own_application(application_id: int, applicant_id: int, *, lock: bool = True) -> Application:
    """The applicant's application, locked unless ``lock`` is False (a caller outside a transaction);
    anyone else's is "not found" (T-B1): ApplicationNotFound, which a view answers with 404."""
    applications = Application.objects.select_for_update() if lock else Application.objects.all()
    application = applications.filter(pk=application_id, applicant_id=applicant_id).first()
    if application is None:
        raise ApplicationNotFound(_("没有找到该办件。"), code="not_found")
    return application


def receipt_of(application: Application) -> Receipt:
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


def application_for_handler(application_id: int, staff_id: int) -> Application:
    """The application, locked, if the staff member holds an open task on it; "not found" for anyone
    else, including staff of other departments (T-B3)."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or not has_task_on(staff_id, subject_of(application_id)):
        raise ApplicationNotFound(_("没有找到该办件。"), code="not_found")
    return application


def store_answers(application: Application, answers: dict[str, Any]) -> None:
    """Set the answers as they are kept: resident ID numbers masked in ``form_data`` and encrypted in
    ``encrypted_answers`` (T-M7); the caller saves both fields."""
    application.form_data, application.encrypted_answers = protected_answers(
        application.item_version_id, answers
    )


def protected_answers(item_version_id: int, answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers as kept for an application of this item version: (``form_data`` with resident ID
    numbers masked, ``encrypted_answers``) (T-M7)."""
    item = version_snapshot(item_version_id)
    return protect(answers, paths=resident_id_paths(item.form_schema, item.ui_schema))
