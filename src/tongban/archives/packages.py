"""Archive packages (归档信息包): one 件 as a zip of its files, metadata.json and manifest.json (each
file's SHA-256 and the manifest hash fixed at archiving); one year of a 全宗 as a zip of those."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.core.files.storage import storages

from tongban.archives.models import ArchiveRecord
from tongban.archives.selectors import manifest_of
from tongban.archives.services import ARCHIVE_STORAGE

# Fixed entry times: the same 件 always exports to the same bytes.
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o444 << 16
    archive.writestr(info, data)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _add_record(archive: zipfile.ZipFile, record: ArchiveRecord, prefix: str = "") -> None:
    storage = storages[ARCHIVE_STORAGE]
    manifest = manifest_of(record)
    for file in record.files.all():
        with storage.open(file.path, "rb") as handle:
            _write(archive, f"{prefix}files/{file.name}", handle.read())
    _write(archive, f"{prefix}metadata.json", _json(manifest))
    _write(
        archive,
        f"{prefix}manifest.json",
        _json(
            {
                "archival_code": record.archival_code,
                "manifest_sha256": record.manifest_sha256,
                "hash_of": "SHA-256 of metadata.json's content as canonical JSON (sorted keys, no spaces)",
                "files": [
                    {"name": f["name"], "sha256": f["sha256"], "size": f["size"]} for f in manifest["files"]
                ],
            }
        ),
    )


def export_package(record_id: int) -> bytes:
    """The 件 as a zip: files/…, metadata.json (everything the manifest hash covers) and manifest.json
    (each file's SHA-256, the manifest hash)."""
    record = ArchiveRecord.objects.get(pk=record_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add_record(archive, record)
    return buffer.getvalue()


def export_year(fonds_code: str, year: int) -> bytes:
    """Every 件 of a 全宗's year as one zip, a folder per 档号, and index.json listing them in 档号 order."""
    records = list(
        ArchiveRecord.objects.filter(fonds_code=fonds_code, year=year).order_by(
            "retention", "organisation_code", "item_number"
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for record in records:
            _add_record(archive, record, prefix=f"{record.archival_code}/")
        _write(
            archive,
            "index.json",
            _json(
                {
                    "fonds_code": fonds_code,
                    "year": year,
                    "records": [
                        {
                            "archival_code": r.archival_code,
                            "title": r.title,
                            "document_number": r.document_number,
                            "manifest_sha256": r.manifest_sha256,
                        }
                        for r in records
                    ],
                }
            ),
        )
    return buffer.getvalue()
