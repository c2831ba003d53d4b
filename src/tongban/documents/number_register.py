"""Reads for the 公文设置 pages: the bodies and templates an administrator keeps, a body's 文号 register
and what 补号 may take and give."""

from __future__ import annotations

from django.db.models import QuerySet

from tongban.documents.models import (
    DocumentNumber,
    DocumentTemplate,
    IssuingBody,
    NumberState,
    OfficialDocument,
)
from tongban.organizations.selectors import administered_department_ids


def administered_bodies(user_id: int) -> QuerySet[IssuingBody]:
    departments = administered_department_ids(user_id)
    bodies = IssuingBody.objects.select_related("department")
    return bodies if departments is None else bodies.filter(department_id__in=departments)


def administered_templates(user_id: int) -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.filter(issuing_body__in=administered_bodies(user_id)).select_related(
        "issuing_body"
    )


def register(issuing_body_id: int, year: int) -> list[DocumentNumber]:
    """Every number taken off the body's counter for the year, in sequence."""
    return list(
        DocumentNumber.objects.filter(issuing_body_id=issuing_body_id, year=year)
        .select_related("document", "previous_document", "changed_by")
        .order_by("sequence")
    )


def pool(issuing_body_id: int) -> list[DocumentNumber]:
    """Numbers 补号 may give: reserved or abandoned, any year."""
    return list(
        DocumentNumber.objects.filter(
            issuing_body_id=issuing_body_id, state__in=(NumberState.RESERVED, NumberState.ABANDONED)
        ).order_by("year", "sequence")
    )


def awaiting_number(issuing_body_id: int) -> list[OfficialDocument]:
    """Signed-off documents of the body without a number (补号 may give them one)."""
    return list(
        OfficialDocument.objects.filter(
            issuing_body_id=issuing_body_id, signed_off_at__isnull=False, document_number__isnull=True
        )
        .exclude(status="cancelled")
        .order_by("signed_off_at")
    )
