"""Queries and in-process time of each step of the citizen journey. Prints numbers; asserts nothing.

    PYTHONPATH=src .venv/bin/python bench/profile_citizen.py [--database-url URL] [--rounds 20]
        [--profile STEP] [--top 30]

Runs the journey of 居住证办理 (demo item ``residence-permit``) through Django's test client, in
this process, with virus scanning off: the guide page, 开始办理, the form (GET and POST), the
materials page and one upload per required material, 核对信息 and 提交申请, the receipt, 我的办件
and 办件查询. For each step it prints the SQL queries of the last round and the median time over
``--rounds`` journeys. ``--profile STEP`` (e.g. ``submit``) prints cProfile's top functions of that
step, summed over every round. Unlike submit_applications.py there is no server and no client
overhead: these are the steps' own costs, to find what to cut.

The database (default: SQLite in a temporary folder) is migrated and gets the demo city once.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

STEPS = (
    "guide",
    "start",
    "form_get",
    "form_post",
    "materials_get",
    "upload",
    "check_get",
    "submit",
    "receipt",
    "mine",
    "status_query",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--profile", choices=STEPS, default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--show-queries", choices=STEPS, default=None, help="print that step's SQL")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tongban-profile-citizen-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/profile.sqlite3"
    os.environ["TONGBAN_DEBUG"] = "true"
    os.environ["TONGBAN_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["TONGBAN_VIRUS_SCANNER"] = "tongban.core.virus_scan.backends.disabled.DisabledScanner"

    import django
    from django.contrib.auth import get_user_model

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    sys.path.insert(0, str(ROOT / "bench"))
    from submit_applications import resident_id, small_pdf, small_png

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    call_command("migrate", "--no-input", verbosity=0)
    from tongban.accounts.services import ensure_user
    from tongban.applications.models import Application
    from tongban.catalog.selectors import published_item_by_name, version_snapshot

    if published_item_by_name("居住证办理") is None:
        call_command("load_demo_city", "--no-accounts")
    item = published_item_by_name("居住证办理")

    phone = "13911110000"
    own_id = resident_id(9999)
    ensure_user(
        username=phone,
        phone=phone,
        full_name="剖析市民",
        kind="citizen",
        password="x",  # noqa: S106 - a throw-away account
        resident_id=own_id,
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username=phone))
    pdf, png = small_pdf(), small_png()
    required = [m for m in version_snapshot(item.version_id).materials if m.necessity == "required"]

    times: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[str]] = {}
    profiler = cProfile.Profile()

    def step(name: str, path: str, data: dict | None = None):
        """GET ``path`` (POST when ``data`` is given, even empty), timed and with its queries kept."""
        reset_queries()  # each request resets the log (request_started): start from an empty one
        with CaptureQueriesContext(connection) as captured:
            if args.profile == name:
                profiler.enable()
            t0 = time.perf_counter()
            response = client.get(path) if data is None else client.post(path, data)
            times[name].append((time.perf_counter() - t0) * 1000)
            if args.profile == name:
                profiler.disable()
        queries[name] = [q["sql"] for q in captured.captured_queries]
        if response.status_code >= 400:
            raise SystemExit(f"{name}: {response.status_code}\n{response.content[:2000].decode()}")
        return response

    code = item.implementation_code
    for serial in range(args.rounds):
        step("guide", f"/services/{code}/")
        started = step("start", f"/services/{code}/apply/", {})
        app = started["Location"].rstrip("/").split("/")[-2]
        step("form_get", f"/applications/{app}/form/")
        answers = {
            "name": f"剖析市民{serial}",
            "resident_id": resident_id(serial),
            "phone": phone,
            "address": f"云州市东湖街道剖析路{serial}号",
            "reason": "在东湖街道居住满半年，申领居住证。",
        }
        step("form_post", f"/applications/{app}/form/", answers)
        step("materials_get", f"/applications/{app}/materials/")
        for material in required:
            if "pdf" in material.allowed_types:
                upload = SimpleUploadedFile("材料.pdf", pdf, content_type="application/pdf")
            else:
                upload = SimpleUploadedFile("照片.png", png, content_type="image/png")
            step("upload", f"/applications/{app}/materials/", {"requirement_id": material.id, "file": upload})
        step("check_get", f"/applications/{app}/check/")
        submitted = step("submit", f"/applications/{app}/check/", {})
        if "receipt" not in submitted.get("Location", ""):
            raise SystemExit(f"submit did not reach the receipt: {submitted.status_code}")
        step("receipt", f"/applications/{app}/receipt/")
        step("mine", "/my/applications/")
        number = Application.objects.get(pk=app).number
        cache.clear()  # the per-address quota of 办件查询
        step("status_query", "/status/", {"number": number, "resident_id": own_id})

    print(f"{'step':<14} {'queries':>7} {'median ms':>10} {'min ms':>8}")
    for name in STEPS:
        samples = times[name]
        print(f"{name:<14} {len(queries[name]):>7} {statistics.median(samples):>10.1f} {min(samples):>8.1f}")
    if args.show_queries:
        for sql in queries[args.show_queries]:
            print(sql[:400])
    if args.profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
