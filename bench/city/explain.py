"""EXPLAIN (ANALYZE, BUFFERS) of the queries behind the list pages, captured from the real views.

    python bench/city/explain.py --fixtures var/bench/fixtures-postgres-full.json

Run by ``run.py --explain`` (same environment). Each page is requested once in-process (Django's test
client, the session the benchmark uses) under CaptureQueriesContext; every captured SELECT is
explained on the loaded database and printed as markdown, with a warning on any sequential scan of
the applications, tasks or log tables. PostgreSQL only (SQLite's EXPLAIN QUERY PLAN has no timings).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "src"), str(HERE.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WATCHED = re.compile(
    r"Seq Scan on (applications_\w+|workflow_worktask|workflow_processinstance|sharing_usagelogentry|core_auditevent\w*)"
)
SKIP = re.compile(
    r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)|django_session|FROM \"accounts_user\" WHERE \"accounts_user\".\"id\" = "
)


def pages(fixtures: dict) -> list[tuple[str, str, str, dict | None, str]]:
    """(title, method, path, form data, session) of each list page."""
    number, resident = fixtures["status_queries"][0]
    return [
        ("staff 待办 inbox", "get", "/staff/tasks/", None, fixtures["staff_sessions"]["clerk"]),
        ("我的办件", "get", "/my/applications/", None, fixtures["citizen_sessions"][0]),
        ("办件查询", "post", "/status/", {"number": number, "resident_id": resident}, ""),
        ("supervision board", "get", "/staff/supervision/", None, fixtures["staff_sessions"]["supervisor"]),
        ("数据使用记录 (usage log)", "get", "/account/data-usage/", None, fixtures["citizen_sessions"][0]),
    ]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, required=True)
    args = parser.parse_args()
    fixtures = json.loads(args.fixtures.read_text())
    if connection.vendor != "postgresql":
        print("explain.py: PostgreSQL only")
        return
    flagged = 0
    summary: list[str] = []
    print(f"\n## EXPLAIN (ANALYZE, BUFFERS) at {fixtures['sizes']['applications']:,} applications\n")
    for title, method, path, data, session in pages(fixtures):
        client = Client(REMOTE_ADDR=f"10.9.{flagged % 250}.1", HTTP_X_FORWARDED_FOR="10.99.0.1")
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
        selects = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith("SELECT") and not SKIP.search(q["sql"])
        ]
        print(
            f"### {title} ({method.upper()} {path}: {response.status_code}, {len(captured)} queries, {len(selects)} explained)\n"
        )
        for n, sql in enumerate(selects, 1):
            plan = explain(sql)
            total = re.search(r"Execution Time: ([\d.]+) ms", plan)
            seq = WATCHED.findall(plan)
            if seq:
                flagged += 1
            warning = f" **Seq Scan on {', '.join(sorted(set(seq)))}**" if seq else ""
            tables = ", ".join(sorted(set(re.findall(r'FROM "(\w+)"', sql))))
            summary.append(
                f"| {title} | {n} | {tables} | {total[1] if total else '?'} | {warning.strip(' *')} |"
            )
            print(f"{n}. {total[1] if total else '?'} ms{warning}\n")
            print(
                "```sql\n" + sql[:1500] + ("…" if len(sql) > 1500 else "") + "\n```\n```\n" + plan + "\n```\n"
            )
    print("### Summary\n\n| page | query | tables | ms | sequential scan |\n|---|---|---|---|---|")
    print("\n".join(summary))
    print(f"\nqueries with a sequential scan on applications, tasks or log tables: {flagged}")


if __name__ == "__main__":
    main()
