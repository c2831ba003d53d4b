"""Catalog search latency over a catalog of N published items. Prints numbers; asserts nothing.

    .venv/bin/python bench/search_latency.py [--items 3000] [--rounds 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search_latency.py

Uses a throw-away SQLite file unless DATABASE_URL is set (the database is flushed first: never point
it at real data). The demo city is loaded, then synthetic variants of its items fill up to N.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/tongban-bench-search.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from tongban.catalog import selectors, services  # noqa: E402
from tongban.catalog.services import draft_of_version  # noqa: E402
from tongban.demo.loader import load_demo_city  # noqa: E402

QUERIES = [
    "结婚",
    "结婚登记",
    "营业执照",
    "公积金提取",
    "身份证",
    "护照",
    "食品经营许可",
    "我要办理退休",
    "消防",
    "社保卡",
]
PLACES = ["锦江", "青山", "云溪", "东湖", "南门", "桃源", "城关", "河西"]


def fill(target: int) -> int:
    from tongban.catalog.models import ServiceItemVersion  # bench only: read the demo versions

    templates = list(ServiceItemVersion.objects.filter(status="published").select_related("item"))
    count = len(templates)
    serial = 0
    while count < target:
        template = templates[serial % len(templates)]
        serial += 1
        place = PLACES[serial % len(PLACES)]
        draft = draft_of_version(template)
        draft = type(draft)(**{**draft.__dict__, "name": f"{place}{draft.name}（{serial}）"})
        basic = f"99{serial:010d}"
        ref = services.create_item(
            department_id=template.item.department_id,
            basic_code=basic,
            implementation_code=f"B{serial:011d}{basic}",
            draft=draft,
            actor_id=None,
        )
        services.publish_version(version_id=ref.version_id, actor_id=None)
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    load_demo_city(with_accounts=False)
    started = time.perf_counter()
    total = fill(args.items)
    print(f"catalog: {total} published items (filled in {time.perf_counter() - started:.1f} s)")
    print(f"database: {django.db.connection.vendor}")

    selectors.search_published("预热")
    for query in QUERIES:
        samples = []
        hits = 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            hits = len(selectors.search_published(query).versions)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        print(f"{query:<10} hits={hits:>4}  p50={statistics.median(samples):7.1f} ms  p99={p99:7.1f} ms")


if __name__ == "__main__":
    main()
