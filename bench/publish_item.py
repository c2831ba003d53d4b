"""Publishing one catalogue item (issue 18 goal: ≤ 20 ms). Prints numbers; asserts nothing.

    .venv/bin/python bench/publish_item.py [--items 200] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_publish .venv/bin/python bench/publish_item.py

Uses a throw-away SQLite file unless DATABASE_URL is set (the database is flushed first: never point
it at real data). The demo city is loaded; each round copies one of its items into a new draft
(`start_draft` of a fresh item) and times `publish_version` alone: the rules, superseding, the search
index. With --profile, cProfile's top functions of the publishing calls are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/tongban-bench-publish.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongban.catalog import services  # noqa: E402
from tongban.demo.loader import load_demo_city  # noqa: E402

GOAL_MS = 20.0


def drafts(count: int) -> list[int]:
    """`count` draft versions, copies of the demo's published items (each a new item)."""
    from tongban.catalog.models import ServiceItemVersion  # bench only: read the demo versions

    templates = list(ServiceItemVersion.objects.filter(status="published").select_related("item"))
    version_ids = []
    for serial in range(count):
        template = templates[serial % len(templates)]
        basic = f"98{serial:010d}"
        ref = services.create_item(
            department_id=template.item.department_id,
            basic_code=basic,
            implementation_code=f"P{serial:011d}{basic}",
            draft=services.draft_of_version(template),
            actor_id=None,
        )
        version_ids.append(ref.version_id)
    return version_ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    load_demo_city(with_accounts=False)
    version_ids = drafts(args.items + 1)
    print(f"database: {connection.vendor}; {args.items} items published one by one")

    services.publish_version(version_id=version_ids.pop(), actor_id=None)  # warm-up
    profiler = cProfile.Profile() if args.profile else None
    samples, query_counts = [], []
    for version_id in version_ids:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.enable()
            t0 = time.perf_counter()
            services.publish_version(version_id=version_id, actor_id=None)
            samples.append((time.perf_counter() - t0) * 1000)
            if profiler:
                profiler.disable()
        query_counts.append(len(queries.captured_queries))
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    p50 = statistics.median(samples)
    print(f"publish_version: p50 {p50:.1f} ms, p99 {p99:.1f} ms, {max(query_counts)} queries")
    print(f"goal ≤ {GOAL_MS:.0f} ms (p50): {'met' if p50 <= GOAL_MS else 'NOT met'}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
