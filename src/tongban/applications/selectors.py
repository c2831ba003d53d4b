"""Application reads, always within what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from tongban.applications.models import Application, ApplicationStatus, MaterialFile
from tongban.applications.types import ApplicationFacts, ApplicationRef
from tongban.organizations.selectors import department_ids_for


def applications_of(applicant_id: int) -> QuerySet[Application]:
    """我的办件: the applicant's own applications, newest first."""
    return Application.objects.filter(applicant_id=applicant_id).order_by("-created_at")


def get_application_for_applicant(applicant_id: int, application_id: int) -> Application | None:
    return Application.objects.filter(pk=application_id, applicant_id=applicant_id).first()


def pre_review_inbox(staff_id: int) -> QuerySet[Application]:
    """Submitted applications waiting for pre-review in the clerk's departments (T-B3)."""
    return Application.objects.filter(
        department_id__in=department_ids_for(user_id=staff_id, role="clerk"),
        status=ApplicationStatus.SUBMITTED,
    ).order_by("submitted_at")


def get_application_for_clerk(staff_id: int, application_id: int) -> Application | None:
    """An application of one of the clerk's departments, or None (anything else is a 404, T-B3)."""
    return (
        Application.objects.filter(
            pk=application_id, department_id__in=department_ids_for(user_id=staff_id, role="clerk")
        )
        .exclude(status=ApplicationStatus.DRAFT)
        .prefetch_related("materials", "events", "corrections")
        .first()
    )


def material_file_for_clerk(staff_id: int, application_id: int, material_id: int) -> MaterialFile | None:
    application = get_application_for_clerk(staff_id, application_id)
    return application.materials.filter(pk=material_id).first() if application else None


def material_file_for_applicant(
    applicant_id: int, application_id: int, material_id: int
) -> MaterialFile | None:
    return MaterialFile.objects.filter(
        pk=material_id, application_id=application_id, application__applicant_id=applicant_id
    ).first()


def application_ref(application_id: int) -> ApplicationRef | None:
    row = (
        Application.objects.filter(pk=application_id)
        .values("pk", "number", "applicant_id", "department_id", "status")
        .first()
    )
    if row is None:
        return None
    return ApplicationRef(
        id=row["pk"],
        number=row["number"],
        applicant_id=row["applicant_id"],
        department_id=row["department_id"],
        status=row["status"],
    )


def application_by_number_for_applicant(number: str, applicant_id: int | None) -> Application | None:
    """The public status query (办件查询): the number must belong to this applicant, else None."""
    if applicant_id is None or not number:
        return None
    return (
        Application.objects.filter(number=number.strip().upper(), applicant_id=applicant_id)
        .prefetch_related("events")
        .first()
    )


def application_facts(application_id: int) -> ApplicationFacts | None:
    """The answers and parties of a submitted application, for the app that makes its result."""
    application = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(pk=application_id).first()
    )
    if application is None or application.number is None:
        return None
    return ApplicationFacts(
        id=application.pk,
        number=application.number,
        item_id=application.item_id,
        item_version_id=application.item_version_id,
        department_id=application.department_id,
        applicant_id=application.applicant_id,
        applicant_name=application.applicant_name,
        status=application.status,
        form_data=dict(application.form_data),
    )
