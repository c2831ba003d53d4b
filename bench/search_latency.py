"""Catalogue search latency over N published items (issue 18 goal: p99 < 50 ms at 100,000 items).
Prints numbers; asserts nothing.

    .venv/bin/python bench/search_latency.py [--items 100000] [--rounds 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search_latency.py

Uses a throw-away SQLite file unless DATABASE_URL is set (the database is flushed first: never point
it at real data). The demo city is loaded, then bulk-made copies of its published items ("锦江" +
name + serial; their guide lists are not copied, search does not read them) fill up to N, with their
search rows (and so the database's full-text index) written as publishing writes them.

Measured per query: `search_published` (ranking every match) plus loading the first results page
(20 rows), as the search page does; and the whole search page through the Django test client.
"""

from __future__ import annotations

import argparse
import copy
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongban.catalog import selectors  # noqa: E402
from tongban.core.search import index_tokens  # noqa: E402
from tongban.demo.loader import load_demo_city  # noqa: E402

GOAL_P99_MS = 50.0
PAGE = 20
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
    "登记",
    "证明",
    "火星移民",
]
PLACES = ["锦江", "青山", "云溪", "东湖", "南门", "桃源", "城关", "河西"]
BATCH = 5000


def fill(target: int) -> int:
    """Bulk copies of the demo's published items up to `target` published items."""
    # bench only: the catalog's models, to bulk-load what publishing one by one would take hours for
    from tongban.catalog.models import ItemSearchIndex, ServiceItem, ServiceItemVersion

    templates = list(ServiceItemVersion.objects.filter(status="published").select_related("item"))
    text_tokens = dict(ItemSearchIndex.objects.values_list("item_id", "text_tokens"))
    count = len(templates)
    serial = 0
    while count < target:
        size = min(BATCH, target - count)
        rows = []
        for _ in range(size):
            template = templates[serial % len(templates)]
            serial += 1
            rows.append((template, f"{PLACES[serial % len(PLACES)]}{template.name}（{serial}）", serial))
        with transaction.atomic():
            items = ServiceItem.objects.bulk_create(
                ServiceItem(
                    department_id=t.item.department_id,
                    basic_code=t.item.basic_code,
                    implementation_code=f"B{n:011d}{t.item.basic_code}",
                )
                for t, _name, n in rows
            )
            versions = []
            for item, (template, name, _n) in zip(items, rows, strict=True):
                version = copy.copy(template)
                version.pk = None
                version.item = item
                version.name = name
                versions.append(version)
            ServiceItemVersion.objects.bulk_create(versions)
            for item, version in zip(items, versions, strict=True):
                item.published_version_id = version.pk
            ServiceItem.objects.bulk_update(items, ["published_version"])
            ItemSearchIndex.objects.bulk_create(
                ItemSearchIndex(
                    item=item,
                    name=name,
                    name_tokens=index_tokens(name),
                    text_tokens=text_tokens[template.item_id],
                )
                for item, (template, name, _n) in zip(items, rows, strict=True)
            )
        count += size
    return count


def reseed_synonyms() -> None:
    """The flush emptied the synonym table its data migration seeded (issue 19): seed it again."""
    import importlib

    from django.apps import apps

    importlib.import_module("tongban.catalog.migrations.0009_seed_search_synonyms").seed(apps, None)


def published_count() -> int:
    from tongban.catalog.models import ItemSearchIndex  # bench only

    return ItemSearchIndex.objects.count()


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="keep a catalogue filled by an earlier run")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if args.reuse and published_count() >= args.items:
        total = published_count()
    else:
        call_command("flush", interactive=False, verbosity=0)
        load_demo_city(with_accounts=False)
        reseed_synonyms()
        total = fill(args.items)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE catalog_itemsearchindex")
    print(f"catalog: {total} published items (filled in {time.perf_counter() - started:.1f} s)")
    print(f"database: {connection.vendor}; goal: p99 < {GOAL_P99_MS:.0f} ms, best match first")

    client = Client()
    selectors.search_published("预热")
    client.get("/search/", {"q": "预热"})
    all_selector: list[float] = []
    all_page: list[float] = []
    print(
        f"{'query':<10} {'hits':>5}  {'first':<22} {'ranking + page p50/p99':>24} {'whole page p50/p99':>22} queries"
    )
    for query in QUERIES:
        selector_samples, page_samples = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            results = selectors.search_published(query)
            first_page = results.hits[:PAGE]
            selector_samples.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page_samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", {"q": query})
        all_selector += selector_samples
        all_page += page_samples
        hits = f"{len(results.hits)}{'+' if results.has_more else ''}"
        first = first_page[0].name[:12] if first_page else "—"
        s50, s99 = percentiles(selector_samples)
        p50, p99 = percentiles(page_samples)
        print(
            f"{query:<10} {hits:>5}  {first:<22} {s50:9.1f} / {s99:6.1f} ms {p50:10.1f} / {p99:6.1f} ms"
            f" {len(queries.captured_queries):>4}"
        )
    s50, s99 = percentiles(all_selector)
    p50, p99 = percentiles(all_page)
    verdict = "met" if p99 < GOAL_P99_MS else "NOT met"
    print(
        f"all queries: ranking + first page p50 {s50:.1f} ms, p99 {s99:.1f} ms; whole page p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    print(f"goal p99 < {GOAL_P99_MS:.0f} ms (whole page): {verdict}")


if __name__ == "__main__":
    main()
