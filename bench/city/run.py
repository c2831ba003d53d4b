"""The city benchmark of issue 18: prepare (or reuse) a loaded city, serve it, measure every hot path.

    python bench/city/run.py [--size quick|full|sqlite] [--database postgres|sqlite] [--clients 8]
        [--seconds 10] [--only NAME …] [--reload] [--no-scan] [--explain]

PostgreSQL: database ``bench_city_<size>`` on 127.0.0.1 (created if missing; emptied and loaded
when it records another size: never point it at real data). SQLite: ``var/bench/city-<size>.sqlite3``.
Both servers (the platform and the bare ceiling in bench/ceiling/) run under gunicorn with the same
settings (serving.py); the harness measures over HTTP and prints one markdown table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE.parent), str(ROOT / "src")]

from city import serving  # noqa: E402

PORT, CEILING_PORT = 8771, 8772
POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_city_{size}"
WORK = ROOT / "var/bench"


def ensure_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-tAc", "SELECT 1"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def row(result, ceilings: dict[str, float]) -> str:
    path = result.path
    rps = result.requests_per_s_estimated if path.estimated else result.requests_per_s
    ceiling = ceilings.get(path.ceiling)
    ratio = f"{100 * rps / ceiling:.0f} %" if ceiling else ""
    units = f"{result.units_per_s:.1f} {path.unit}/s" if path.unit != "requests" else ""
    q = result.queries_per_request
    queries = f"{q:.1f} (max {result.max_queries})" if q is not None else "–"
    errors = sum(result.samples.errors.values())
    return (
        f"| {path.name} | {units} | {'≈' if path.estimated else ''}{rps:.1f} | {fmt(result.percentile(0.5))} | "
        f"{fmt(result.percentile(0.99))} | {queries} | {ratio} | {path.goal} | {errors or ''} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["quick", "full", "sqlite", "tiny"], default="quick")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per path")
    parser.add_argument("--only", nargs="*", default=[], help="paths whose name contains one of these")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN of the list queries")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    t_start = time.perf_counter()

    WORK.mkdir(parents=True, exist_ok=True)
    if args.database == "postgres":
        database_url = POSTGRES.format(size=args.size)
        ensure_postgres(database_url)
    else:
        database_url = f"sqlite:///{WORK}/city-{args.size}.sqlite3"
    media = WORK / f"media-{args.database}-{args.size}"
    scanning = not args.no_scan
    env = serving.base_env(database_url=database_url, media=media, scanning=scanning, debug=False)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), str(ROOT / "src")])
    fixtures_file = WORK / f"fixtures-{args.database}-{args.size}.json"

    t0 = time.perf_counter()
    prepare = [
        sys.executable,
        str(HERE / "prepare.py"),
        "--size",
        args.size,
        "--fixtures",
        str(fixtures_file),
    ]
    subprocess.run([*prepare, *(["--reload"] if args.reload else [])], env=env, cwd=ROOT, check=True)
    print(f"prepared in {time.perf_counter() - t0:.0f} s", flush=True)
    serving.collect_static(env)
    subprocess.run(
        [sys.executable, str(ROOT / "bench/ceiling/manage.py"), "migrate", "-v", "0"], env=env, check=True
    )

    # This process prepares what has no URL (submitted cases for the flow) with the same settings.
    os.environ.update(env)
    import django

    django.setup()
    logging.getLogger("tongban.core.virus_scan.backends.disabled").setLevel(logging.ERROR)
    from city import measure, paths, templates
    from tongban.core.tests.files import pdf_bytes

    fixtures = json.loads(fixtures_file.read_text())
    fixtures.update(
        {
            "clients": args.clients,
            "submits_per_client": max(5, int(args.seconds * 1.5)),
            "flow_per_client": max(3, int(args.seconds)),
            "publishes_per_client": max(3, int(args.seconds)),
            "_files": {"pdf": pdf_bytes("bench material"), "png": templates.small_png()},
        }
    )

    started_clamd = serving.start_clamd() if scanning else False
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "city.server_settings",
        "TONGBAN_CELERY_BROKER_URL": serving.BENCH_BROKER_URL,
    }
    logs = WORK / "logs"
    logs.mkdir(exist_ok=True)
    worker = serving.start_worker(env=server_env, log=logs / "worker.log")
    app = serving.start_server(env=server_env, port=PORT, workers=args.workers, log=logs / "platform.log")
    ceiling = serving.start_server(
        env=env,
        port=CEILING_PORT,
        workers=args.workers,
        log=logs / "ceiling.log",
        app="ceiling.wsgi",
        chdir=ROOT / "bench/ceiling",
    )
    results = []
    try:
        serving.wait_for_server(f"http://127.0.0.1:{PORT}", app, log=logs / "platform.log")
        serving.wait_for_server(
            f"http://127.0.0.1:{CEILING_PORT}", ceiling, log=logs / "ceiling.log", probe="/rows/none/"
        )
        ctx = paths.Context(f"http://127.0.0.1:{PORT}", f"http://127.0.0.1:{CEILING_PORT}", fixtures)
        chosen = [p for p in paths.PATHS if not args.only or any(o in p.name for o in args.only)]
        # The ceilings again at the end: on a shared machine the load changes during a run, and the
        # ratios use the mean of both measurements.
        chosen += [replace(p, name=f"{p.name}, again at the end") for p in chosen if not p.ceiling]
        for path in chosen:
            result = measure.measure(path, ctx, clients=args.clients, seconds=args.seconds)
            results.append(result)
            print(
                f"  {path.name}: {result.requests_per_s:.1f} req/s, p50 {fmt(result.percentile(0.5))} ms, "
                f"errors {sum(result.samples.errors.values())}",
                flush=True,
            )
            for kind, count in sorted(result.samples.errors.items(), key=lambda e: -e[1])[:3]:
                print(f"    error ×{count}: {kind}", flush=True)
    finally:
        serving.stop_server(app)
        serving.stop_server(worker)
        serving.stop_server(ceiling)
        if started_clamd:
            serving.stop_clamd()

    ceilings = {
        kind: statistics.fmean(
            [r.requests_per_s for r in results if r.path.name.startswith(f"ceiling {kind}")] or [0.0]
        )
        for kind in ("GET", "POST")
    }
    sizes = fixtures["sizes"]
    print()
    print(
        f"{fixtures['vendor']}, size {args.size}: {sizes['applications']:,} applications, "
        f"{sizes['open_tasks']:,} open tasks, {sizes['catalogue_items']:,} catalogue items, "
        f"{sizes['usage_log']:,} usage-log rows (loaded in {fixtures.get('load_seconds')} s); "
        f"gunicorn {args.workers} sync workers, {args.clients} clients, {args.seconds:.0f} s per path, "
        f"scanning {'on' if scanning else 'off'}"
    )
    print()
    print(
        "| path | units/s | requests/s | p50 ms | p99 ms | SQL queries/request | of ceiling | goal | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(row(result, ceilings))
    print()
    print(f"load average at end: {load_average()}; whole run {time.perf_counter() - t_start:.0f} s")
    if args.explain:
        subprocess.run(
            [sys.executable, str(HERE / "explain.py"), "--fixtures", str(fixtures_file)], env=env, check=True
        )


if __name__ == "__main__":
    main()
