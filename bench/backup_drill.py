"""Backup, verify and restore of the demo city with manage.py backup's services: times and sizes. Prints
numbers; asserts nothing.

    .venv/bin/python bench/backup_drill.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_backup .venv/bin/python bench/backup_drill.py \
        --restore-into bench_backup_restored      # an existing, empty database on the same server

Uses a throw-away SQLite file unless DATABASE_URL is set (migrated, flushed, the demo city loaded: never
point it at real data). Media go to a temporary folder; the restore goes into a new SQLite file, or the
empty PostgreSQL database named by ``--restore-into``, and a second temporary folder.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ.setdefault("TONGBAN_BACKUP_KEY", base64.b64encode(os.urandom(32)).decode())
SCRATCH = Path(tempfile.mkdtemp(prefix="tongban-bench-backup-"))
os.environ["TONGBAN_MEDIA_ROOT"] = str(SCRATCH / "media")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tongban.backup import services, stored_files  # noqa: E402


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--restore-into", help="empty PostgreSQL database to restore into")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo_city", verbosity=0)

    started = time.perf_counter()
    manifest = services.create_backup(SCRATCH / "backup")
    backed_up = time.perf_counter()
    services.verify_backup(SCRATCH / "backup")
    verified = time.perf_counter()
    if connection.vendor == "sqlite":
        target = {**connection.settings_dict, "NAME": str(SCRATCH / "restored.sqlite3")}
    else:
        target = {**connection.settings_dict, "NAME": args.restore_into}
    media = {name: SCRATCH / "restored-media" / name for name in stored_files.locations()}
    services.restore_backup(SCRATCH / "backup", database=target, media=media)
    restored = time.perf_counter()

    print(
        f"database: {connection.vendor}; tables {len(manifest.tables)}, rows {sum(manifest.tables.values())}"
    )
    print(f"stored files: {len(manifest.files)}, {sum(b.size for b in manifest.files) / 1e6:.1f} MB")
    print(
        f"database dump: {manifest.database.size / 1e6:.1f} MB; backup on disk: {_size(SCRATCH / 'backup') / 1e6:.1f} MB"
    )
    print(
        f"backup {backed_up - started:.1f} s, verify {verified - backed_up:.1f} s, restore + checks {restored - verified:.1f} s"
    )
    print(f"scratch folder (delete it): {SCRATCH}")


if __name__ == "__main__":
    main()
