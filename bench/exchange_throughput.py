"""Exchange API throughput with the usage log on, and what the log costs. Prints numbers; asserts nothing.

    .venv/bin/python bench/exchange_throughput.py [--queries 2000] [--rounds 3] [--threads 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exchange .venv/bin/python bench/exchange_throughput.py

With ``--threads N`` (PostgreSQL) N clients query at once, each on its own connection: the usage log's
chain heads are row-locked, so this shows whether appends queue on them (the GIL caps the total).

Uses a throw-away SQLite file unless DATABASE_URL is set (the database is flushed first: never point
it at real data). Each query goes the whole way in-process: bearer token check (django-oauth-toolkit),
DRF parsing and throttling, the grant check, the registry read and the hash-chain append (locking the
chain head). "Without logging" runs the same requests with the append replaced by a no-op, so the
ratio is the price of the tamper-evident log. Rounds alternate on and off to even out noise.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/tongban-bench-exchange.sqlite3")
os.environ.setdefault("TONGBAN_EXCHANGE_RATE", "1000000/min")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from tongban.core.identifiers import resident_id_check_char  # noqa: E402
from tongban.organizations.tests.factories import DepartmentFactory  # noqa: E402
from tongban.registries import services as registry_services  # noqa: E402
from tongban.registries.types import PersonData  # noqa: E402
from tongban.sharing import services, usage_log  # noqa: E402
from tongban.sharing.types import ItemData, ResourceData  # noqa: E402

PERSONS = 200
# Issue 18's goals, printed beside the numbers.
GOAL_RATIO = 1.3  # logging cost at most 1.3x the same query without it
GOAL_SHARE_OF_GET = 0.40  # of the bare one-row GET ceiling (measured by the city harness, not here)


def resident_id(n: int) -> str:
    first17 = f"53990219{70 + n % 30:02d}0101{n % 1000:03d}"  # 53: a GB/T 2260 province
    return first17 + resident_id_check_char(first17)


def setup() -> tuple[Client, str]:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    provider = DepartmentFactory(name="云州市公安局户政管理支队")
    user = DepartmentFactory(name="云州市锦江区民政局")
    for n in range(PERSONS):
        registry_services.upsert_person(
            PersonData(
                resident_id(n), f"测试{n}", "male", dt.date(1970 + n % 30, 1, 1), "汉族", f"滨江路{n}号"
            )
        )
    services.upsert_resource(
        ResourceData(
            code="person.basic",
            name="人口基本信息",
            classification="基础信息资源/人口",
            department_id=provider.pk,
            summary="bench",
            subject_kind="person",
            provider="registries.person",
            sharing_type="conditional",
            sharing_condition="bench",
            items=(
                ItemData("full_name", "姓名"),
                ItemData("gender", "性别"),
                ItemData("household_address", "户籍地址"),
            ),
        )
    )
    services.grant_access(
        resource_code="person.basic",
        department_id=user.pk,
        purpose="婚姻登记",
        item_keys=["full_name", "gender"],
        valid_from=dt.date(2000, 1, 1),
        valid_until=dt.date(2099, 12, 31),
    )
    credentials = services.register_client(name="bench", department_id=user.pk)
    client = Client()
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = client.post(
        reverse("exchange-token"), {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    ).json()["access_token"]
    return client, token


def query(client: Client, token: str, n: int, url: str) -> None:
    response = client.post(
        url,
        {"subject": resident_id(n % PERSONS), "purpose": "婚姻登记", "case_ref": f"HY-{n}"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=f"bench-{uuid.uuid4()}",
        HTTP_X_TIMESTAMP=str(int(time.time())),
    )
    if response.status_code != 200:
        raise SystemExit(f"query {n} answered {response.status_code}: {response.content[:200]!r}")


CPU_MS: list[float] = []  # this process's CPU per query in the last run (app side, without PostgreSQL)


def run(client: Client, token: str, queries: int, threads: int = 1) -> float:
    """Queries per second over ``queries`` POSTs, split over ``threads`` clients."""
    url = reverse("exchange-query", args=["person.basic"])
    cpu_started = time.process_time()
    if threads == 1:
        started = time.perf_counter()
        for n in range(queries):
            query(client, token, n, url)
        rate = queries / (time.perf_counter() - started)
        CPU_MS.append((time.process_time() - cpu_started) * 1000 / queries)
        return rate
    start = threading.Barrier(threads + 1)

    def work(offset: int) -> None:
        own = Client()
        try:
            start.wait()
            for n in range(offset, queries, threads):
                query(own, token, n, url)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(offset,)) for offset in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    rate = queries / (time.perf_counter() - started)
    CPU_MS.append((time.process_time() - cpu_started) * 1000 / queries)
    return rate


def statements_per_query(client: Client, token: str) -> int:
    url = reverse("exchange-query", args=["person.basic"])
    with CaptureQueriesContext(connection) as captured:
        query(client, token, 0, url)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="concurrent clients (PostgreSQL)")
    args = parser.parse_args()

    client, token = setup()
    print(
        f"database: {connection.vendor}; {args.queries} queries per round, {args.rounds} rounds, "
        f"{args.threads} client thread(s); DEBUG={django.conf.settings.DEBUG}"
    )
    run(client, token, 50)  # warm-up
    real_append = usage_log.append
    print(f"SQL statements per query: {statements_per_query(client, token)} with the log", end="")
    usage_log.append = lambda **_fields: 0  # the same request path, nothing written
    print(f", {statements_per_query(client, token)} without")
    with_log, without_log, cpu_on, cpu_off = [], [], [], []
    for _ in range(args.rounds):
        usage_log.append = real_append
        with_log.append(run(client, token, args.queries, args.threads))
        cpu_on.append(CPU_MS[-1])
        usage_log.append = lambda **_fields: 0
        without_log.append(run(client, token, args.queries, args.threads))
        cpu_off.append(CPU_MS[-1])
    usage_log.append = real_append
    # CPU per query of this process is steadier than wall time on a shared machine.
    print(f"app CPU per query: {min(cpu_on):.2f} ms with the log, {min(cpu_off):.2f} ms without")
    best_on, best_off = max(with_log), max(without_log)
    print(f"with usage log:    {best_on:8.1f} queries/s  (rounds: {', '.join(f'{q:.0f}' for q in with_log)})")
    print(
        f"without usage log: {best_off:8.1f} queries/s  (rounds: {', '.join(f'{q:.0f}' for q in without_log)})"
    )
    ratio = best_off / best_on
    print(
        f"logging cost: {ratio:.2f}x the time of the same query without it "
        f"(goal <= {GOAL_RATIO}x: {'met' if ratio <= GOAL_RATIO else 'NOT met'})"
    )
    print(
        f"goal: with the log >= {GOAL_SHARE_OF_GET:.0%} of the bare GET ceiling; "
        f"share = {best_on:.1f} / the ceiling's GET/s on the same machine and settings"
    )
    call_command("verify_usage_log")


if __name__ == "__main__":
    main()
