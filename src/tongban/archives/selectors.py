"""Reads of the archive: the retention a record gets, the 件 a person may see, a 件's manifest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

from tongban.archives.manifest import record_manifest
from tongban.archives.models import (
    ArchiveRecord,
    OrganisationCode,
    RecordSource,
    Retention,
    RetentionRule,
)
from tongban.archives.roles import ARCHIVIST
from tongban.archives.rules import RetentionRuleRow, matching_retention
from tongban.organizations.selectors import (
    CITY_ADMIN,
    DEPARTMENT_ADMIN,
    department_ids_for,
    is_city_admin,
)


def retention_for(*, kind: str, source: str, title: str) -> str:
    """The 保管期限 code (Y, D30, D10) the 归档范围与保管期限表 gives a record of this 文种 (its Chinese
    name, e.g. 通知), source (outgoing or incoming) and title."""
    rows = [
        RetentionRuleRow(kind=r.kind, source=r.source, title_contains=r.title_contains, retention=r.retention)
        for r in RetentionRule.objects.all()
    ]
    return matching_retention(rows, kind=kind, source=source, title=title)


def organisation_code_for(department_id: int) -> str:
    """机构（问题）代码 of the department's records: its own, else the deployment's default."""
    code = OrganisationCode.objects.filter(department_id=department_id).values_list("code", flat=True).first()
    return code or settings.TONGBAN_ARCHIVE_DEFAULT_ORGANISATION_CODE


def default_organisation_code() -> str:
    return settings.TONGBAN_ARCHIVE_DEFAULT_ORGANISATION_CODE


def archival_code_of(source: str) -> str | None:
    """The 档号 of the 件 archived from ``source`` (document:12, received:7), None if not archived."""
    return ArchiveRecord.objects.filter(source=source).values_list("archival_code", flat=True).first()


def archivist_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=ARCHIVIST)


def is_archivist_of(user_id: int, department_id: int) -> bool:
    return department_id in archivist_department_ids(user_id)


def may_edit_schedule(user_id: int) -> bool:
    """The retention schedule belongs to the whole 全宗: a 全宗-wide administrator (全市系统管理员) or a
    部门管理员 edits it."""
    return is_city_admin(user_id) or bool(department_ids_for(user_id=user_id, role=DEPARTMENT_ADMIN))


def may_read_archive(user_id: int) -> bool:
    return bool(archivist_department_ids(user_id))


def records_for(user_id: int, *, year: int | None = None, query: str = "") -> list[ArchiveRecord]:
    """The 件 of the departments where the user is 档案管理员, newest year first."""
    records = ArchiveRecord.objects.filter(department_id__in=archivist_department_ids(user_id))
    if year:
        records = records.filter(year=year)
    if query:
        records = records.filter(
            Q(title__icontains=query)
            | Q(archival_code__icontains=query)
            | Q(document_number__icontains=query)
        )
    return list(records[:500])


def get_record_for(user_id: int, record_id: int) -> ArchiveRecord | None:
    """The 件 when the user is 档案管理员 of its department; None otherwise."""
    record = ArchiveRecord.objects.filter(pk=record_id).first()
    if record is None or not is_archivist_of(user_id, record.department_id):
        return None
    return record


def manifest_of(record: ArchiveRecord) -> dict[str, Any]:
    """The manifest as the rows say now (the same as at archiving unless someone changed them)."""
    return record_manifest(
        archival_code=record.archival_code,
        fonds_code=record.fonds_code,
        category=record.category,
        year=record.year,
        retention=record.retention,
        organisation_code=record.organisation_code,
        item_number=record.item_number,
        source=record.source,
        kind=record.kind,
        title=record.title,
        document_number=record.document_number,
        responsible=record.responsible,
        date=record.date,
        secrecy=record.secrecy,
        page_count=record.page_count,
        metadata=record.metadata,
        files=[dict(f) for f in record.files.values("name", "label", "media_type", "size", "sha256")],
    )


def retention_rules() -> list[RetentionRule]:
    return list(RetentionRule.objects.all())


def organisation_codes() -> dict[int, str]:
    return dict(OrganisationCode.objects.values_list("department_id", "code"))


RETENTION_LABELS = dict(Retention.choices)
SOURCE_LABELS = dict(RecordSource.choices)
ADMINISTRATOR_ROLES = frozenset({DEPARTMENT_ADMIN, CITY_ADMIN})
