"""The manifest of one backup: what it holds and how to check it (SHA-256 of every blob, row counts of
every table, the migration state). Stored encrypted with AES-GCM, so an edited manifest is refused."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from tongban.backup import crypto
from tongban.backup.errors import BackupError

MANIFEST = "manifest.enc"
MANIFEST_AAD = b"tongban-backup-manifest-v1"
FORMAT = 1


@dataclass(frozen=True)
class Blob:
    """One encrypted file of the backup: ``name`` inside the backup, the plaintext's hash and size.
    For stored files, ``storage`` and ``path`` say where it was (and goes back to)."""

    name: str
    sha256: str
    size: int
    storage: str = ""
    path: str = ""


@dataclass(frozen=True)
class Manifest:
    backup_id: str
    created_at: str
    platform_version: str
    database_vendor: str
    database: Blob
    tables: dict[str, int]
    migrations: list[list[str]]
    files: list[Blob] = field(default_factory=list)
    format: int = FORMAT

    def aad(self, blob: Blob) -> bytes:
        return f"{self.backup_id}/{blob.name}".encode()

    def blobs(self) -> list[Blob]:
        return [self.database, *self.files]

    def describe(self, blob: Blob) -> str:
        return f"{blob.storage}:{blob.path}（{blob.name}）" if blob.storage else f"数据库转储（{blob.name}）"


def write(directory: Path, manifest: Manifest, *, key: bytes) -> None:
    data = json.dumps(dataclasses.asdict(manifest), ensure_ascii=False, sort_keys=True).encode()
    (directory / MANIFEST).write_bytes(crypto.encrypt_bytes(data, key=key, aad=MANIFEST_AAD))


def read(directory: Path, *, key: bytes) -> Manifest:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} 不是备份目录：缺少 {MANIFEST}")
    try:
        data = json.loads(crypto.decrypt_bytes(path, key=key, aad=MANIFEST_AAD))
    except BackupError as exc:
        raise BackupError(f"备份清单 {MANIFEST} 无法认证（密钥不对，或清单被修改）：{exc}") from exc
    if data.get("format") != FORMAT:
        raise BackupError(f"备份格式 {data.get('format')} 不受支持")
    return Manifest(
        **{
            **data,
            "database": Blob(**data["database"]),
            "files": [Blob(**blob) for blob in data["files"]],
        }
    )
