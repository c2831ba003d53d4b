"""Search relevance over a labelled query set (issue 19): hit@1, hit@5 and MRR, overall, per query
category and per split. Prints numbers; asserts nothing.

    .venv/bin/python bench/search_relevance.py [--failures]
    .venv/bin/python bench/search_relevance.py --database-url postgres://postgres@127.0.0.1:5432/bench_relevance

The queries (bench/data/search_queries.json) are written the way people ask: colloquial (我要开饭店),
abbreviations (公租房), synonyms, typos and near misses, pinyin initials (jhdj) and exact names. Each
names the demo items (their stable `key` in src/tongban/demo/data/items_*.json) any of which counts
as a hit. A third of each category is "heldout": never printed as a failure (`--failures` lists the
dev split only), so the synonym table is not written from them and their numbers show how far the
table generalises.

Uses a throw-away SQLite file unless --database-url (or DATABASE_URL) is given; the database is
flushed first and the demo city loaded (never point it at real data). The query runs through
`catalog.selectors.search_published`, the search page's own service, synonyms and all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "bench" / "data" / "search_queries.json"
DEMO_DATA = ROOT / "src" / "tongban" / "demo" / "data"
# Ranks beyond this one count as a miss (0 in the MRR).
DEPTH = 20


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="default: DATABASE_URL, else a throw-away SQLite file")
    parser.add_argument("--failures", action="store_true", help="list the dev split's misses and ranks > 1")
    parser.add_argument("--reuse", action="store_true", help="keep a demo city loaded by an earlier run")
    return parser.parse_args()


ARGS = _arguments()
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/tongban-bench-relevance.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tongban.catalog import selectors  # noqa: E402
from tongban.demo.loader import load_demo_city  # noqa: E402


def item_ids_by_key() -> dict[str, int]:
    """Demo item key → item id, through the item's basic code (unique across the demo files)."""
    from tongban.catalog.models import ServiceItem  # bench only: map the demo's keys to rows

    by_code = dict(ServiceItem.objects.values_list("basic_code", "id"))
    keys = {}
    for path in sorted(DEMO_DATA.glob("items_*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8"))["items"]:
            keys[raw["key"]] = by_code[raw["basic_code"]]
    return keys


def reseed_synonyms() -> None:
    """The flush emptied the synonym table its data migration had seeded: seed it again (if the
    migration exists on this branch)."""
    import importlib

    from django.apps import apps

    try:
        migration = importlib.import_module("tongban.catalog.migrations.0009_seed_search_synonyms")
    except ModuleNotFoundError:
        return
    migration.seed(apps, None)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not (ARGS.reuse and selectors.published_versions().exists()):
        call_command("flush", interactive=False, verbosity=0)
        load_demo_city(with_accounts=False)
        reseed_synonyms()
    ids = item_ids_by_key()
    names = {v: k for k, v in ids.items()}
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    print(
        f"database: {connection.vendor}; {len(ids)} demo items (ready in {time.perf_counter() - started:.1f} s)"
    )

    groups: dict[str, list[float]] = defaultdict(list)  # group → reciprocal ranks
    failures = []
    elapsed = []
    for q in queries:
        t0 = time.perf_counter()
        results = selectors.search_published(q["query"], limit=DEPTH)
        hit_ids = [v.item_id for v in results.hits[:DEPTH]]
        elapsed.append((time.perf_counter() - t0) * 1000)
        wanted = {ids[k] for k in q["expect"]}
        rank = next((i + 1 for i, item_id in enumerate(hit_ids) if item_id in wanted), None)
        reciprocal = 1 / rank if rank else 0.0
        for group in ("all", f"split {q['split']}", f"category {q['category']}"):
            groups[group].append(reciprocal)
        if q["split"] == "dev" and rank != 1:
            top = [names.get(i, str(i)) for i in hit_ids[:3]]
            failures.append((q["query"], q["category"], rank, q["expect"], top))

    print(f"{'':<22} {'n':>4} {'hit@1':>7} {'hit@5':>7} {'MRR':>6}")
    for group in sorted(groups, key=lambda g: (g != "all", not g.startswith("split"), g)):
        rr = groups[group]
        hit1 = sum(1 for r in rr if r == 1) / len(rr)
        hit5 = sum(1 for r in rr if r >= 1 / 5) / len(rr)
        print(f"{group:<22} {len(rr):>4} {hit1:>7.3f} {hit5:>7.3f} {sum(rr) / len(rr):>6.3f}")
    elapsed.sort()
    print(
        f"search_published p50 {elapsed[len(elapsed) // 2]:.1f} ms, max {elapsed[-1]:.1f} ms (this catalogue)"
    )
    if ARGS.failures:
        print(f"\ndev split, not first ({len(failures)}):")
        for query, category, rank, expect, top in failures:
            print(
                f"  {query} [{category}] rank {rank or '-'}; want {','.join(expect)}; got {', '.join(top) or '—'}"
            )


if __name__ == "__main__":
    main()
