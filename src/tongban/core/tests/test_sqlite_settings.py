"""SQLite runs in WAL mode with synchronous=NORMAL (readers do not wait for a writer)."""

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from tongban import env


@pytest.mark.django_db  # pytest-django blocks every connection, this one included, without it
def test_a_sqlite_database_file_opens_in_wal_mode_with_normal_sync(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'site.sqlite3'}")
    config = env.db("DATABASE_URL", help="test")
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="wal_check",
    )
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()


@pytest.mark.parametrize("url", ["postgres://postgres@127.0.0.1:5432/test"])
def test_postgresql_gets_no_sqlite_pragmas(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert "init_command" not in env.db("DATABASE_URL", help="test").get("OPTIONS", {})
