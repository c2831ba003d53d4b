"""The manifest of a 件: its metadata and every file's name, size and SHA-256, in one canonical JSON
whose SHA-256 is fixed at archiving. Recomputing it from the rows later shows whether anything moved."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

MANIFEST_VERSION = 1


def record_manifest(
    *,
    archival_code: str,
    fonds_code: str,
    category: str,
    year: int,
    retention: str,
    organisation_code: str,
    item_number: int,
    source: str,
    kind: str,
    title: str,
    document_number: str,
    responsible: str,
    date: datetime.date,
    secrecy: str,
    page_count: int | None,
    metadata: dict[str, Any],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    """The manifest as a dict; ``files`` are dicts with name, label, media_type, size and sha256."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "archival_code": archival_code,
        "fonds_code": fonds_code,
        "category": category,
        "year": year,
        "retention": retention,
        "organisation_code": organisation_code,
        "item_number": item_number,
        "source": source,
        "kind": kind,
        "title": title,
        "document_number": document_number,
        "responsible": responsible,
        "date": date.isoformat(),
        "secrecy": secrecy,
        "page_count": page_count,
        "metadata": metadata,
        "files": [
            {k: f[k] for k in ("name", "label", "media_type", "size", "sha256")}
            for f in sorted(files, key=lambda f: f["name"])
        ],
    }


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def manifest_sha256(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(manifest)).hexdigest()
