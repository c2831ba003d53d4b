"""SQLite: the online backup API copies a consistent database while others keep writing; restore puts
that file where the settings name the database."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.db import connections

from tongban.backup.errors import BackupError

TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(TABLES)]
    return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608 - names from sqlite_master


def dump(alias: str, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Copy the database of connection ``alias`` to ``target`` (through Django's own connection, which
    also reaches an in-memory database); counts and migrations are read from the copy."""
    connection = connections[alias]
    if connection.in_atomic_block:  # the copy would wait for this transaction's lock forever
        raise BackupError("不能在事务中备份 SQLite 数据库")
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        migrations = [
            list(row) for row in copy.execute("SELECT app, name FROM django_migrations ORDER BY id")
        ]
        return _counts(copy), migrations


def _path(database: dict[str, Any]) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("不能恢复到内存数据库：请在设置中指定 SQLite 文件")
    return Path(name)


def is_empty(database: dict[str, Any]) -> bool:
    name = str(database["NAME"])
    uri = name.startswith("file:")  # Django's in-memory test database is a shared-cache URI
    if not uri and (not Path(name).exists() or Path(name).stat().st_size == 0):
        return True
    with contextlib.closing(sqlite3.connect(name, uri=uri)) as conn:
        return not conn.execute(TABLES).fetchall()


def restore(database: dict[str, Any], source: Path) -> None:
    path = _path(database)
    partial = path.with_name(path.name + ".restoring")
    with (
        contextlib.closing(sqlite3.connect(source)) as dumped,
        contextlib.closing(sqlite3.connect(partial)) as copy,
    ):
        dumped.backup(copy)
    os.replace(partial, path)


def count_rows(database: dict[str, Any]) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(_path(database))) as conn:
        return _counts(conn)
