"""The scale-out drill (issue 20, THREATS T-L1, T-L3): two app nodes behind a real nginx, one killed, then
PostgreSQL restarted, under a bounded load of citizen submissions. Prints a table; exits 1 when a
submission is lost, duplicated or half-written.

    .venv/bin/python bench/scale_out.py [--applications 240] [--concurrency 8] [--workers 2]
        [--no-scan] [--time-limit 1200]

On one machine: a PRIVATE PostgreSQL cluster (initdb + pg_ctl in a temp folder, on its own port; the
drill restarts it, so never the machine's shared server), Redis (127.0.0.1:6379 database 13: cache and
Celery broker), one Celery worker, two gunicorn nodes (deploy/gunicorn.conf.py, TONGBAN_ZONE=internet)
and Debian's nginx with deploy/nginx/tongban-internet.conf (per-address limits raised: every client is
127.0.0.1). Clients speak HTTPS to nginx only.

The journey and its retries are bench/crash_submit.py's: a step that fails with a connection error or a
5xx is retried as it was (submission is idempotent per draft). Phases:

1. steady: until a quarter of the applications are acknowledged;
2. node killed: SIGKILL of node A's process group (master and workers) at once; nginx sends the
   next requests to node B; node A is started again after 5 s and the phase ends when it answers;
3. PostgreSQL restart: at half the applications, ``pg_ctl restart -m immediate`` (a crash: no
   checkpoint); the phase ends when /healthz answers 200 through nginx again;
4. after: the rest.

Per phase: requests the clients sent and how many failed (connection error or 5xx: the error rate a
citizen sees), acknowledged submissions and of those lost. Then, over the whole drill, from the
database: duplicated and half-written submissions (crash_submit.py's checks).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]

from tests.deploy import stack  # noqa: E402

import crash_submit  # noqa: E402
import submit_applications as bench  # noqa: E402
from city import serving  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_URL = "redis://127.0.0.1:6379/13"
# Every client is 127.0.0.1: raise the per-address limits. The clients name a port (not 443), so the
# Host header passed on keeps it (Django's CSRF check compares it with the Referer).
OVERRIDES = {
    "rate=20r/s": "rate=100000r/s",
    "limit_conn tongban_conn 50;": "limit_conn tongban_conn 10000;",
    "proxy_set_header Host $host;": "proxy_set_header Host $http_host;",
}
PHASES = ("steady", "node killed", "PostgreSQL restart", "after")


class Phases:
    """Which phase the drill is in, and what the clients saw in each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.current = PHASES[0]
        self.requests: Counter = Counter()
        self.failures: Counter = Counter()
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    def enter(self, phase: str) -> None:
        with self.lock:
            now = time.perf_counter()
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + now - self.started
            self.current, self.started = phase, now

    def finish(self) -> None:
        self.enter(self.current)

    def count(self, *, failed: bool) -> str:
        with self.lock:
            self.requests[self.current] += 1
            if failed:
                self.failures[self.current] += 1
            return self.current


PHASE_LOG = Phases()


class Client(bench.Client):
    """bench's client over HTTPS to nginx (self-signed certificate), counting each request's outcome."""

    def __init__(self, base: str, deadline: bench.Deadline) -> None:
        super().__init__(base, deadline)
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=stack.tls_context()),
            urllib.request.HTTPCookieProcessor(self.jar),
            bench._NoRedirects,
        )
        # Over HTTPS Django's CSRF check wants the page the form came from, as a browser sends it.
        self.opener.addheaders = [("Referer", base + "/")]

    def request(self, path: str, **kwargs) -> bench.Response:
        try:
            response = super().request(path, **kwargs)
        except (OSError, http.client.HTTPException):
            PHASE_LOG.count(failed=True)
            raise
        PHASE_LOG.count(failed=response.status >= 500)
        return response


bench.Client = Client  # crash_submit's citizens build their clients through bench.Client


class PrivatePostgres:
    """A cluster of its own in a temp folder, run as the postgres user (initdb refuses root)."""

    def __init__(self, work: Path, port: int) -> None:
        self.data = work / "pgdata"
        self.port = port
        self.log = work / "postgres.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=120)

    def init(self, *, reuse: bool) -> None:
        if reuse:
            self.start()
            return
        self.data.parent.chmod(0o755)
        self.data.mkdir()
        if self.as_postgres:
            shutil.chown(self.data, "postgres", "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()

    def options(self) -> str:
        return f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c synchronous_commit=on"

    def start(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self.options(),
            "-w",
            "start",
        )

    def restart_immediate(self) -> None:
        """A crash: stop without a checkpoint (recovery replays the WAL), then start."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.start()

    def stop(self) -> None:
        subprocess.run(
            [*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=120,
            check=False,
        )


class Drill:
    """crash_submit's Crash with this drill's faults: node A killed at a quarter, PostgreSQL at half."""

    def __init__(
        self,
        *,
        total: int,
        nodes: dict,
        ports: dict,
        start_node,
        postgres: PrivatePostgres,
        port: int,
        deadline: bench.Deadline,
    ) -> None:
        self.kill_at, self.restart_db_at = max(1, total // 4), max(2, total // 2)
        self.nodes, self.ports, self.start_node, self.postgres = nodes, ports, start_node, postgres
        self.port, self.deadline = port, deadline
        self.acknowledged = 0
        self.acks_by_phase: Counter = Counter()
        self.lock = threading.Lock()
        self.kill_due, self.db_due = threading.Event(), threading.Event()
        self.report: dict[str, float] = {}

    def ack(self) -> None:
        with self.lock:
            self.acknowledged += 1
            self.acks_by_phase[PHASE_LOG.current] += 1
            if self.acknowledged == self.kill_at:
                self.kill_due.set()
            if self.acknowledged == self.restart_db_at:
                self.db_due.set()

    def healthy(self) -> bool:
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=5, context=stack.tls_context())
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False

    def run(self) -> None:
        if not self.kill_due.wait(timeout=max(0.0, self.deadline.left())):
            return
        PHASE_LOG.enter("node killed")
        process = self.nodes["A"]
        os.killpg(process.pid, signal.SIGKILL)  # own session: the group is master and workers
        process.wait()
        t0 = time.perf_counter()
        time.sleep(5)
        self.nodes["A"] = self.start_node("A")
        stack.warm_up(self.ports["A"], seconds=120)
        self.report["node_back_s"] = time.perf_counter() - t0
        PHASE_LOG.enter("steady")
        if not self.db_due.wait(timeout=max(0.0, self.deadline.left())):
            return
        PHASE_LOG.enter("PostgreSQL restart")
        t0 = time.perf_counter()
        self.postgres.restart_immediate()
        while not self.healthy() and not self.deadline.passed():
            time.sleep(0.2)
        self.report["db_back_s"] = time.perf_counter() - t0
        PHASE_LOG.enter("after")


def main() -> None:
    # --reuse DIR: the folder an earlier run left (on failure), its cluster already loaded.
    reuse = argparse.ArgumentParser(add_help=False)
    reuse.add_argument("--reuse", type=Path)
    known, sys.argv[1:] = reuse.parse_known_args()
    args = bench.parse_arguments(__doc__, applications=240, port=8443, time_limit=1200)
    deadline = bench.Deadline(args.time_limit)
    work = known.reuse or Path(tempfile.mkdtemp(prefix="tongban-bench-scale-"))
    postgres = PrivatePostgres(work, int((work / "pgport").read_text()) if known.reuse else stack.free_port())
    (work / "pgport").write_text(str(postgres.port))
    processes: list = []
    nodes: dict = {}
    drill = None
    try:
        postgres.init(reuse=known.reuse is not None)
        database_url = f"postgres://postgres@127.0.0.1:{postgres.port}/bench_scale"
        scanning = not args.no_scan
        env = bench.bench_env(database_url=database_url, workdir=work, scanning=scanning)
        env.update(
            {
                "TONGBAN_ZONE": "internet",
                "TONGBAN_REDIS_URL": REDIS_URL,
                "TONGBAN_CACHE_KEY_PREFIX": f"scale-{os.getpid()}",
                "TONGBAN_CELERY_BROKER_URL": REDIS_URL,
                "TONGBAN_NUM_PROXIES": "1",
            }
        )
        t0 = time.perf_counter()
        if known.reuse is None:
            bench.prepare_database(database="postgres", env=env, citizens=args.concurrency, deadline=deadline)
        print(f"prepared the private cluster (port {postgres.port}) in {time.perf_counter() - t0:.0f} s")
        started_clamd = bench.start_clamd(deadline) if scanning else False
        processes.append(serving.start_worker(env=env, log=work / "celery.log"))
        ports = {"A": stack.free_port(), "B": stack.free_port()}

        def start_node(name: str):
            return stack.start_gunicorn(
                env=env, port=ports[name], workers=args.workers, log=work / f"node-{name}.log"
            )

        for name in ports:
            nodes[name] = start_node(name)
        for name, port in ports.items():
            stack.wait_for_port(port, nodes[name], seconds=120, log=work / f"node-{name}.log")
            stack.warm_up(port, seconds=120)
        port = stack.free_port()
        main_conf = stack.render(
            "internet",
            work / "nginx",
            port=port,
            http_port=stack.free_port(),
            upstreams=[f"127.0.0.1:{p}" for p in ports.values()],
            static_root=work / "static",
            overrides=OVERRIDES,
        )
        processes.append(stack.start_nginx(main_conf, port=port))
        base = f"https://127.0.0.1:{port}"
        journey = bench.find_journey(base, deadline)
        print(
            f"config: nginx (internet profile) → 2 gunicorn nodes × {args.workers} sync workers, private "
            f"PostgreSQL 15, Redis db 13, 1 Celery worker; {args.concurrency} client threads, "
            f"{args.applications} applications, virus scanning {'on' if scanning else 'OFF'}"
        )
        drill = Drill(
            total=args.applications,
            nodes=nodes,
            ports=ports,
            start_node=start_node,
            postgres=postgres,
            port=port,
            deadline=deadline,
        )
        results, stats = bench.Results(), crash_submit.Stats()
        faults = threading.Thread(target=drill.run, daemon=True)
        PHASE_LOG.started = time.perf_counter()
        faults.start()
        elapsed = crash_submit.run_load(
            drill, args=args, deadline=deadline, base=base, journey=journey, results=results, stats=stats
        )
        PHASE_LOG.finish()
        drill.kill_due.set()
        drill.db_due.set()
        faults.join(timeout=180)
        found = bench.shell_json(crash_submit.INSPECT, env=env, deadline=bench.Deadline(180))
        numbers = crash_submit.verdict(stats, found, required=len(journey.uploads))
        if started_clamd:
            bench.stop_clamd()
    finally:
        for process in [*processes, *nodes.values()]:
            stack.stop(process)
        postgres.stop()

    print()
    print("| phase | seconds | requests | failed (conn. error or 5xx) | error rate | acknowledged |")
    print("|---|---|---|---|---|---|")
    for phase in PHASES:
        sent, failed = PHASE_LOG.requests[phase], PHASE_LOG.failures[phase]
        rate = f"{100 * failed / sent:.1f} %" if sent else "-"
        print(
            f"| {phase} | {PHASE_LOG.seconds.get(phase, 0):.1f} | {sent} | {failed} | {rate} | {drill.acks_by_phase[phase]} |"
        )
    print()
    half = sum(v for k, v in numbers.items() if k not in ("acknowledged", "lost", "duplicated_on_retry"))
    print(
        f"acknowledged {numbers['acknowledged']} of {args.applications} in {elapsed:.1f} s; "
        f"lost {numbers['lost']}, duplicated {numbers['duplicated_on_retry']}, half-written {half}"
    )
    print(
        f"node A answering again {drill.report.get('node_back_s', float('nan')):.1f} s after SIGKILL "
        f"(5 s of it waiting); site healthy {drill.report.get('db_back_s', float('nan')):.1f} s after "
        "the PostgreSQL crash-restart began"
    )
    for key, value in numbers.items():
        print(f"  {key}: {value}")
    crash_submit.print_retries(stats, results)
    bad = {k: v for k, v in numbers.items() if k != "acknowledged" and v}
    if bad or stats.errors or results.errors or "db_back_s" not in drill.report:
        print(f"FAILED: {bad or 'errors, or a fault did not happen'}; logs in {work}")
        sys.exit(1)
    print("OK: nothing lost, nothing duplicated, no half records")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
