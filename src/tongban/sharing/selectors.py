"""Sharing reads: the catalog and 我的数据使用记录."""

from __future__ import annotations

from django.db.models import QuerySet

from tongban.sharing.models import DataResource, UsageLogEntry, UsageOutcome
from tongban.sharing.types import Subject, UsageRecord


def published_resources() -> QuerySet[DataResource]:
    return DataResource.objects.select_related("department").prefetch_related("items").order_by("code")


def usage_of(subject: Subject, *, limit: int = 500) -> list[UsageRecord]:
    """Every use of the subject's data, newest first, refusals included, and nobody else's (T-E5).

    Derived from the usage log itself, matched on the subject key (the resident-ID keyed hash or USCC)."""
    labels = dict(UsageOutcome.choices)
    rows = UsageLogEntry.objects.filter(subject_kind=subject.kind, subject_key=subject.key).order_by("-seq")[
        :limit
    ]
    return [
        UsageRecord(
            seq=row.seq,
            used_at=row.created_at,
            department_name=row.department_name,
            resource_name=row.resource_name,
            item_names=tuple(row.item_names),
            purpose=row.purpose,
            case_ref=row.case_ref,
            outcome=row.outcome,
            outcome_label=str(labels.get(row.outcome, row.outcome)),
        )
        for row in rows
    ]
