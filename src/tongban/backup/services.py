"""Back up, check and restore the whole platform: database, stored files, manifest (THREATS T-L4–T-L6).

A backup directory holds ``manifest.enc``, ``database.enc`` and ``files/NNNNNN.enc``, every one AES-256-GCM
encrypted under TONGBAN_BACKUP_KEY; stored files' names appear only inside the encrypted manifest.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import tempfile
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import connections
from django.utils import timezone

from tongban.backup import crypto, postgres, sqlite, stored_files
from tongban.backup import manifest as manifests
from tongban.backup.errors import BackupError
from tongban.backup.manifest import Blob, Manifest

DATABASE = "database.enc"


def _kind(database: dict[str, Any]) -> ModuleType:
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return postgres
    if "sqlite3" in engine:
        return sqlite
    raise BackupError(f"不支持备份这种数据库：{engine}")


def _vendor(kind: ModuleType) -> str:
    return "postgresql" if kind is postgres else "sqlite"


def _platform_version() -> str:
    try:
        return importlib.metadata.version("tongban")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def create_backup(output: Path, *, using: str = "default") -> Manifest:
    """Write one consistent backup of database ``using`` and every stored file into ``output``.

    The database goes first, in one snapshot; stored files are written once and never changed, so every
    file the dump refers to exists when they are copied next. Refuses without a key or into a non-empty
    directory; nothing is left behind when it fails."""
    key = crypto.backup_key()
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"{output} 不是空目录：备份只写入新的或空的目录")
    kind = _kind(connections[using].settings_dict)
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    try:
        return _write(output, key=key, kind=kind, using=using)
    except BaseException:
        if created:
            shutil.rmtree(output, ignore_errors=True)
        else:
            for child in output.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise


def _write(output: Path, *, key: bytes, kind: ModuleType, using: str) -> Manifest:
    backup_id = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="tongban-backup-") as scratch:
        plain = Path(scratch) / "database"
        tables, migrations = kind.dump(using, plain)
        missing = sorted({model._meta.db_table for model in apps.get_models()} - set(tables))
        if missing:
            raise BackupError(f"数据库缺少这些表（迁移未执行？）：{'、'.join(missing)}")
        aad = f"{backup_id}/{DATABASE}".encode()
        sha256, size = crypto.encrypt_file(plain, output / DATABASE, key=key, aad=aad)
    database = Blob(name=DATABASE, sha256=sha256, size=size)
    (output / "files").mkdir()
    files = []
    for number, (storage, path, source) in enumerate(stored_files.walk(stored_files.locations()), start=1):
        name = f"files/{number:06d}.enc"
        sha256, size = crypto.encrypt_file(source, output / name, key=key, aad=f"{backup_id}/{name}".encode())
        files.append(Blob(name=name, sha256=sha256, size=size, storage=storage, path=path))
    result = Manifest(
        backup_id=backup_id,
        created_at=timezone.now().isoformat(),
        platform_version=_platform_version(),
        database_vendor=_vendor(kind),
        database=database,
        tables=tables,
        migrations=migrations,
        files=files,
    )
    manifests.write(output, result, key=key)
    return result


def verify_backup(directory: Path) -> Manifest:
    """Decrypt every blob of the backup (keeping nothing) and compare it with the manifest; BackupError
    naming every blob that is missing, edited, truncated or different."""
    key = crypto.backup_key()
    result = manifests.read(directory, key=key)
    problems = []
    for blob in result.blobs():
        try:
            sha256, size = crypto.decrypt_file(
                directory / blob.name, crypto.Discard(), key=key, aad=result.aad(blob)
            )
        except (BackupError, OSError) as exc:
            problems.append(f"{result.describe(blob)}：{exc}")
            continue
        if (sha256, size) != (blob.sha256, blob.size):
            problems.append(f"{result.describe(blob)}：SHA-256 或大小与清单不符")
    listed = {blob.name for blob in result.blobs()} | {manifests.MANIFEST}
    extra = sorted(path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file())
    problems += [f"{name}：清单中没有这个文件" for name in extra if name not in listed]
    if problems:
        raise BackupError("备份校验失败：\n" + "\n".join(problems))
    return result


def restore_backup(
    directory: Path, *, database: dict[str, Any] | None = None, media: dict[str, Path] | None = None
) -> Manifest:
    """Restore a verified backup into an empty database and empty storages, then check every row count
    and file hash there against the manifest.

    ``database`` is a Django DATABASES entry (default: the default database); ``media`` maps storage names
    to folders (default: the configured storages). Refuses a non-empty target or any blob that fails
    verification before writing anything; BackupError names every mismatch after restoring."""
    database = database or connections["default"].settings_dict
    media = media or stored_files.locations()
    kind = _kind(database)
    key = crypto.backup_key()
    result = manifests.read(directory, key=key)
    if result.database_vendor != _vendor(kind):
        raise BackupError(f"这是 {result.database_vendor} 的备份，不能恢复到 {_vendor(kind)}")
    if not kind.is_empty(database):
        raise BackupError("目标数据库不是空的：只恢复到新建的空数据库")
    if not stored_files.is_empty(media):
        raise BackupError("目标文件存储不是空的：只恢复到空的存储目录")
    unknown = sorted({blob.storage for blob in result.files} - set(media))
    if unknown:
        raise BackupError(f"当前设置中没有这些存储：{'、'.join(unknown)}")
    verify_backup(directory)
    with tempfile.TemporaryDirectory(prefix="tongban-restore-") as scratch:
        plain = Path(scratch) / "database"
        with plain.open("wb") as target:
            crypto.decrypt_file(directory / DATABASE, target, key=key, aad=result.aad(result.database))
        kind.restore(database, plain)
    for blob in result.files:
        target_path = media[blob.storage] / blob.path
        target_path.parent.mkdir(parents=True, exist_ok=True)
        partial = target_path.with_name(target_path.name + ".restoring")
        with partial.open("wb") as target:
            crypto.decrypt_file(directory / blob.name, target, key=key, aad=result.aad(blob))
        partial.replace(target_path)
    problems = restored_problems(result, database=database, media=media)
    if problems:
        raise BackupError("恢复后核对不符：\n" + "\n".join(problems))
    return result


def restored_problems(result: Manifest, *, database: dict[str, Any], media: dict[str, Path]) -> list[str]:
    """Every table whose row count and every file whose hash differs from the manifest (T-L4, T-L5)."""
    counts = _kind(database).count_rows(database)
    problems = [
        f"表 {table}：清单 {expected} 行，恢复后 {counts.get(table, '缺失')}"
        for table, expected in sorted(result.tables.items())
        if counts.get(table) != expected
    ]
    for blob in result.files:
        path = media[blob.storage] / blob.path
        if not path.is_file():
            problems.append(f"文件 {blob.storage}:{blob.path}：恢复后缺失")
        elif crypto.file_sha256(path) != blob.sha256:
            problems.append(f"文件 {blob.storage}:{blob.path}：SHA-256 与清单不符")
    return problems
