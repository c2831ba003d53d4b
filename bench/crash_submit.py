"""T-L1: SIGKILL every app process mid-submit, restart, retry; then count what was lost or doubled.

    .venv/bin/python bench/crash_submit.py [--applications 600] [--concurrency 8] [--workers 2]
        [--database sqlite|postgres] [--port 8766] [--no-scan] [--time-limit 900]

A check run by hand, not a unit test: prints numbers and exits 1 when an acknowledged submission is
lost, a submission is duplicated or half a record is left. It reuses ``submit_applications.py``: the
same database preparation (SQLite: a temp file; PostgreSQL: ``bench_crash`` on 127.0.0.1, created if
missing and flushed: never point it at real data), demo city, citizens, gunicorn and journey.

Each client thread walks the journey (开始办理, form, uploads, 提交申请, then reads the receipt's
number). An application is acknowledged when the submit POST redirects to its receipt. When a third
have been acknowledged, the whole gunicorn process group (master and sync workers) gets SIGKILL at
once and gunicorn is started again. A step that failed with a connection error or a 5xx is retried
as it was: the same submit POST for the same draft (submit is idempotent per draft), the same
开始办理 (which resumes the applicant's draft instead of opening a second one).

Afterwards the database is read through ``manage.py shell``:

- lost: acknowledged applications that are not submitted with a number, or whose number differs from
  the one the receipt showed;
- duplicated_on_retry: submitted applications of a citizen beyond those the citizen had acknowledged,
  plus receipt numbers shown twice;
- half records: submitted without a number, a number on a draft, a number without a workflow instance,
  a workflow instance without a submitted application, submitted with fewer material files than
  required, acknowledged receipt numbers not found in the database;
- drafts left (informational: a draft whose submit never ran).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import submit_applications as bench

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_crash"
RETRY_PAUSE_S = 0.25
RECEIPT_NUMBER = re.compile(r'<p class="receipt-number">\s*([^<\s]+)\s*</p>')
# Bench only: reads every row of the throw-away database.
INSPECT = """
import json
from collections import Counter
from tongban.applications.models import Application, MaterialFile
from tongban.workflow.models import ProcessInstance
submitted = Application.objects.exclude(status="draft")
subjects = set(ProcessInstance.objects.filter(subject__startswith="application:").values_list("subject", flat=True))
files = Counter(MaterialFile.objects.values_list("application_id", flat=True))
rows = list(submitted.values_list("id", "number", "applicant__username"))
print("counts:", json.dumps({
    "submitted": {str(pk): number for pk, number, _ in rows},
    "per_citizen": Counter(phone for _, _, phone in rows),
    "drafts": Application.objects.filter(status="draft").count(),
    "drafts_with_number": Application.objects.filter(status="draft", number__isnull=False).count(),
    "without_instance": [pk for pk, _, _ in rows if f"application:{pk}" not in subjects],
    "instance_without_application": len(subjects - {f"application:{pk}" for pk, _, _ in rows}),
    "files": {str(pk): files.get(pk, 0) for pk, _, _ in rows},
}))
"""


class Retryable(Exception):
    """A step failed in a way a crash explains: no answer, a cut connection or a 5xx."""


def retrying(step, *args, deadline: bench.Deadline, stats: Stats, **kwargs):
    """Call ``step`` until it gets past connection errors and 5xx (each counted as a retry)."""
    while True:
        try:
            return step(*args, **kwargs)
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, cut off mid-response
            kind = type(exc).__name__
        except bench.Unexpected as exc:
            if not 500 <= exc.status < 600:
                raise
            kind = f"HTTP {exc.status}"
        stats.retry(f"{step.__name__}: {kind}")
        if deadline.passed():
            raise bench.Unexpected(f"{step.__name__}: still failing at the time limit ({kind})")
        time.sleep(RETRY_PAUSE_S)


def receipt_number(client: bench.Client, app_id: str) -> str:
    response = client.request(f"/applications/{app_id}/receipt/")
    match = RECEIPT_NUMBER.search(response.body.decode()) if response.status == 200 else None
    if match is None:
        raise bench.Unexpected(f"receipt: {response.status}", status=response.status)
    return match[1]


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acks: list[tuple[str, str, str]] = field(default_factory=list)  # (phone, application id, number)
    retries: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    def retry(self, kind: str) -> None:
        with self.lock:
            self.retries[kind] += 1

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


class Crash:
    """Owns gunicorn: at ``threshold`` acknowledgements, SIGKILL its process group and start it again."""

    def __init__(self, *, threshold: int, start, base: str, deadline: bench.Deadline, workdir: Path) -> None:
        self.threshold = threshold
        self.start = start  # log path → Popen
        self.base = base
        self.deadline = deadline
        self.workdir = workdir
        self.acknowledged = 0
        self.lock = threading.Lock()
        self.due = threading.Event()
        self.report: dict[str, float] = {}
        self.server = start(workdir / "gunicorn.log")

    def ack(self) -> None:
        with self.lock:
            self.acknowledged += 1
            if self.acknowledged == self.threshold:
                self.due.set()

    def run(self) -> None:
        """The crash thread: wait for the threshold, kill everything at once, restart."""
        if not self.due.wait(timeout=max(0.0, self.deadline.left())):
            return
        with self.lock:
            self.report["acknowledged_at_kill"] = self.acknowledged
        os.killpg(self.server.pid, signal.SIGKILL)  # own session: the group is master and workers
        self.server.wait()
        killed = time.perf_counter()
        log = self.workdir / "gunicorn-restarted.log"
        self.server = self.start(log)
        bench.wait_for_server(self.base, self.server, self.deadline, log)
        self.report["restart_s"] = time.perf_counter() - killed


def attempt(
    client: bench.Client, journey: bench.Journey, *, phone: str, serial: int, stats: Stats, crash: Crash
):
    """One application, each step retried until it gets through; returns (application id, number)."""
    again = {"deadline": client.deadline, "stats": stats}
    app_id = retrying(bench.start_draft, client, journey, **again)
    retrying(bench.fill_form, client, app_id, phone=phone, serial=serial, **again)
    for upload in journey.uploads:
        retrying(bench.upload_material, client, app_id, upload, **again)
    retrying(bench.submit, client, app_id, **again)
    crash.ack()
    number = retrying(receipt_number, client, app_id, **again)
    return app_id, number


def crash_citizen(
    *,
    base: str,
    phone: str,
    journey: bench.Journey,
    tickets: bench.Tickets,
    ready,
    deadline: bench.Deadline,
    results: bench.Results,
    stats: Stats,
    crash: Crash,
) -> None:
    client = bench.Client(base, deadline)
    if not bench.log_in_and_wait(client, phone, ready=ready, deadline=deadline, results=results):
        return
    while not deadline.passed():
        serial = tickets.next()
        if serial is None:
            return
        try:
            app_id, number = attempt(client, journey, phone=phone, serial=serial, stats=stats, crash=crash)
        except bench.Unexpected as exc:
            stats.error(str(exc))
        else:
            with stats.lock:
                stats.acks.append((phone, app_id, number))


def run_load(crash, *, args, deadline: bench.Deadline, base: str, journey, results, stats: Stats) -> float:
    """``args.applications`` submissions by ``args.concurrency`` citizens; ``crash.ack()`` hears of each."""
    return bench.run_citizens(
        crash_citizen,
        concurrency=args.concurrency,
        deadline=deadline,
        base=base,
        journey=journey,
        tickets=bench.Tickets(args.applications),
        results=results,
        stats=stats,
        crash=crash,
    )


def print_retries(stats: Stats, results: bench.Results) -> None:
    print(f"retried steps: {sum(stats.retries.values())}")
    for kind, count in stats.retries.most_common(bench.MAX_ERROR_KINDS):
        print(f"  retry ×{count}: {kind}")
    for kind, count in (stats.errors + Counter(results.errors)).most_common(bench.MAX_ERROR_KINDS):
        print(f"  error ×{count}: {kind}")


def verdict(stats: Stats, found: dict, *, required: int) -> dict[str, int]:
    submitted = found["submitted"]
    acked_citizens = Counter(phone for phone, _, _ in stats.acks)
    numbers = Counter(number for _, _, number in stats.acks)
    known_numbers = set(submitted.values())
    return {
        "acknowledged": len(stats.acks),
        "lost": sum(1 for _, app_id, number in stats.acks if submitted.get(app_id) != number),
        "duplicated_on_retry": sum(
            max(0, count - acked_citizens[phone]) for phone, count in found["per_citizen"].items()
        )
        + sum(count - 1 for count in numbers.values()),
        "submitted_without_number": sum(1 for number in submitted.values() if not number),
        "numbers_without_application": sum(1 for _, _, n in stats.acks if n not in known_numbers)
        + found["drafts_with_number"],
        "numbered_without_workflow": len(found["without_instance"]),
        "workflow_without_application": found["instance_without_application"],
        "submitted_missing_files": sum(1 for count in found["files"].values() if count < required),
    }


def main() -> None:
    args = bench.parse_arguments(__doc__, applications=600, port=8766, time_limit=900)
    deadline = bench.Deadline(args.time_limit)

    workdir = Path(tempfile.mkdtemp(prefix="tongban-bench-crash-"))
    database_url = POSTGRES_URL if args.database == "postgres" else f"sqlite:///{workdir}/bench.sqlite3"
    scanning = not args.no_scan
    env = bench.bench_env(database_url=database_url, workdir=workdir, scanning=scanning)
    bench.prepare_database(database=args.database, env=env, citizens=args.concurrency, deadline=deadline)

    started_clamd = bench.start_clamd(deadline) if scanning else False
    base = f"http://127.0.0.1:{args.port}"

    def start(log: Path):
        return bench.start_server(env=env, port=args.port, workers=args.workers, log=log, own_group=True)

    crash = Crash(
        threshold=max(1, args.applications // 3), start=start, base=base, deadline=deadline, workdir=workdir
    )
    results = bench.Results()
    stats = Stats()
    elapsed = 0.0
    try:
        bench.wait_for_server(base, crash.server, deadline, workdir / "gunicorn.log")
        journey = bench.find_journey(base, deadline)
        scan_note = f"on (clamd 127.0.0.1:{bench.CLAMD_PORT})" if scanning else "OFF (--no-scan)"
        print(
            f"config: database={args.database}, gunicorn sync workers={args.workers} (own process group), "
            f"client threads={args.concurrency}, applications={args.applications}, virus scanning {scan_note}, "
            f"SIGKILL after {crash.threshold} acknowledged"
        )
        crasher = threading.Thread(target=crash.run, daemon=True)
        crasher.start()
        elapsed = run_load(
            crash, args=args, deadline=deadline, base=base, journey=journey, results=results, stats=stats
        )
        crash.due.set()  # never reached (errors, time limit): let the crash thread end
        crasher.join(timeout=120)
        if deadline.passed():
            print(f"time limit of {args.time_limit:.0f} s reached: stopped early")
    finally:
        bench.stop_server(crash.server)
        if started_clamd:
            bench.stop_clamd()

    found = bench.shell_json(INSPECT, env=env, deadline=bench.Deadline(120))
    numbers = verdict(stats, found, required=len(journey.uploads))
    rate = numbers["acknowledged"] / elapsed if elapsed else 0.0
    killed_at = crash.report.get("acknowledged_at_kill")
    restart = crash.report.get("restart_s")
    print(
        f"crash: SIGKILL at {killed_at} acknowledged, gunicorn answering again after "
        + (f"{restart:.1f} s" if restart is not None else "- (no restart)")
    )
    for key, value in numbers.items():
        print(f"{key}: {value}")
    print(f"drafts left: {found['drafts']} (informational)")
    print(f"submitted in database: {len(found['submitted'])}, requested {args.applications}")
    print_retries(stats, results)
    print(
        f"throughput: {numbers['acknowledged']} acknowledged in {elapsed:.1f} s → {rate:.1f} applications/s"
    )

    bad = {k: v for k, v in numbers.items() if k != "acknowledged" and v}
    if bad or crash.report.get("restart_s") is None or stats.errors or results.errors:
        print(f"FAILED: {bad or 'no crash and restart, or errors'}; logs in {workdir}")
        sys.exit(1)
    print("OK: nothing lost, nothing duplicated, no half records")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
