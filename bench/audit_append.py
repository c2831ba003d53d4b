"""Audit rows appended per second with 1 and 8 writer threads: ``plain`` is one INSERT per row (what
``core.audit.record`` did before the hash chain), ``chained`` is ``core.audit.record`` (lock a free
chain head with SKIP LOCKED, INSERT the linked row, UPDATE the head). Prints numbers; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_auditchain .venv/bin/python bench/audit_append.py [--rows 2000]

Deletes every audit row and chain head of the database it is given (migrated first): never point it at
real data. Each thread appends in its own connection, one transaction per row (as a request does).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from tongban.core import audit, hash_chain  # noqa: E402
from tongban.core.models import AuditChainHead, AuditEvent  # noqa: E402

_numbers = itertools.count(10**9)
_lock = threading.Lock()


def plain(n: int) -> None:
    with _lock:
        seq = next(_numbers)
    AuditEvent.objects.create(chain=0, seq=seq, event="bench", actor_id=n, object_type="user", object_id=n)


def chained(n: int) -> None:
    audit.record(event="bench", actor_id=n, object_type="user", object_id=n)


def run(append, threads: int, rows: int) -> float:
    per_thread = rows // threads

    def work() -> None:
        try:
            for n in range(per_thread):
                append(n)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return per_thread * threads / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    rows = parser.parse_args().rows
    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}, {rows} rows per run")
    for threads in (1, 8):
        for name, append in (("plain", plain), ("chained", chained)):
            AuditEvent.objects.all().delete()
            AuditChainHead.objects.all().delete()
            rate = run(append, threads, rows)
            print(f"{name:8} {threads} thread(s): {rate:7.0f} appends/s")
    AuditEvent.objects.filter(chain=0).delete()
    print("chains verify:", hash_chain.verify(audit.LOG))
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()


if __name__ == "__main__":
    main()
