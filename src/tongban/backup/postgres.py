"""PostgreSQL: pg_dump in custom format from one exported snapshot, so the row counts in the manifest are
those of the dump; pg_restore into an empty database. Connection from the Django settings, the password
only in the environment (never in argv, where ``ps`` shows it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from psycopg import sql

from tongban.backup.errors import BackupError

TABLES = "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
USER_TABLES = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"


def _environ(database: dict[str, Any]) -> dict[str, str]:
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def _connect(database: dict[str, Any], **kwargs: Any) -> psycopg.Connection:
    environ = _environ(database)
    return psycopg.connect(
        dbname=environ["PGDATABASE"],
        host=environ.get("PGHOST"),
        port=environ.get("PGPORT"),
        user=environ.get("PGUSER"),
        password=environ.get("PGPASSWORD"),
        sslmode=environ.get("PGSSLMODE"),
        **kwargs,
    )


def _run(command: list[str], database: dict[str, Any]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed client, arguments are paths and flags
        command, env=_environ(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-2000:]}")


def _counts(cursor: psycopg.Cursor, tables: list[str]) -> dict[str, int]:
    return {
        table: cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table))).fetchone()[0]
        for table in tables
    }


def dump(alias: str, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Dump the database of connection ``alias`` to ``target``; the row count of every table and the
    applied migrations, both read in the snapshot pg_dump dumps."""
    database = connections[alias].settings_dict
    with _connect(database) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            snapshot = cursor.execute("SELECT pg_export_snapshot()").fetchone()[0]
            tables = [row[0] for row in cursor.execute(TABLES)]
            counts = _counts(cursor, tables)
            migrations = [
                list(row) for row in cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            ]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], database)
    return counts, migrations


def is_empty(database: dict[str, Any]) -> bool:
    with _connect(database) as conn:
        return conn.execute(USER_TABLES).fetchone()[0] == 0


def restore(database: dict[str, Any], source: Path) -> None:
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(source),
        ],
        database,
    )


def count_rows(database: dict[str, Any]) -> dict[str, int]:
    with _connect(database) as conn, conn.cursor() as cursor:
        return _counts(cursor, [row[0] for row in cursor.execute(TABLES)])
