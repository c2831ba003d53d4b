"""An application's name in the workflow (one process instance per application), and which are on
hold for the workflow's timeout actions."""

from __future__ import annotations

from django.db.models import Q

from tongban.applications.models import Application, ApplicationStatus


def subject_of(application_id: int) -> str:
    return f"application:{application_id}"


def application_id_of(subject: str) -> int | None:
    kind, _sep, ident = subject.partition(":")
    return int(ident) if kind == "application" and ident.isdigit() else None


def paused_subjects(subjects: list[str]) -> set[str]:
    """The applications among ``subjects`` whose clock stands still: waiting for the applicant's 补正,
    or in a 特别程序 not yet ended (applications.clock.is_paused, for many at once)."""
    ids = [i for i in map(application_id_of, subjects) if i is not None]
    paused = Application.objects.filter(
        Q(status=ApplicationStatus.CORRECTION_REQUESTED)
        | Q(special_procedures__ended_at__isnull=True, special_procedures__isnull=False),
        pk__in=ids,
    ).values_list("pk", flat=True)
    return {subject_of(i) for i in set(paused)}
