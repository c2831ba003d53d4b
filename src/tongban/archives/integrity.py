"""四性检测 (DA/T 70-2018) of archived 件, as far as software can: 真实性 (the manifest and every file's
hash are as fixed at archiving; a sealed PDF's signature still verifies), 完整性 (every listed file is
there, the required metadata is, 件号 run without gaps), 可用性 (each file opens: PDF parses, JSON
loads, HTML decodes, PNG reads), 安全性 (only archive formats, nothing executable, files not
world-writable)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from collections.abc import Callable, Iterable

from django.core.files.storage import storages
from django.utils.module_loading import import_string

from tongban.archives.manifest import manifest_sha256
from tongban.archives.models import ArchiveFile, ArchiveRecord
from tongban.archives.rules import content_problem, missing_item_numbers, missing_metadata
from tongban.archives.selectors import manifest_of
from tongban.archives.services import ARCHIVE_STORAGE
from tongban.archives.types import CheckResult, IntegrityReport

AUTHENTICITY = "authenticity"
INTEGRITY = "integrity"
USABILITY = "usability"
SECURITY = "security"
CHECK_LABELS = {AUTHENTICITY: "真实性", INTEGRITY: "完整性", USABILITY: "可用性", SECURITY: "安全性"}

SealVerifier = Callable[[bytes], object]


def seal_verifier_from_settings() -> SealVerifier | None:
    """TONGBAN_ARCHIVE_SEAL_VERIFIER's function, None when it is not set."""
    from django.conf import settings

    path = settings.TONGBAN_ARCHIVE_SEAL_VERIFIER
    return import_string(path) if path else None


def _verified(verifier: SealVerifier, data: bytes) -> bool:
    try:
        result = verifier(data)
    except Exception:  # a verifier that cannot read the file says the seal does not verify
        return False
    return bool(getattr(result, "valid", result))


def _usability_problem(file: ArchiveFile, data: bytes) -> str | None:
    try:
        if file.media_type == "application/pdf":
            from pypdf import PdfReader

            if len(PdfReader(io.BytesIO(data)).pages) < 1:
                return f"PDF 没有页面：{file.name}"
        elif file.media_type == "application/json":
            json.loads(data.decode("utf-8"))
        elif file.media_type == "text/html":
            data.decode("utf-8")
        elif file.media_type == "image/png":
            from PIL import Image

            Image.open(io.BytesIO(data)).verify()
    except Exception as exc:
        return f"文件无法打开：{file.name}（{type(exc).__name__}）"
    return None


def _world_writable(path: str) -> bool:
    storage = storages[ARCHIVE_STORAGE]
    try:
        local = storage.path(path)
    except NotImplementedError:  # an object store: permissions are the bucket's
        return False
    return bool(os.stat(local).st_mode & stat.S_IWOTH)


def _gaps_by_record(records: list[ArchiveRecord]) -> dict[int, list[int]]:
    """For each record, the 件号 missing in its group below its own number (the gap it follows)."""
    groups = {(r.fonds_code, r.category, r.year, r.retention, r.organisation_code) for r in records}
    gaps: dict[int, list[int]] = {}
    for fonds_code, category, year, retention, organisation_code in groups:
        members = list(
            ArchiveRecord.objects.filter(
                fonds_code=fonds_code,
                category=category,
                year=year,
                retention=retention,
                organisation_code=organisation_code,
            ).values_list("pk", "item_number")
        )
        missing = missing_item_numbers(number for _pk, number in members)
        for pk, number in members:
            # Each gap is reported once: on the first 件 after it.
            previous = max((n for _p, n in members if n < number), default=0)
            gaps[pk] = [n for n in missing if previous < n < number]
    return gaps


def check_record(
    record: ArchiveRecord, *, gaps: list[int], seal_verifier: SealVerifier | None
) -> IntegrityReport:
    storage = storages[ARCHIVE_STORAGE]
    problems: dict[str, list[str]] = {AUTHENTICITY: [], INTEGRITY: [], USABILITY: [], SECURITY: []}
    if manifest_sha256(manifest_of(record)) != record.manifest_sha256:
        problems[AUTHENTICITY].append("元数据或文件清单与归档时不一致")
    sealed = set(record.metadata.get("sealed_files", []))
    for file in record.files.all():
        if not storage.exists(file.path):
            problems[INTEGRITY].append(f"文件缺失：{file.name}")
            continue
        with storage.open(file.path, "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != file.sha256 or len(data) != file.size:
            problems[AUTHENTICITY].append(f"文件已被修改：{file.name}")
        if seal_verifier is not None and file.name in sealed and not _verified(seal_verifier, data):
            problems[AUTHENTICITY].append(f"电子印章验证未通过：{file.name}")
        if problem := _usability_problem(file, data):
            problems[USABILITY].append(problem)
        if problem := content_problem(file.name, data):
            problems[SECURITY].append(problem)
        if _world_writable(file.path):
            problems[SECURITY].append(f"文件可被任何人修改：{file.name}")
    fields = {
        "title": record.title,
        "responsible": record.responsible,
        "date": record.date,
        "retention": record.retention,
        "archival_code": record.archival_code,
    }
    problems[INTEGRITY] += [f"缺少元数据：{name}" for name in missing_metadata(fields, record.metadata)]
    if not record.files.exists():
        problems[INTEGRITY].append("没有归档文件")
    problems[INTEGRITY] += [f"件号 {n} 缺失" for n in gaps]
    return IntegrityReport(
        record_id=record.pk,
        archival_code=record.archival_code,
        checks=tuple(
            CheckResult(check=check, passed=not found, problems=tuple(found))
            for check, found in problems.items()
        ),
    )


def check_integrity(
    *,
    record_ids: Iterable[int] | None = None,
    fonds_code: str | None = None,
    year: int | None = None,
    seal_verifier: SealVerifier | None = None,
) -> list[IntegrityReport]:
    """四性检测 of the chosen 件 (all, when nothing is chosen), one report each in 档号 order.
    ``seal_verifier(pdf_bytes)`` checks the sealed PDFs (``metadata["sealed_files"]``) when given."""
    records = ArchiveRecord.objects.all()
    if record_ids is not None:
        records = records.filter(pk__in=list(record_ids))
    if fonds_code:
        records = records.filter(fonds_code=fonds_code)
    if year:
        records = records.filter(year=year)
    chosen = list(records.order_by("archival_code"))
    gaps = _gaps_by_record(chosen)
    return [check_record(r, gaps=gaps.get(r.pk, []), seal_verifier=seal_verifier) for r in chosen]
