"""Staff hot paths at city scale (issue 18): 待办, 已办, the supervision board, 催办. Prints numbers.

    createdb -h 127.0.0.1 -U postgres bench_staff
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_staff .venv/bin/python bench/staff_profile.py load
    DATABASE_URL=... .venv/bin/python bench/staff_profile.py measure [--rounds 30]

``load`` flushes the database (never point it at real data), loads the demo city, makes the staff of
the 居住证办理 department (clerk, reviewer, approver, supervisor) and a city supervisor, runs one
application through the standard flow with the services (the template rows), then copies it in SQL:
``--applications`` cases (default 200,000) spread over every department, the newest tenth open (half
待预审 with an open 受理 step, half 已受理 with an open 审查 step), the rest closed with five
completed steps; the bench clerk and reviewer did the steps of their department. PostgreSQL only.

``measure`` times the selectors and the whole views through the test client (p50/p99 over
``--rounds``) and prints SQL queries per request.
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
sys.path.insert(0, os.environ.get("STAFF_PROFILE_SRC", str(ROOT / "src")))  # the code to measure
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ["TONGBAN_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="tongban-bench-staff-")
os.environ["TONGBAN_SMS_BACKEND"] = "tongban.core.sms.backends.locmem.LocmemBackend"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]

PASSWORD = "Bench-staff-2026"  # noqa: S105 - a throw-away database's users
ITEM_NAME = "居住证办理"
FLOW = [
    ("clerk", "accept", {}),
    ("reviewer", "pass", {}),
    ("approver", "approve", {}),
    ("clerk", "close", {}),
    ("clerk", "deliver", {"delivery_method": "electronic"}),
]


def load(applications: int) -> None:
    from tongban.accounts.services import ensure_user
    from tongban.applications import services
    from tongban.applications.subjects import subject_of
    from tongban.applications.tests.factories import pdf_bytes
    from tongban.catalog.selectors import search_published, version_snapshot
    from tongban.demo.loader import load_demo_city
    from tongban.organizations.services import assign_role
    from tongban.workflow.selectors import open_tasks_of

    assert connection.vendor == "postgresql", "the loader writes PostgreSQL SQL"
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    load_demo_city(with_accounts=False)
    [version] = [v for v in search_published(ITEM_NAME).versions if v.name == ITEM_NAME]
    item = version_snapshot(version.pk)
    staff = {}
    for role in ("clerk", "reviewer", "approver", "supervisor"):
        user = ensure_user(username=f"bench_{role}", full_name=f"压测{role}", kind="staff", password=PASSWORD)
        assign_role(user_id=user.id, department_id=item.department_id, role=role)
        staff[role] = user.id
    city = ensure_user(username="bench_city", full_name="压测市监察", kind="staff", password=PASSWORD)
    assign_role(user_id=city.id, department_id=item.department_id, role="city_supervisor")
    citizen = ensure_user(
        username="13900000000", phone="13900000000", full_name="压测市民", kind="citizen", password=PASSWORD
    )
    application_id = services.start_application(
        applicant_id=citizen.id, applicant_name="压测市民", implementation_code=item.implementation_code
    )
    services.save_answers(
        application_id=application_id,
        applicant_id=citizen.id,
        answers={"name": "压测市民", "address": "云州市东湖街道压测路1号", "reason": "申领居住证"},
    )
    for material in item.materials:
        if material.necessity == "required":
            services.attach_material(
                application_id=application_id,
                applicant_id=citizen.id,
                requirement_id=material.id,
                name=f"{material.name}.{'pdf' if 'pdf' in material.allowed_types else 'png'}",
                data=pdf_bytes("bench") if "pdf" in material.allowed_types else _png(),
            )
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    for role, action, extra in FLOW:
        [task] = open_tasks_of(subject_of(application_id))
        services.handle_task(task_id=task.id, staff_id=staff[role], action=action, opinion="同意", **extra)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        _copy(cursor, template=application_id, n=applications, dept=item.department_id, staff=staff)
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded {applications} applications in {time.perf_counter() - started:.0f} s")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 320), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


def _copy(cursor, *, template: int, n: int, dept: int, staff: dict[str, int]) -> None:
    """``n`` cases like the template: the newest tenth open, submitted 2 minutes apart."""
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM organizations_department")
    [departments] = cursor.fetchone()
    open_from = n - n // 10
    cursor.execute(
        """
        INSERT INTO applications_application (number, applicant_name, status, form_data, created_at,
            updated_at, submitted_at, promised_finish_date, applicant_id, department_id, item_id,
            item_version_id, accepted_at, closed_at, delivered_at, delivery_method, result,
            encrypted_answers)
        SELECT 'B' || lpad(g::text, 9, '0'), '压测市民' || g,
            CASE WHEN g < %(open_from)s THEN 'closed' WHEN g %% 2 = 0 THEN 'submitted' ELSE 'accepted' END,
            t.form_data, ts, ts, ts, (ts + interval '30 days')::date, t.applicant_id,
            (%(departments)s::bigint[])[1 + g %% %(d)s], t.item_id, t.item_version_id,
            CASE WHEN g < %(open_from)s OR g %% 2 = 1 THEN ts + interval '1 hour' END,
            CASE WHEN g < %(open_from)s THEN ts + interval '5 days' END,
            CASE WHEN g < %(open_from)s THEN ts + interval '5 days' END,
            CASE WHEN g < %(open_from)s THEN 'electronic' ELSE '' END,
            CASE WHEN g < %(open_from)s THEN 'approved' ELSE '' END, t.encrypted_answers
        FROM applications_application t,
            generate_series(1, %(n)s) g,
            LATERAL (SELECT now() - (%(n)s - g) * interval '2 minutes' AS ts) s
        WHERE t.id = %(template)s
        """,
        {
            "open_from": open_from,
            "departments": departments,
            "d": len(departments),
            "n": n,
            "template": template,
        },
    )
    cursor.execute(
        """
        INSERT INTO workflow_processinstance (subject, lane_departments, step_limits, state, revision,
            status, started_at, ended_at, definition_id, department_id, status_reason, due_by,
            chosen_assignees)
        SELECT 'application:' || a.id, t.lane_departments, t.step_limits, t.state, t.revision,
            CASE WHEN a.status = 'closed' THEN 'completed' ELSE 'running' END, a.submitted_at,
            a.closed_at, t.definition_id, a.department_id, '', a.promised_finish_date, '{}'::jsonb
        FROM applications_application a, workflow_processinstance t
        WHERE a.number LIKE 'B%%' AND t.subject = %(subject)s
        """,
        {"subject": f"application:{template}"},
    )
    # Steps by position in the flow: 0 受理 … 4 送达; an open case stands at 0 (待预审) or 1 (已受理).
    cursor.execute(
        """
        INSERT INTO workflow_worktask (id, engine_task_id, element_id, name, step, role, properties,
            status, created_at, claimed_at, due_date, completed_at, action, action_label, opinion,
            assignee_id, department_id, instance_id, direct_return, return_reason, returned_from,
            skip_data, deferred_completion, assignee_rule, unassigned)
        SELECT gen_random_uuid(), gen_random_uuid(), t.element_id, t.name, t.step, t.role, t.properties,
            CASE WHEN done THEN 'completed' ELSE 'open' END,
            a.submitted_at + pos * interval '1 hour', NULL,
            (a.submitted_at + (pos + 3) * interval '1 day')::date,
            CASE WHEN done THEN a.submitted_at + (pos + 1) * interval '1 hour' END,
            CASE WHEN done THEN t.action ELSE '' END, CASE WHEN done THEN t.action_label ELSE '' END,
            CASE WHEN done THEN t.opinion ELSE '' END,
            CASE WHEN NOT done AND a.id %% 7 <> 0 THEN NULL
                 WHEN a.department_id <> %(dept)s THEN NULL
                 WHEN t.role = 'clerk' THEN %(clerk)s WHEN t.role = 'reviewer' THEN %(reviewer)s
                 ELSE %(approver)s END,
            a.department_id, i.id, false, '', '', '{}'::jsonb, '{}'::jsonb, 'role', false
        FROM applications_application a
        JOIN workflow_processinstance i ON i.subject = 'application:' || a.id
        CROSS JOIN LATERAL (
            SELECT w.*, row_number() OVER (ORDER BY w.created_at) - 1 AS pos
            FROM workflow_worktask w JOIN workflow_processinstance ti ON ti.id = w.instance_id
            WHERE ti.subject = %(subject)s
        ) t
        CROSS JOIN LATERAL (
            SELECT a.status = 'closed' AS done,
                CASE a.status WHEN 'closed' THEN 4 WHEN 'submitted' THEN 0 ELSE 1 END AS upto
        ) s
        WHERE a.number LIKE 'B%%' AND t.pos <= s.upto
        """,
        {"subject": f"application:{template}", "dept": dept, **staff},
    )


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def timed(label: str, call, rounds: int) -> None:
    samples = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            call()
            samples.append((time.perf_counter() - t0) * 1000)
        queries = len(captured)
    print(
        f"{label:<44} p50 {statistics.median(samples):7.1f} ms  p99 {percentile(samples, 0.99):7.1f} ms"
        f"  {queries} queries"
    )


def measure(rounds: int) -> None:
    from tongban.accounts.models import User
    from tongban.applications.selectors import case_clocks
    from tongban.organizations.selectors import department_ids_for
    from tongban.workflow import selectors as workflow

    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    clerk, supervisor, city = users["bench_clerk"], users["bench_supervisor"], users["bench_city"]
    dept = department_ids_for(user_id=clerk.id, role="clerk")
    from tongban.accounts.tests.helpers import login_staff

    client, supervisor_client, city_client = Client(), Client(), Client()
    login_staff(client, clerk)
    login_staff(supervisor_client, supervisor)
    login_staff(city_client, city)

    def status(response) -> None:
        assert response.status_code == 200, response.status_code

    timed("selector inbox_tasks (first page)", lambda: list(_page(workflow.inbox_tasks, clerk.id)), rounds)
    timed("selector done_tasks (first page)", lambda: list(_page(workflow.done_tasks, clerk.id)), rounds)
    timed("GET /staff/tasks/ (待办)", lambda: status(client.get("/staff/tasks/")), rounds)
    timed("GET /staff/tasks/?tab=done (已办)", lambda: status(client.get("/staff/tasks/?tab=done")), rounds)
    timed("case_clocks, one department (limit 500)", lambda: case_clocks(dept), rounds)
    timed(
        "GET supervision board (department)",
        lambda: status(supervisor_client.get("/staff/supervision/")),
        rounds,
    )
    timed("GET supervision board (city)", lambda: status(city_client.get("/staff/supervision/")), rounds)


def _page(selector, user_id):
    result = selector(user_id)
    return result[:200] if hasattr(result, "query") else result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("load", "measure"))
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if args.mode == "load":
        load(args.applications)
    else:
        measure(args.rounds)


if __name__ == "__main__":
    main()
