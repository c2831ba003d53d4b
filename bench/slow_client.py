"""THREATS T-K1: slowloris (Debian's slowhttptest -H, 300 connections, 15 s) against gunicorn alone and
against nginx (deploy/nginx/, internet profile) in front of the same gunicorn; prints for each how many
probe requests (GET /healthz every 0.5 s, 10 s timeout) were answered. Asserts nothing.

    .venv/bin/python bench/slow_client.py [--connections 300] [--seconds 15] [--workers 2]

gunicorn: deploy/gunicorn.conf.py, sync workers, on a throw-away SQLite file (/healthz only runs
SELECT 1). Needs nginx and slowhttptest (make system-deps).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.deploy import slow, stack  # noqa: E402

DISABLED_SCANNER = "tongban.core.virus_scan.backends.disabled.DisabledScanner"


def line(label: str, probes: slow.Probes) -> str:
    total = len(probes.answered) + len(probes.failed)
    median = f"{statistics.median(probes.answered) * 1000:.0f} ms" if probes.answered else "-"
    failed = ", ".join(sorted(set(probes.failed))) or "-"
    return f"| {label} | {len(probes.answered)} / {total} | {median} | {failed} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=slow.CONNECTIONS)
    parser.add_argument("--seconds", type=int, default=slow.SECONDS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongban-bench-slow-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongban.settings",
        "DATABASE_URL": f"sqlite:///{work}/health.sqlite3",
        "TONGBAN_ZONE": "internet",
        "TONGBAN_NUM_PROXIES": "1",
        "TONGBAN_VIRUS_SCANNER": DISABLED_SCANNER,
        "TONGBAN_MEDIA_ROOT": str(work / "media"),
        "TONGBAN_REDIS_URL": "",
    }
    app_port, port = stack.free_port(), stack.free_port()
    log = work / "gunicorn.log"
    (work / "static").mkdir()
    app = stack.start_gunicorn(env=env, port=app_port, workers=args.workers, log=log)
    nginx = None
    rows = []
    try:
        stack.wait_for_port(app_port, app, seconds=60, log=log)
        stack.warm_up(app_port)
        probes, _ = slow.attack(
            app_port, "/healthz", tls=False, connections=args.connections, seconds=args.seconds
        )
        rows.append(line(f"gunicorn alone ({args.workers} sync workers)", probes))
        stack.warm_up(app_port)  # answering again once the attack is over
        main_conf = stack.render(
            "internet",
            work / "nginx",
            port=port,
            http_port=stack.free_port(),
            upstreams=[f"127.0.0.1:{app_port}"],
            static_root=work / "static",
        )
        nginx = stack.start_nginx(main_conf, port=port)
        probes, _ = slow.attack(
            port, "/healthz", tls=True, connections=args.connections, seconds=args.seconds
        )
        rows.append(line("nginx (internet profile) → same gunicorn", probes))
    finally:
        stack.stop(nginx)
        stack.stop(app)
    print(
        f"slowhttptest -H: {args.connections} connections for {args.seconds} s; probe GET /healthz every 0.5 s"
    )
    print("| target | probes answered | median answered probe | failures |")
    print("|---|---|---|---|")
    for row in rows:
        print(row)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
