"""Prepare the benchmark city, or reuse it when it already has the wanted size; write the fixtures.

    python bench/city/prepare.py --size quick --fixtures FILE [--reload]

Run by run.py in its own process with the benchmark's environment (the database, production-like
settings). Steps: migrate; if the database records another size (or none): empty it, load the demo
city, make the template cases (templates.py), clone them (loader.py), add what the paths read
(bench citizens' cases, exchange persons and client), record the size. Then, every run: fresh
sessions for the staff and citizens (staff sessions marked as having passed the second factor, as
the staff login does) and the fixtures file paths.py reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "src"), str(HERE.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("tongban.core.virus_scan.backends.disabled").setLevel(logging.ERROR)  # one per upload

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from city import loader, templates  # noqa: E402
from city.sizes import SIZES, Sizes  # noqa: E402

META_TABLE = "bench_city_meta"
LOADER_VERSION = 5  # bump when the loader makes different rows
EXCHANGE_PERSONS = 200
STATUS_CASES = 400  # cloned cases handed to the bench citizens (办件查询, 我的办件)


# ------------------------------------------------------------------------------------------ the meta


def recorded() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (k varchar(32) PRIMARY KEY, v text)")
        cursor.execute(f"SELECT v FROM {META_TABLE} WHERE k = 'city'")  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def record(meta: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE k = 'city'")  # noqa: S608
        cursor.execute(f"INSERT INTO {META_TABLE} (k, v) VALUES ('city', %s)", [json.dumps(meta)])  # noqa: S608


def wanted_meta(sizes: Sizes) -> dict:
    return {"sizes": sizes.as_dict(), "loader": LOADER_VERSION}


# ------------------------------------------------------------------------------------------- loading


def exchange_setup(department_name: str = "锦江区民政局婚姻登记系统") -> dict:
    """Persons in the population registry the exchange query asks about, and a client allowed to."""
    from tongban.registries import services as registry_services
    from tongban.registries.types import PersonData
    from tongban.sharing import services as sharing_services
    from tongban.sharing.models import ExchangeClient  # bench only: the demo client's department

    ids = []
    for n in range(EXCHANGE_PERSONS):
        first17 = f"53990219{70 + n % 30:02d}0101{n % 1000:03d}"
        number = first17 + templates.resident_id_check_char(first17)
        registry_services.upsert_person(
            PersonData(number, f"测试{n}", "male", dt.date(1970 + n % 30, 1, 1), "汉族", f"滨江路{n}号")
        )
        ids.append(number)
    department_id = ExchangeClient.objects.get(name=department_name).department_id
    credentials = sharing_services.register_client(name="压测客户端", department_id=department_id)
    return {
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "resource": "person.basic",
        "purpose": "婚姻登记",
        "subjects": ids,
    }


def hand_cases_to_bench_citizens(citizens: list[int]) -> None:
    """Give cases drawn from all of them (every state, every age) to the bench citizens, who have
    resident IDs (办件查询) and sessions (我的办件)."""
    from tongban.applications.models import Application  # bench only: rewrites owners

    pool = list(Application.objects.filter(number__isnull=False).values_list("id", flat=True))
    chosen = random.Random(18).sample(pool, min(STATUS_CASES, len(pool)))
    for n, pk in enumerate(chosen):
        Application.objects.filter(pk=pk).update(applicant_id=citizens[n % len(citizens)])


def load(sizes: Sizes) -> dict:
    from tongban.demo.loader import load_demo_city

    timings = loader.Timings()
    t0 = time.perf_counter()
    print(f"loading the {sizes.name} city: {sizes.as_dict()}", flush=True)
    timings.run("flush", call_command, "flush", interactive=False, verbosity=0)
    timings.run("demo city", load_demo_city, with_accounts=False)
    made = timings.run("template cases", templates.make_templates, citizens=templates.BENCH_CITIZENS)
    rounds = loader.load_city(sizes=sizes, templates=made, timings=timings, phone_base=templates.PHONE_BASE)
    timings.run("bench citizens' cases", hand_cases_to_bench_citizens, made.citizens)
    exchange = timings.run("exchange client", exchange_setup)
    total = time.perf_counter() - t0
    print(f"loaded in {total:.0f} s", flush=True)
    meta = {
        **wanted_meta(sizes),
        "rounds": rounds,
        "item_code": made.item.implementation_code,
        "department_id": made.item.department_id,
        "staff": made.staff,
        "citizens": made.citizens,
        "exchange": exchange,
        "timings": {k: round(v, 1) for k, v in timings.stages.items()},
        "load_seconds": round(total),
    }
    record(meta)
    return meta


# ------------------------------------------------------------------------------------------ fixtures


def session_cookie(user_id: int, *, staff: bool) -> str:
    """A logged-in session, as the login views leave it (staff: second factor passed)."""
    from tongban.accounts.access import STAFF_OTP_VERIFIED
    from tongban.accounts.models import User  # bench only: the session's auth hash

    user = User.objects.get(pk=user_id)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if staff:
        store[STAFF_OTP_VERIFIED] = user.pk
    store.create()
    return store.session_key


def fixtures(meta: dict) -> dict:
    from tongban.applications.models import Application  # bench only: picks what the paths ask for
    from tongban.catalog.models import ServiceItem

    citizens = meta["citizens"]
    serial = {pk: n for n, pk in enumerate(citizens)}
    status_pairs = [
        (number, templates.resident_id(serial[applicant]))
        for number, applicant in Application.objects.filter(applicant_id__in=citizens, number__isnull=False)
        .values_list("number", "applicant_id")
        .order_by("id")
    ]
    editable = list(
        ServiceItem.objects.filter(department_id=meta["department_id"])
        .exclude(implementation_code=meta["item_code"])
        .order_by("id")
        .values_list("id", flat=True)[:2000]
    )
    sizes = meta["sizes"]
    return {
        "item_code": meta["item_code"],
        "password": templates.PASSWORD,
        "staff_sessions": {name: session_cookie(pk, staff=True) for name, pk in meta["staff"].items()},
        "citizen_sessions": [session_cookie(pk, staff=False) for pk in citizens],
        "citizen_ids": citizens,
        "citizen_phones": [str(templates.PHONE_BASE + n) for n in range(len(citizens))],
        "clone_phones": [
            str(templates.PHONE_BASE + loader.CITIZEN_CLONE_OFFSET + n)
            for n in range(1, min(sizes["citizens"], 5000) + 1)
        ],
        "status_queries": status_pairs,
        "editable_items": editable,
        "exchange": meta["exchange"],
        "sizes": sizes,
        "load_seconds": meta.get("load_seconds"),
        "timings": meta.get("timings"),
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument("--fixtures", type=Path, required=True)
    parser.add_argument("--reload", action="store_true", help="load again even when the sizes match")
    args = parser.parse_args()
    sizes = SIZES[args.size]

    call_command("migrate", "--no-input", verbosity=0)
    meta = recorded()
    if args.reload or meta is None or {k: meta.get(k) for k in ("sizes", "loader")} != wanted_meta(sizes):
        meta = load(sizes)
    else:
        print(f"reusing the prepared {sizes.name} city (loaded in {meta.get('load_seconds')} s)")
    args.fixtures.write_text(json.dumps(fixtures(meta), ensure_ascii=False))


if __name__ == "__main__":
    main()
