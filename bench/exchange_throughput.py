"""Exchange API throughput with the usage log on, and what the log costs. Prints numbers; asserts nothing.

    .venv/bin/python bench/exchange_throughput.py [--queries 2000] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exchange .venv/bin/python bench/exchange_throughput.py

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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tongban.core.identifiers import resident_id_check_char  # noqa: E402
from tongban.organizations.tests.factories import DepartmentFactory  # noqa: E402
from tongban.registries import services as registry_services  # noqa: E402
from tongban.registries.types import PersonData  # noqa: E402
from tongban.sharing import services, usage_log  # noqa: E402
from tongban.sharing.types import ItemData, ResourceData  # noqa: E402

PERSONS = 200


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


def run(client: Client, token: str, queries: int) -> float:
    """Queries per second over ``queries`` POSTs."""
    url = reverse("exchange-query", args=["person.basic"])
    started = time.perf_counter()
    for n in range(queries):
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
    return queries / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    client, token = setup()
    print(f"database: {django.db.connection.vendor}; {args.queries} queries per round, {args.rounds} rounds")
    run(client, token, 50)  # warm-up
    real_append = usage_log.append
    with_log, without_log = [], []
    for _ in range(args.rounds):
        usage_log.append = real_append
        with_log.append(run(client, token, args.queries))
        usage_log.append = lambda **_fields: 0  # the same request path, nothing written
        without_log.append(run(client, token, args.queries))
    usage_log.append = real_append
    best_on, best_off = max(with_log), max(without_log)
    print(f"with usage log:    {best_on:8.1f} queries/s  (rounds: {', '.join(f'{q:.0f}' for q in with_log)})")
    print(
        f"without usage log: {best_off:8.1f} queries/s  (rounds: {', '.join(f'{q:.0f}' for q in without_log)})"
    )
    print(f"logging cost: {best_off / best_on:.2f}x the time of the same query without it")
    call_command("verify_usage_log")


if __name__ == "__main__":
    main()
