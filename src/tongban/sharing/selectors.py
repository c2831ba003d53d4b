"""Sharing reads: the catalog, 我的数据使用记录 and the provider's view of the usage log."""

from __future__ import annotations

from django.db.models import QuerySet

from tongban.organizations import selectors as org_selectors
from tongban.sharing.models import AccessRequest, DataResource, UsageLogEntry, UsageOutcome
from tongban.sharing.types import AccessRequestView, Subject, UsagePage, UsageRecord

STEWARD_ROLE = "department_admin"  # the provider department's admin answers 共享申请


def published_resources() -> QuerySet[DataResource]:
    return DataResource.objects.select_related("department").prefetch_related("items").order_by("code")


USAGE_PAGE_SIZE = 50


def _records(rows: QuerySet[UsageLogEntry]) -> list[UsageRecord]:
    labels = dict(UsageOutcome.choices)
    return [
        UsageRecord(
            id=row.pk,
            seq=row.seq,
            used_at=row.created_at,
            department_name=row.department_name,
            resource_name=row.resource_name,
            subject_masked=row.subject_masked,
            item_names=tuple(row.item_names),
            purpose=row.purpose,
            case_ref=row.case_ref,
            outcome=row.outcome,
            outcome_label=str(labels.get(row.outcome, row.outcome)),
        )
        for row in rows
    ]


def _page(rows: QuerySet[UsageLogEntry], *, before: int | None, size: int) -> UsagePage:
    """Newest first below ``before`` (a row id), one row more than shown to know whether a next page
    exists. Served by an index on (filter columns, -id): no count, no offset."""
    if before is not None:
        rows = rows.filter(pk__lt=before)
    records = _records(rows.order_by("-id")[: size + 1])
    more = len(records) > size
    return UsagePage(records=tuple(records[:size]), next_before=records[size - 1].id if more else None)


def usage_of(subject: Subject, *, limit: int = 500) -> list[UsageRecord]:
    """Every use of the subject's data, newest first, refusals included, and nobody else's (T-E5)."""
    return list(usage_page_of(subject, size=limit).records)


def usage_page_of(subject: Subject, *, before: int | None = None, size: int = USAGE_PAGE_SIZE) -> UsagePage:
    """我的数据使用记录, one page: uses of the subject's data, newest first, refusals included, and
    nobody else's (T-E5). Derived from the usage log itself, matched on the subject key (the resident-ID
    keyed hash or USCC)."""
    rows = UsageLogEntry.objects.filter(subject_kind=subject.kind, subject_key=subject.key)
    return _page(rows, before=before, size=size)


def resources_of_steward(user_id: int) -> list[tuple[str, str]]:
    """(code, name) of the resources provided by the departments where ``user_id`` is department admin."""
    departments = org_selectors.department_ids_for(user_id=user_id, role=STEWARD_ROLE)
    return list(
        DataResource.objects.filter(department_id__in=departments)
        .order_by("code")
        .values_list("code", "name")
    )


def usage_page_for_steward(
    user_id: int, resource_code: str, *, before: int | None = None, size: int = USAGE_PAGE_SIZE
) -> tuple[list[tuple[str, str]], str, UsagePage] | None:
    """The provider's view of the log: (its resources as (code, name), the resource shown, a page of
    that resource's uses, newest first). An empty code shows the first resource; a code not provided by
    a department the user administers gives None (a 404 for the view)."""
    resources = resources_of_steward(user_id)
    code = resource_code or (resources[0][0] if resources else "")
    if code and code not in dict(resources):
        return None
    rows = UsageLogEntry.objects.filter(resource_code=code)
    return resources, code, _page(rows, before=before, size=size)


def _request_view(row: AccessRequest) -> AccessRequestView:
    names = {item.key: item.name for item in row.resource.items.all()}
    return AccessRequestView(
        id=row.pk,
        resource_code=row.resource.code,
        resource_name=row.resource.name,
        department_name=row.department.name,
        purpose=row.purpose,
        item_names=tuple(names.get(key, key) for key in row.item_keys),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        requested_at=row.requested_at,
        answer_due=row.answer_due,
        status=row.status,
        status_label=row.get_status_display(),
        refusal_reason=row.refusal_reason,
    )


def _requests_for_steward(user_id: int) -> QuerySet[AccessRequest]:
    departments = org_selectors.department_ids_for(user_id=user_id, role=STEWARD_ROLE)
    return (
        AccessRequest.objects.filter(resource__department_id__in=departments)
        .select_related("resource", "department")
        .prefetch_related("resource__items")
    )


def pending_requests_for_steward(user_id: int) -> list[AccessRequestView]:
    """共享申请 awaiting an answer from the departments where ``user_id`` is department admin, oldest first."""
    rows = (
        _requests_for_steward(user_id)
        .filter(status=AccessRequest.Status.PENDING)
        .order_by("answer_due", "pk")
    )
    return [_request_view(row) for row in rows]


def get_access_request_for(user_id: int, request_id: int) -> AccessRequestView | None:
    """One request of the steward's departments; anything else is None (a 404 for the view)."""
    row = _requests_for_steward(user_id).filter(pk=request_id).first()
    return _request_view(row) if row else None
