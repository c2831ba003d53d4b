"""Running jobs at the same moment in threads, each with its own database connection (PostgreSQL
tests of row locks and constraints)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once(jobs: Sequence[Callable[[], object]]) -> list[BaseException]:
    """Start every job together (a barrier), wait for all; the exceptions they raised."""
    barrier = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
