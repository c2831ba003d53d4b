"""Writes of the archive: 归档 of one 件 with a fixed snapshot, and the 归档范围与保管期限表."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.archives import selectors
from tongban.archives.errors import ArchiveError
from tongban.archives.manifest import manifest_sha256
from tongban.archives.models import (
    ArchiveCounter,
    ArchiveFile,
    ArchiveRecord,
    OrganisationCode,
    RecordSource,
    Retention,
    RetentionRule,
)
from tongban.archives.rules import (
    CATEGORY_DOCUMENTS,
    DOCUMENT_KINDS,
    ORGANISATION_CODE_PATTERN,
    content_problem,
    format_archival_code,
    format_of,
)
from tongban.core import audit
from tongban.organizations.selectors import administered_department_ids

ARCHIVE_STORAGE = "archives"


def _take_item_number(
    *, fonds_code: str, category: str, year: int, retention: str, organisation_code: str
) -> int:
    """The next 件号 of the group, under the counter's row lock (no gaps, no duplicates)."""
    group: dict[str, Any] = {
        "fonds_code": fonds_code,
        "category": category,
        "year": year,
        "retention": retention,
        "organisation_code": organisation_code,
    }
    ArchiveCounter.objects.get_or_create(**group)
    counter = ArchiveCounter.objects.select_for_update().get(**group)
    counter.last_item_number += 1
    counter.save(update_fields=["last_item_number"])
    return counter.last_item_number


def archive_record(
    *,
    source: str,
    source_kind: str,
    department_id: int,
    kind: str,
    title: str,
    document_number: str,
    responsible: str,
    date: datetime.date,
    secrecy: str,
    page_count: int | None,
    retention: str,
    metadata: dict[str, Any],
    files: Sequence[tuple[str, bytes]],
    file_labels: dict[str, str] | None = None,
    user_id: int,
) -> str:
    """归档: one 件 under the next 件号 of its group (全宗号 from TONGBAN_ARCHIVE_FONDS_CODE, 门类 WS, the
    year of ``date``, the 保管期限, the department's 机构代码), with copies of ``files`` in the archives
    storage, their SHA-256 and a manifest hash over everything, fixed now. Returns the 档号.

    Idempotent per ``source``: archiving it again returns the 档号 it has. Raises ArchiveError for no
    files, two files of one name, a format an archive does not hold or content that is not what its
    name says (an executable, a PDF that is not one)."""
    if existing := selectors.archival_code_of(source):
        return existing
    if retention not in Retention.values:
        raise ArchiveError(_("保管期限应为永久、定期30年或定期10年"))
    if source_kind not in RecordSource.values:
        raise ArchiveError(_("归档来源应为发文或收文"))
    if not files:
        raise ArchiveError(_("归档文件不能为空"))
    names = [name for name, _data in files]
    if len(set(names)) != len(names):
        raise ArchiveError(_("归档文件不能重名"))
    for name, data in files:
        if problem := content_problem(name, data):
            raise ArchiveError(problem)
    labels = file_labels or {}
    # Stored as JSON reads it back: dates and times as ISO text, so the manifest recomputes exactly.
    metadata = json.loads(json.dumps(metadata, cls=DjangoJSONEncoder, ensure_ascii=False))
    fonds_code = settings.TONGBAN_ARCHIVE_FONDS_CODE
    organisation_code = selectors.organisation_code_for(department_id)
    storage = storages[ARCHIVE_STORAGE]
    saved: list[str] = []
    try:
        with transaction.atomic():
            item_number = _take_item_number(
                fonds_code=fonds_code,
                category=CATEGORY_DOCUMENTS,
                year=date.year,
                retention=retention,
                organisation_code=organisation_code,
            )
            code = format_archival_code(
                fonds_code=fonds_code,
                category=CATEGORY_DOCUMENTS,
                year=date.year,
                retention=retention,
                organisation_code=organisation_code,
                item_number=item_number,
            )
            record = ArchiveRecord.objects.create(
                archival_code=code,
                fonds_code=fonds_code,
                category=CATEGORY_DOCUMENTS,
                year=date.year,
                retention=retention,
                organisation_code=organisation_code,
                item_number=item_number,
                department_id=department_id,
                source=source,
                source_kind=source_kind,
                kind=kind,
                title=title,
                document_number=document_number,
                responsible=responsible,
                date=date,
                secrecy=secrecy,
                page_count=page_count,
                metadata=metadata,
                manifest_sha256="",
                archived_at=timezone.now(),
                archived_by_id=user_id,
            )
            folder = f"{fonds_code}/{date.year}/{retention}-{organisation_code}-{item_number:04d}-{record.pk}"
            for position, (name, data) in enumerate(files):
                # A copy, never a reference to the live file: later edits cannot reach the snapshot.
                path = storage.save(f"{folder}/{name}", ContentFile(data))
                saved.append(path)
                ArchiveFile.objects.create(
                    record=record,
                    position=position,
                    name=name,
                    label=labels.get(name, name),
                    path=path,
                    media_type=format_of(name) or "",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            record.manifest_sha256 = manifest_sha256(selectors.manifest_of(record))
            record.save(update_fields=["manifest_sha256"])
            audit.record(
                event="archive.archived",
                actor_id=user_id,
                object_type="archive_record",
                object_id=record.pk,
                department_id=department_id,
                reason=f"{code} {source}",
            )
    except IntegrityError:
        for path in saved:
            storage.delete(path)
        # Archived at the same moment by someone else: theirs is the 件.
        if existing := selectors.archival_code_of(source):
            return existing
        raise
    except BaseException:
        for path in saved:
            storage.delete(path)
        raise
    return code


def _require_schedule_editor(user_id: int) -> None:
    if not selectors.may_edit_schedule(user_id):
        raise ArchiveError(_("只有管理员可以修改归档范围与保管期限表"), code="forbidden")


def save_retention_rule(
    *,
    user_id: int,
    rule_id: int | None = None,
    position: int,
    kind: str,
    source: str,
    title_contains: str,
    retention: str,
    note: str,
) -> int:
    """Add or change a row of the 归档范围与保管期限表 (administrators). Raises ArchiveError for a 文种
    that is not one of the 15, an unknown source or 保管期限, or a row that matches nothing narrower
    than "everything" while not being the last (it would hide the rows after it)."""
    _require_schedule_editor(user_id)
    if kind and kind not in DOCUMENT_KINDS:
        raise ArchiveError(_("请选择文种"), code="kind")
    if source and source not in RecordSource.values:
        raise ArchiveError(_("请选择适用于发文还是收文"), code="source")
    if retention not in Retention.values:
        raise ArchiveError(_("请选择保管期限"), code="retention")
    fields = {
        "position": position,
        "kind": kind,
        "source": source,
        "title_contains": title_contains.strip(),
        "retention": retention,
        "note": note.strip(),
    }
    with transaction.atomic():
        if rule_id is None:
            rule = RetentionRule.objects.create(**fields)
        else:
            rule = RetentionRule.objects.select_for_update().get(pk=rule_id)
            for name, value in fields.items():
                setattr(rule, name, value)
            rule.save()
        audit.record(
            event="archive.retention_rule_saved",
            actor_id=user_id,
            object_type="retention_rule",
            object_id=rule.pk,
            reason=str(rule),
        )
    return rule.pk


def delete_retention_rule(*, user_id: int, rule_id: int) -> None:
    _require_schedule_editor(user_id)
    with transaction.atomic():
        rule = RetentionRule.objects.filter(pk=rule_id).first()
        if rule is None:
            return
        description = str(rule)
        rule.delete()
        audit.record(
            event="archive.retention_rule_deleted",
            actor_id=user_id,
            object_type="retention_rule",
            object_id=rule_id,
            reason=description,
        )


def set_organisation_code(*, user_id: int, department_id: int, code: str) -> None:
    """The department's 机构（问题）代码 for 档号 from now on (archived 件 keep theirs)."""
    departments = administered_department_ids(user_id)
    if departments is not None and department_id not in departments:
        raise ArchiveError(_("只有该部门的部门管理员或全市系统管理员可以设置机构代码"), code="forbidden")
    code = code.strip().upper()
    if not re.match(ORGANISATION_CODE_PATTERN, code):
        raise ArchiveError(_("机构代码应为1到8位大写字母或数字"), code="code")
    OrganisationCode.objects.update_or_create(department_id=department_id, defaults={"code": code})
    audit.record(
        event="archive.organisation_code_set",
        actor_id=user_id,
        object_type="department",
        object_id=department_id,
        reason=code,
    )
