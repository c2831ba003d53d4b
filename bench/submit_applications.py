"""Applications submitted per second through HTTP, against gunicorn. Prints numbers; asserts nothing.

    .venv/bin/python bench/submit_applications.py [--applications 200] [--concurrency 8] [--workers 2]
        [--database sqlite|postgres] [--port 8765] [--no-scan] [--time-limit 600]

Each client thread is one citizen: it logs in once, then, per application of 居住证办理 (demo item
``residence-permit``): 开始办理, the form, one upload per required material (a small PDF, or a PNG where
only images are allowed), 提交申请. An application counts only when the submit redirects to its receipt.

The script prepares its own database (SQLite: a temp file; PostgreSQL: ``bench_submit`` on 127.0.0.1,
created if missing and flushed: never point it at real data), loads the demo city, creates the
citizens, starts gunicorn (sync workers) with development settings on 127.0.0.1, runs the load and
stops the server. Virus scanning uses the test clamd (deploy/clamav/start-test-clamd.sh, started if
nothing answers on 127.0.0.1:13310 and stopped again afterwards); ``--no-scan`` disables scanning.
Client: the standard library only (urllib), so nothing is installed.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from city import serving  # noqa: E402 - gunicorn and clamd, shared with the city benchmark
from city.client import multipart_body  # noqa: E402
from tongban.core.identifiers import resident_id_check_char  # noqa: E402

PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_submit"
CLAMD_PORT = serving.CLAMD_PORT
ITEM_NAME = "居住证办理"  # demo item "residence-permit": natural persons, online, 2 required materials
PASSWORD = "Bench-submit-2026"  # noqa: S105 - a throw-away database's citizens
PHONE_BASE = 13900000000
REQUEST_TIMEOUT_S = 60.0
MAX_ERROR_KINDS = 5

CREATE_CITIZENS = """
from tongban.accounts.services import ensure_user
for n in range({count}):
    phone = str({base} + n)
    ensure_user(username=phone, phone=phone, full_name=f"压测市民{{n}}", kind="citizen", password={password!r})
"""
# Bench only: counts rows directly (no selector counts every applicant's applications).
COUNT_SUBMITTED = """
import json
from tongban.applications.models import Application, MaterialFile
print("counts:", json.dumps({
    "rows": Application.objects.count(),
    "numbered": Application.objects.filter(number__isnull=False).count(),
    "distinct_numbers": Application.objects.filter(number__isnull=False).values("number").distinct().count(),
    "materials": MaterialFile.objects.count(),
}))
"""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0


# ---------------------------------------------------------------------------------------------- setup


def run(args: list[str], *, env: dict[str, str], deadline: Deadline, what: str) -> str:
    if deadline.passed():
        raise SystemExit(f"time limit reached before: {what}")
    try:
        result = subprocess.run(
            args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=deadline.left(), check=False
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"time limit reached during: {what}") from None
    if result.returncode != 0:
        raise SystemExit(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def manage(*args: str, env: dict[str, str], deadline: Deadline) -> str:
    return run([PYTHON, "manage.py", *args], env=env, deadline=deadline, what=f"manage.py {args[0]}")


def ensure_postgres_database(url: str, deadline: Deadline) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    where = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    env = dict(os.environ)
    probe = subprocess.run(
        ["psql", *where, "-d", name, "-tAc", "SELECT 1"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        run(["createdb", *where, name], env=env, deadline=deadline, what=f"createdb {name}")


def start_clamd(deadline: Deadline) -> bool:
    """Make the test clamd answer; True when this script started it (and so stops it)."""
    if deadline.passed():
        raise SystemExit("time limit reached before: start-test-clamd.sh")
    return serving.start_clamd()


stop_clamd = serving.stop_clamd
start_server = serving.start_server
stop_server = serving.stop_server


def wait_for_server(base: str, server: subprocess.Popen, deadline: Deadline, log: Path) -> None:
    serving.wait_for_server(base, server, log=log, seconds=min(60.0, max(1.0, deadline.left())))


def bench_env(*, database_url: str, workdir: Path, scanning: bool) -> dict[str, str]:
    """Development settings (as before the city benchmark), so the numbers stay comparable."""
    return serving.base_env(database_url=database_url, media=workdir / "media", scanning=scanning, debug=True)


def prepare_database(*, database: str, env: dict[str, str], citizens: int, deadline: Deadline) -> None:
    """Migrate (PostgreSQL: create if missing, then flush), load the demo city, create the citizens."""
    if database == "postgres":
        ensure_postgres_database(env["DATABASE_URL"], deadline)
    manage("migrate", "--no-input", "-v", "0", env=env, deadline=deadline)
    if database == "postgres":
        manage("flush", "--no-input", env=env, deadline=deadline)
    manage("load_demo_city", "--no-accounts", env=env, deadline=deadline)
    code = CREATE_CITIZENS.format(count=citizens, base=PHONE_BASE, password=PASSWORD)
    manage("shell", "-c", code, env=env, deadline=deadline)


def shell_json(code: str, *, env: dict[str, str], deadline: Deadline) -> dict:
    """Run ``code`` in ``manage.py shell``; it prints one line ``counts: <json>``."""
    out = manage("shell", "-c", code, env=env, deadline=deadline)
    return json.loads(re.search(r"^counts: (.*)$", out, re.MULTILINE)[1])


# ------------------------------------------------------------------------------------------- payloads


def small_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 760, "Tongban bench: scanned material, page 1")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def small_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 320), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


def resident_id(serial: int) -> str:
    first17 = f"110101199003{serial % 28 + 1:02d}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


# --------------------------------------------------------------------------------------------- client


class _NoRedirects(urllib.request.HTTPErrorProcessor):
    """Hand every response back as it is: redirects are read, never followed."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Unexpected(Exception):
    """A response other than the one the journey expects (``status``: its HTTP status, 0 if none)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Response:
    status: int
    location: str
    body: bytes


class Client:
    """One citizen's browser: a cookie jar, CSRF token from its cookie, loopback only."""

    def __init__(self, base: str, deadline: Deadline) -> None:
        self.base = base
        self.deadline = deadline
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects
        )

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, *, data: bytes | None = None, content_type: str = "") -> Response:
        headers = {"X-CSRFToken": self._csrf()} if data is not None else {}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        timeout = max(1.0, min(REQUEST_TIMEOUT_S, self.deadline.left()))
        with self.opener.open(request, timeout=timeout) as response:
            return Response(response.status, response.headers.get("Location", ""), response.read())

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        return self.request(path, data=data, content_type="application/x-www-form-urlencoded")

    def post_file(
        self, path: str, fields: dict[str, str], *, name: str, content: bytes, mime: str
    ) -> Response:
        body, content_type = multipart_body(
            {**fields, "csrfmiddlewaretoken": self._csrf()}, name=name, content=content, mime=mime
        )
        return self.request(path, data=body, content_type=content_type)

    def get_json(self, path: str) -> dict:
        response = self.request(path)
        if response.status != 200:
            raise Unexpected(f"GET {path}: {response.status}")
        return json.loads(response.body)


def expect_redirect(response: Response, pattern: str, step: str) -> re.Match[str]:
    path = urllib.parse.urlsplit(response.location).path
    match = re.fullmatch(pattern, path) if response.status in (302, 303) else None
    if match is None:
        detail = f"{response.status} {response.location}".strip()
        raise Unexpected(f"{step}: {detail}", status=response.status)
    return match


@dataclass(frozen=True)
class Upload:
    requirement_id: int
    name: str
    content: bytes
    mime: str


@dataclass(frozen=True)
class Journey:
    code: str
    uploads: tuple[Upload, ...]

    @property
    def requests(self) -> int:
        return 3 + len(self.uploads)  # start, form, uploads, submit


def find_journey(base: str, deadline: Deadline) -> Journey:
    """The item's code and required materials, as a client sees them in the public catalog API."""
    client = Client(base, deadline)
    query = urllib.parse.urlencode({"q": ITEM_NAME, "audience": "natural", "page_size": 100})
    listed = client.get_json(f"/api/v1/catalog/items/?{query}")["results"]
    codes = [row["implementation_code"] for row in listed if row["name"] == ITEM_NAME]
    if len(codes) != 1:
        raise SystemExit(f"expected one published item named {ITEM_NAME}, found {len(codes)}")
    item = client.get_json(f"/api/v1/catalog/items/{codes[0]}/")
    if not item.get("accepts_online"):
        raise SystemExit(f"{ITEM_NAME} does not accept online applications")
    pdf, png = small_pdf(), small_png()
    uploads = []
    for material in item["materials"]:
        if material["necessity"] != "required":
            continue
        allowed = material["allowed_types"]
        if "pdf" in allowed:
            uploads.append(Upload(material["id"], "材料.pdf", pdf, "application/pdf"))
        elif "png" in allowed:
            uploads.append(Upload(material["id"], "照片.png", png, "image/png"))
        else:
            raise SystemExit(f"no sample file for {material['name']} (allowed: {allowed})")
    return Journey(code=codes[0], uploads=tuple(uploads))


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sequence_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def ok(self, sequence_ms: float, submit_ms: float) -> None:
        with self.lock:
            self.sequence_ms.append(sequence_ms)
            self.submit_ms.append(submit_ms)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def log_in(client: Client, phone: str) -> None:
    page = client.request("/account/login/")
    if page.status != 200:
        raise Unexpected(f"login page: {page.status}")
    response = client.post_form("/account/login/", {"phone": phone, "password": PASSWORD})
    expect_redirect(response, r"/account/", "login")


# The journey's steps, one request each, so a caller can retry the one that failed.


def start_draft(client: Client, journey: Journey) -> str:
    """开始办理: the draft's id (an existing draft of the item is resumed, not duplicated)."""
    started = client.post_form(f"/services/{journey.code}/apply/", {})
    return expect_redirect(started, r"/applications/(\d+)/form/", "start")[1]


def fill_form(client: Client, app_id: str, *, phone: str, serial: int) -> None:
    answers = {
        "name": f"压测市民{serial}",
        "resident_id": resident_id(serial),
        "phone": phone,
        "address": f"云州市东湖街道压测路{serial}号",
        "reason": "在东湖街道居住满半年，申领居住证。",
    }
    response = client.post_form(f"/applications/{app_id}/form/", answers)
    expect_redirect(response, rf"/applications/{app_id}/materials/", "form")


def upload_material(client: Client, app_id: str, upload: Upload) -> None:
    response = client.post_file(
        f"/applications/{app_id}/materials/",
        {"requirement_id": str(upload.requirement_id)},
        name=upload.name,
        content=upload.content,
        mime=upload.mime,
    )
    expect_redirect(response, rf"/applications/{app_id}/materials/", "upload")


def submit(client: Client, app_id: str) -> float:
    """提交申请; returns the POST's milliseconds once it redirects to the receipt (acknowledged)."""
    t0 = time.perf_counter()
    response = client.post_form(f"/applications/{app_id}/check/", {})
    submit_ms = (time.perf_counter() - t0) * 1000
    expect_redirect(response, rf"/applications/{app_id}/receipt/", "submit")
    return submit_ms


def apply_once(client: Client, journey: Journey, *, phone: str, serial: int) -> float:
    """One application from 开始办理 to the receipt; returns the submit POST's milliseconds."""
    app_id = start_draft(client, journey)
    fill_form(client, app_id, phone=phone, serial=serial)
    for upload in journey.uploads:
        upload_material(client, app_id, upload)
    return submit(client, app_id)


class Tickets:
    """Hands out serial numbers 0 … total-1 to the client threads, then None."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.counter = itertools.count()
        self.lock = threading.Lock()

    def next(self) -> int | None:
        with self.lock:
            serial = next(self.counter)
        return serial if serial < self.total else None


def log_in_and_wait(
    client: Client, phone: str, *, ready: threading.Barrier, deadline: Deadline, results: Results
) -> bool:
    """Log in, then wait at the barrier until every citizen has; False when the load must not run."""
    try:
        log_in(client, phone)
    except (Unexpected, OSError) as exc:
        results.error(f"login: {exc}")
        ready.abort()
        return False
    try:
        ready.wait(timeout=max(1.0, deadline.left()))
    except threading.BrokenBarrierError:
        return False
    return True


def run_citizens(target, *, concurrency: int, deadline: Deadline, **kwargs) -> float:
    """``concurrency`` threads of ``target(phone=…, ready=…, deadline=…, **kwargs)``, one citizen
    each; returns the seconds from the moment all have logged in until all are done."""
    ready = threading.Barrier(concurrency + 1)
    threads = [
        threading.Thread(
            target=target,
            kwargs={"phone": str(PHONE_BASE + n), "ready": ready, "deadline": deadline, **kwargs},
            daemon=True,
        )
        for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=max(1.0, deadline.left()))
    except threading.BrokenBarrierError:
        print("a citizen could not log in; no load was run")
    t0 = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline.left()) + REQUEST_TIMEOUT_S)
    return time.perf_counter() - t0


def citizen(
    *,
    base: str,
    phone: str,
    journey: Journey,
    tickets: Tickets,
    ready: threading.Barrier,
    deadline: Deadline,
    results: Results,
) -> None:
    client = Client(base, deadline)
    if not log_in_and_wait(client, phone, ready=ready, deadline=deadline, results=results):
        return
    while not deadline.passed():
        serial = tickets.next()
        if serial is None:
            return
        t0 = time.perf_counter()
        try:
            submit_ms = apply_once(client, journey, phone=phone, serial=serial)
        except Unexpected as exc:
            results.error(str(exc))
        except OSError as exc:  # refused, reset, timeout (urllib.error.URLError is an OSError)
            results.error(f"{type(exc).__name__}: {exc}")
        else:
            results.ok((time.perf_counter() - t0) * 1000, submit_ms)


def percentiles(samples: list[float]) -> str:
    if not samples:
        return "p50 - ms p99 - ms"
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):.1f} ms p99 {p99:.1f} ms"


# ----------------------------------------------------------------------------------------------- main


def parse_arguments(doc: str, *, applications: int, port: int, time_limit: float) -> argparse.Namespace:
    """The options these benchmarks share; the defaults given are the script's own."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--applications", type=int, default=applications)
    parser.add_argument("--concurrency", type=int, default=8, help="client threads, one citizen each")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--no-scan", action="store_true", help="disable virus scanning (no clamd)")
    parser.add_argument("--time-limit", type=float, default=time_limit, help="seconds for the whole run")
    return parser.parse_args()


def main() -> None:
    args = parse_arguments(__doc__, applications=200, port=8765, time_limit=600)
    deadline = Deadline(args.time_limit)

    workdir = Path(tempfile.mkdtemp(prefix="tongban-bench-submit-"))
    database_url = POSTGRES_URL if args.database == "postgres" else f"sqlite:///{workdir}/bench.sqlite3"
    scanning = not args.no_scan
    env = bench_env(database_url=database_url, workdir=workdir, scanning=scanning)
    prepare_database(database=args.database, env=env, citizens=args.concurrency, deadline=deadline)

    started_clamd = start_clamd(deadline) if scanning else False
    base = f"http://127.0.0.1:{args.port}"
    log = workdir / "gunicorn.log"
    server = start_server(env=env, port=args.port, workers=args.workers, log=log)
    results = Results()
    elapsed = 0.0
    try:
        wait_for_server(base, server, deadline, log)
        journey = find_journey(base, deadline)
        scan_note = f"on (clamd 127.0.0.1:{CLAMD_PORT})" if scanning else "OFF (--no-scan)"
        print(
            f"config: database={args.database}, gunicorn sync workers={args.workers}, "
            f"client threads={args.concurrency}, virus scanning {scan_note}, "
            "TONGBAN_DEBUG=true (development settings, loopback only)"
        )
        print(f"item: {ITEM_NAME} {journey.code}, {len(journey.uploads)} required materials")

        elapsed = run_citizens(
            citizen,
            concurrency=args.concurrency,
            deadline=deadline,
            base=base,
            journey=journey,
            tickets=Tickets(args.applications),
            results=results,
        )
        if deadline.passed():
            print(f"time limit of {args.time_limit:.0f} s reached: stopped early")
    finally:
        stop_server(server)
        if started_clamd:
            stop_clamd()

    ok = len(results.sequence_ms)
    failed = sum(results.errors.values())
    rate = ok / elapsed if elapsed else 0.0
    print(f"applications: {ok} ok, {failed} errors in {elapsed:.1f} s → {rate:.1f} applications/s")
    print(f"per application ({journey.requests} requests): {percentiles(results.sequence_ms)}")
    print(f"submit POST: {percentiles(results.submit_ms)}")
    for kind, count in sorted(results.errors.items(), key=lambda e: -e[1])[:MAX_ERROR_KINDS]:
        print(f"  error ×{count}: {kind}")
    counts = shell_json(COUNT_SUBMITTED, env=env, deadline=Deadline(60))
    print(
        f"database: {counts['numbered']} applications with a number ({counts['distinct_numbers']} distinct) "
        f"of {counts['rows']} rows, {counts['materials']} material files; requested {args.applications}"
    )
    if failed:
        print(f"server log: {log}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
