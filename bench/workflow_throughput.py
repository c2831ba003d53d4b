"""Workflow throughput: N applications through the standard flow via the services. Prints numbers.

    .venv/bin/python bench/workflow_throughput.py [--applications 200] [--warmup 10]
    createdb -h 127.0.0.1 -U postgres bench_workflow
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_workflow .venv/bin/python bench/workflow_throughput.py

Uses a throw-away SQLite file unless DATABASE_URL is set (the database is flushed first: never point
it at real data). The demo city is loaded (no accounts); a citizen submits N applications of 居住证办理
(demo item ``residence-permit``, shipped ``standard`` process) with its required materials. That
preparation is timed but reported apart. Then the staff steps run step by step over all N (as an
office works its inbox): 受理 accept → 审查 pass → 决定 approve → 办结 close → 送达 deliver
(electronic), each one ``services.handle_task`` call, i.e. one request's unit of work: lock the task
and the instance, load the engine state from the database, act, save it and sync the task rows.

Printed: completed instances/s and handle_task calls/s over the timed part, p50/p95/p99 per call, the
stored engine state per instance (bytes of ProcessInstance.state, UTF-8) after submission and at the
end, and the definition's spec size (stored once, shared by every instance). At the end it asserts
that every application is closed as approved and every instance completed. Development settings:
virus scanning off, DEBUG on (Django keeps a query log); status notifications are written as usual,
their SMS kept in memory (locmem backend) rather than printed. ``--warmup`` applications run the
flow first, untimed and left out of the numbers (the final check covers them too).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEDIA = Path(tempfile.mkdtemp(prefix="tongban-bench-workflow-"))
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/tongban-bench-workflow.sqlite3")
os.environ["TONGBAN_MEDIA_ROOT"] = str(MEDIA)  # uploaded materials go to a temp folder, removed at the end
# Notifications are still written and "sent"; the SMS are kept in memory instead of printed.
os.environ["TONGBAN_SMS_BACKEND"] = "tongban.core.sms.backends.locmem.LocmemBackend"

import django  # noqa: E402

django.setup()
logging.getLogger("tongban.core.virus_scan.backends.disabled").setLevel(logging.ERROR)  # one per upload

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import QuerySet  # noqa: E402

from city.templates import attach_required_materials  # noqa: E402
from tongban.accounts.services import ensure_user  # noqa: E402
from tongban.applications import services  # noqa: E402
from tongban.applications.models import Application  # noqa: E402 - bench only: the final check
from tongban.applications.subjects import subject_of  # noqa: E402
from tongban.applications.tests.factories import pdf_bytes  # noqa: E402
from tongban.catalog.selectors import search_published, version_snapshot  # noqa: E402
from tongban.catalog.types import ItemSnapshot  # noqa: E402
from tongban.demo.loader import load_demo_city  # noqa: E402
from tongban.organizations.services import assign_role  # noqa: E402
from tongban.workflow.models import ProcessInstance  # noqa: E402 - bench only: the stored state
from tongban.workflow.selectors import open_tasks_of  # noqa: E402

ITEM_NAME = "居住证办理"  # demo item "residence-permit": standard process, not instant
PASSWORD = "Bench-workflow-2026"  # noqa: S105 - a throw-away database's users
# (step, staff role, action, opinion, extra arguments), in the order the standard process asks them.
STEPS: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("accept", "clerk", "accept", "材料齐全，予以受理", {}),
    ("review", "reviewer", "pass", "符合法定条件", {}),
    ("decide", "approver", "approve", "同意", {}),
    ("close", "clerk", "close", "", {}),
    ("deliver", "clerk", "deliver", "", {"delivery_method": "electronic"}),
]


def small_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 320), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


def find_item() -> ItemSnapshot:
    [version] = [v for v in search_published(ITEM_NAME).versions if v.name == ITEM_NAME]
    return version_snapshot(version.pk)


def submit(item: ItemSnapshot, applicant_id: int, files: dict[str, bytes]) -> int:
    """One citizen application of ``item``, with its required materials, submitted; returns its id."""
    application_id = services.start_application(
        applicant_id=applicant_id, applicant_name="压测市民", implementation_code=item.implementation_code
    )
    answers = {"name": "压测市民", "address": "云州市东湖街道压测路1号", "reason": "申领居住证"}
    services.save_answers(application_id=application_id, applicant_id=applicant_id, answers=answers)
    attach_required_materials(item, application_id, applicant_id, files)
    services.submit_application(application_id=application_id, applicant_id=applicant_id)
    return application_id


def run_flow(first_tasks: dict[int, uuid.UUID], staff: dict[str, int], samples: list[float] | None) -> None:
    """Every application through the 5 steps, step by step; each step's task comes from the last call."""
    current = dict(first_tasks)
    for position, (step, role, action, opinion, extra) in enumerate(STEPS):
        for application_id, task_id in current.items():
            t0 = time.perf_counter()
            completion = services.handle_task(
                task_id=task_id, staff_id=staff[role], action=action, opinion=opinion, **extra
            )
            if samples is not None:
                samples.append((time.perf_counter() - t0) * 1000)
            if step == "deliver":
                assert completion.finished, f"application {application_id}: process did not end"
            else:
                [task] = completion.opened
                assert task.step == STEPS[position + 1][0], f"application {application_id}: {task.step}"
                current[application_id] = task.id


def instances_of(subjects: list[str]) -> QuerySet[ProcessInstance]:
    return ProcessInstance.objects.filter(subject__in=subjects)


def state_sizes(subjects: list[str]) -> tuple[float, int]:
    """Bytes (UTF-8) of the stored engine state of each subject's instance: mean and max."""
    sizes = [len(s.encode()) for s in instances_of(subjects).values_list("state", flat=True)]
    assert len(sizes) == len(subjects)
    return statistics.fmean(sizes), max(sizes)


def spec_size(subjects: list[str]) -> int:
    """Bytes of the definition spec the subjects' instances share (stored once per version)."""
    [spec] = {i.definition.spec for i in instances_of(subjects).select_related("definition")}
    return len(spec.encode())


def percentile(samples: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of the samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def latency(samples: list[float]) -> str:
    return " ".join(f"p{round(q * 100)} {percentile(samples, q):.1f} ms" for q in (0.5, 0.95, 0.99))


def prepare(staff_roles: dict[str, str]) -> tuple[ItemSnapshot, dict[str, int]]:
    """Migrate and flush the database, load the demo city (no accounts) and make a staff user per
    ``staff_roles`` entry (name → role) in the department of the bench item; their ids by name."""
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    load_demo_city(with_accounts=False)
    item = find_item()
    staff = {}
    for name, role in staff_roles.items():
        user = ensure_user(username=f"bench_{name}", full_name=f"压测{name}", kind="staff", password=PASSWORD)
        assign_role(user_id=user.id, department_id=item.department_id, role=role)
        staff[name] = user.id
    return item, staff


def check_done(application_ids: list[int]) -> None:
    rows = Application.objects.filter(pk__in=application_ids)
    assert rows.count() == len(application_ids), "applications missing"
    done = set(rows.values_list("status", "result", "delivery_method"))
    assert done == {("closed", "approved", "electronic")}, f"not all closed approved: {done}"
    instances = instances_of([subject_of(a) for a in application_ids])
    assert instances.count() == len(application_ids), "instances missing"
    assert set(instances.values_list("status", flat=True)) == {"completed"}, "instances still running"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10, help="applications run first, untimed")
    args = parser.parse_args()

    item, staff = prepare({role: role for role in ("clerk", "reviewer", "approver")})
    phone = "13900000000"
    citizen = ensure_user(
        username=phone, phone=phone, full_name="压测市民", kind="citizen", password=PASSWORD
    )
    files = {"pdf": pdf_bytes("bench material"), "png": small_png()}
    print(f"database: {connection.vendor}")
    print(f"item: {ITEM_NAME} {item.implementation_code}, {len(item.materials)} materials")

    total = args.warmup + args.applications
    started = time.perf_counter()
    ids = [submit(item, citizen.id, files) for _ in range(total)]
    prepared = time.perf_counter() - started
    print(f"prepared: {total} submitted applications in {prepared:.1f} s (not timed below)")
    first = {a: next(t.id for t in open_tasks_of(subject_of(a)) if t.step == "accept") for a in ids}
    warm, timed = ids[: args.warmup], ids[args.warmup :]
    timed_subjects = [subject_of(a) for a in timed]
    submitted_mean, submitted_max = state_sizes(timed_subjects)

    run_flow({a: first[a] for a in warm}, staff, None)
    samples: list[float] = []
    t0 = time.perf_counter()
    run_flow({a: first[a] for a in timed}, staff, samples)
    elapsed = time.perf_counter() - t0

    check_done(ids)
    mean, biggest = state_sizes(timed_subjects)
    print(f"flow: {len(timed)} applications × {len(STEPS)} handle_task calls ({args.warmup} warm-up untimed)")
    print(
        f"total: {elapsed:.2f} s → {len(timed) / elapsed:.1f} completed instances/s, "
        f"{len(samples) / elapsed:.1f} handle_task calls/s"
    )
    print(f"handle_task: {latency(samples)}")
    print(
        f"state per instance: after submit mean {submitted_mean:.0f} B max {submitted_max} B; "
        f"completed mean {mean:.0f} B max {biggest} B"
    )
    print(f"definition spec (stored once, shared): {spec_size(timed_subjects)} B")
    print(f"check: all {total} applications closed approved and delivered, all instances completed")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
