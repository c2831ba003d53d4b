"""The measured paths, one function each: what one unit of work is, over HTTP.

A path has ``prepare(ctx, n)`` (untimed, once per client thread: log in, make drafts …) returning the
thread's state, and ``once(ctx, state)`` doing one unit (a request, an application, an instance) with
the counted requests timed. ``once`` returns False when the thread's prepared work is used up.
Untimed preparation that has no URL of its own (which task the flow's next step is, submitted cases
for the flow) reads the database through the platform's public services in this process.
"""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from city.client import Client, Samples, Unexpected, expect
from city.templates import STEPS, resident_id

REDIRECT = (302, 303)


@dataclass
class Context:
    base: str  # the platform
    ceiling: str  # the bare Django project
    fixtures: dict
    journey: Any = None  # submit_applications.Journey, read once from the catalogue API
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, samples: Samples, *, session: str = "", ceiling: bool = False) -> Client:
        return Client(self.ceiling if ceiling else self.base, session=session, samples=samples)


@dataclass(frozen=True)
class Path:
    name: str
    unit: str  # what one ``once`` is: requests, applications, instances
    ceiling: str  # "GET" or "POST": the bare request it is compared with ("": none)
    goal: str  # issue 18's goal, printed beside the numbers
    once: Callable[[Context, Any], bool]
    prepare: Callable[[Context, int, Samples], Any]
    prepared_work: bool = False  # ``prepare`` makes the work; the run ends when it is used up
    estimated: bool = False  # untimed requests between the timed ones: requests/s from latency


# ------------------------------------------------------------------------------------------- ceiling


def _ceiling_client(ctx: Context, n: int, samples: Samples) -> Client:
    return ctx.client(samples, ceiling=True)


def ceiling_post(ctx: Context, client: Client) -> bool:
    expect(client.post_form("/rows/", {"value": "压测"}), (201,), "ceiling POST")
    return True


def _ceiling_keys(ctx: Context, n: int, samples: Samples) -> tuple[Client, list[str]]:
    client = ctx.client(samples, ceiling=True)
    keys = [
        json.loads(client.post_form("/rows/", {"value": "读"}, timed=False).body)["key"] for _ in range(20)
    ]
    return client, keys


def ceiling_get(ctx: Context, state) -> bool:
    client, keys = state
    expect(client.get(f"/rows/{random.choice(keys)}/"), (200,), "ceiling GET")
    return True


# -------------------------------------------------------------------------------------------- citizen


def _citizen(ctx: Context, n: int, samples: Samples) -> Client:
    sessions = ctx.fixtures["citizen_sessions"]
    client = ctx.client(samples, session=sessions[n % len(sessions)])
    client.get("/account/", timed=False)  # the csrftoken cookie
    return client


def _journey(ctx: Context):
    import submit_applications as sa

    with ctx.lock:
        if ctx.journey is None:
            item = json.loads(
                Client(ctx.base).get(f"/api/v1/catalog/items/{ctx.fixtures['item_code']}/", timed=False).body
            )
            pdf, png = sa.small_pdf(), sa.small_png()
            uploads = tuple(
                sa.Upload(m["id"], "材料.pdf", pdf, "application/pdf")
                if "pdf" in m["allowed_types"]
                else sa.Upload(m["id"], "照片.png", png, "image/png")
                for m in item["materials"]
                if m["necessity"] == "required"
            )
            ctx.journey = sa.Journey(code=ctx.fixtures["item_code"], uploads=uploads)
    return ctx.journey


def _start(client: Client, journey, *, timed: bool) -> str:
    started = client.post_form(f"/services/{journey.code}/apply/", {}, timed=timed)
    match = re.fullmatch(r"/applications/(\d+)/form/", urllib.parse.urlsplit(started.location).path)
    if started.status not in REDIRECT or not match:
        raise Unexpected(f"start: {started.status} {started.location}")
    return match[1]


def _fill(client: Client, journey, app_id: str, n: int, *, timed: bool) -> None:
    answers = {
        "name": f"压测市民{n}",
        "resident_id": resident_id(n),
        "phone": str(13900000000 + n),
        "address": f"云州市东湖街道压测路{n}号",
        "reason": "在东湖街道居住满半年，申领居住证。",
    }
    expect(client.post_form(f"/applications/{app_id}/form/", answers, timed=timed), REDIRECT, "form")
    for upload in journey.uploads:
        response = client.post_file(
            f"/applications/{app_id}/materials/",
            {"requirement_id": str(upload.requirement_id)},
            name=upload.name,
            content=upload.content,
            mime=upload.mime,
            timed=timed,
        )
        expect(response, REDIRECT, "upload")


def _submit(client: Client, app_id: str) -> None:
    response = client.post_form(f"/applications/{app_id}/check/", {})
    if response.status not in REDIRECT or not response.location.rstrip("/").endswith(f"{app_id}/receipt"):
        raise Unexpected(f"submit: {response.status} {response.location}")


def _journey_client(ctx: Context, n: int, samples: Samples) -> tuple[Client, Any, int]:
    return _citizen(ctx, n, samples), _journey(ctx), n


def journey(ctx: Context, state) -> bool:
    """开始办理, the form, the uploads (scanned), 提交申请: every request timed."""
    client, journey_, n = state
    app_id = _start(client, journey_, timed=True)
    _fill(client, journey_, app_id, n, timed=True)
    _submit(client, app_id)
    return True


def _drafts(ctx: Context, n: int, samples: Samples) -> tuple[Client, list[Any]]:
    """Ready-to-submit drafts for the submit path, made before the clock starts (one per item and
    applicant at a time, so each draft is submitted before the next is started)."""
    client, journey_, _ = _journey_client(ctx, n, samples)
    return client, [journey_] * ctx.fixtures["submits_per_client"]


def submit_only(ctx: Context, state) -> bool:
    client, todo = state
    if not todo:
        return False
    journey_ = todo.pop()
    app_id = _start(client, journey_, timed=False)
    _fill(client, journey_, app_id, 0, timed=False)
    _submit(client, app_id)
    return True


def status_query(ctx: Context, client: Client) -> bool:
    number, resident = random.choice(ctx.fixtures["status_queries"])
    client.new_address()  # one visitor per query: the per-address limit is for guessers
    expect(client.post_form("/status/", {"number": number, "resident_id": resident}), (200,), "办件查询")
    return True


def _anonymous(ctx: Context, n: int, samples: Samples) -> Client:
    client = ctx.client(samples)
    client.get("/status/", timed=False)
    return client


def my_applications(ctx: Context, client: Client) -> bool:
    expect(client.get("/my/applications/"), (200,), "我的办件")
    return True


def my_data_usage(ctx: Context, client: Client) -> bool:
    expect(client.get("/account/data-usage/"), (200,), "数据使用记录")
    return True


def _anonymous_samples(ctx: Context, n: int, samples: Samples) -> Samples:
    return samples


def login(ctx: Context, samples: Samples) -> bool:
    """A fresh browser each time: the login page (untimed), then the password POST."""
    client = ctx.client(samples)
    client.get("/account/login/", timed=False)
    phone = random.choice(ctx.fixtures["clone_phones"])
    response = client.post_form("/account/login/", {"phone": phone, "password": ctx.fixtures["password"]})
    expect(response, REDIRECT, "login")
    return True


# ---------------------------------------------------------------------------------------------- staff


def _staff(name: str) -> Callable[[Context, int, Samples], Client]:
    def prepare(ctx: Context, n: int, samples: Samples) -> Client:
        client = ctx.client(samples, session=ctx.fixtures["staff_sessions"][name])
        client.get("/staff/", timed=False)
        return client

    return prepare


def inbox(ctx: Context, client: Client) -> bool:
    expect(client.get("/staff/tasks/"), (200,), "待办")
    return True


def board(ctx: Context, client: Client) -> bool:
    expect(client.get("/staff/supervision/"), (200,), "督办")
    return True


def _flow_cases(ctx: Context, n: int, samples: Samples) -> tuple[dict[str, Client], list[int]]:
    """Submitted applications for the flow (through the services, untimed), and the staff."""
    from city import templates

    clients = {who: _staff(who)(ctx, n, samples) for who in ("clerk", "reviewer", "approver")}
    from tongban.catalog.selectors import published_item_snapshot

    item = published_item_snapshot(ctx.fixtures["item_code"])
    files = ctx.fixtures["_files"]
    citizen = ctx.fixtures["citizen_ids"][n % len(ctx.fixtures["citizen_ids"])]
    cases = [templates.submit(item, citizen, files, n) for _ in range(ctx.fixtures["flow_per_client"])]
    return clients, cases


def _open_task(application_id: int, step: str) -> uuid.UUID:
    from tongban.workflow.selectors import open_tasks_of

    return next(t.id for t in open_tasks_of(f"application:{application_id}") if t.step == step)


def flow(ctx: Context, state) -> bool:
    """The standard flow's 5 steps, each 签收 (claim) and 办理 (complete) on the task pages."""
    clients, cases = state
    if not cases:
        return False
    application_id = cases.pop()
    for step, who, action, opinion, extra in STEPS:
        client = clients[who]
        task = _open_task(application_id, step)
        expect(client.post_form(f"/staff/tasks/{task}/claim/", {}), REDIRECT, f"claim {step}")
        fields = {"action": action, "opinion": opinion, **extra}
        expect(client.post_form(f"/staff/tasks/{task}/", fields), REDIRECT, f"complete {step}")
    return True


# ------------------------------------------------------------------------------------------ catalogue

SEARCH_TERMS = [
    "居住证",
    "营业执照",
    "结婚登记",
    "社保",
    "公积金提取",
    "出生医学证明",
    "食品经营许可",
    "养老",
]


def search(ctx: Context, client: Client) -> bool:
    query = urllib.parse.urlencode({"q": random.choice(SEARCH_TERMS)})
    expect(client.get(f"/search/?{query}"), (200,), "检索")
    return True


def _publishable(ctx: Context, n: int, samples: Samples) -> tuple[Client, list[int]]:
    """Drafts of items the clerk edits (catalog_editor), started before the clock (untimed)."""
    client = _staff("clerk")(ctx, n, samples)
    items = ctx.fixtures["editable_items"][n :: ctx.fixtures["clients"]][
        : ctx.fixtures["publishes_per_client"]
    ]
    versions = []
    for item_id in items:
        response = client.post_json(
            f"/api/v1/catalog/staff/items/{item_id}/draft/", b"{}", headers={}, timed=False
        )
        if response.status == 201:
            versions.append(json.loads(response.body)["version_id"])
    return client, versions


def publish(ctx: Context, state) -> bool:
    client, versions = state
    if not versions:
        return False
    version = versions.pop()
    response = client.post_json(f"/api/v1/catalog/staff/versions/{version}/publish/", b"{}", headers={})
    expect(response, (200,), "publish")
    return True


# ------------------------------------------------------------------------------------------- exchange


def _exchange(ctx: Context, n: int, samples: Samples) -> tuple[Client, str]:
    setup = ctx.fixtures["exchange"]
    client = ctx.client(samples)
    basic = base64.b64encode(f"{setup['client_id']}:{setup['client_secret']}".encode()).decode()
    data = urllib.parse.urlencode({"grant_type": "client_credentials"}).encode()
    response = client.request(
        "/api/exchange/v1/oauth/token/",
        data=data,
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Basic {basic}"},
        timed=False,
    )
    expect(response, (200,), "exchange token")
    return client, json.loads(response.body)["access_token"]


def exchange_query(ctx: Context, state) -> bool:
    client, token = state
    setup = ctx.fixtures["exchange"]
    body = json.dumps(
        {
            "subject": random.choice(setup["subjects"]),
            "purpose": setup["purpose"],
            "case_ref": f"HY-{uuid.uuid4().hex[:8]}",
        }
    ).encode()
    headers = {
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": f"bench-{uuid.uuid4()}",
        "X-Timestamp": str(int(time.time())),
    }
    expect(
        client.post_json(f"/api/exchange/v1/resources/{setup['resource']}/query/", body, headers=headers),
        (200,),
        "exchange",
    )
    return True


# ---------------------------------------------------------------------------------------------- table

# (name, unit, ceiling compared with, goal, one unit, preparation, prepared work instead of a duration,
# requests/s estimated from latency because untimed requests come between the timed ones)
PATHS = [
    Path("ceiling POST (bare Django, 1 insert)", "requests", "", "", ceiling_post, _ceiling_client),
    Path("ceiling GET (bare Django, 1 row by key)", "requests", "", "", ceiling_get, _ceiling_keys),
    Path(
        "citizen journey, scanning on (5 requests)",
        "applications",
        "POST",
        "≥ 40 applications/s",
        journey,
        _journey_client,
    ),
    Path("submit POST alone", "requests", "POST", "≥ 30 % of POST ceiling", submit_only, _drafts, True, True),
    Path(
        "办件查询 (public status query)",
        "requests",
        "GET",
        "≥ 50 % of GET, p99 < 50 ms",
        status_query,
        _anonymous,
    ),
    Path("我的办件", "requests", "GET", "≥ 50 % of GET, p99 < 50 ms", my_applications, _citizen),
    Path("staff 待办 inbox", "requests", "GET", "p99 < 100 ms", inbox, _staff("clerk")),
    Path("supervision board", "requests", "GET", "p99 < 100 ms", board, _staff("supervisor")),
    Path(
        "standard flow, task pages (5 × claim + complete)",
        "instances",
        "POST",
        "≥ 100 instances/s",
        flow,
        _flow_cases,
        True,
    ),
    Path(
        "exchange query (usage log on)",
        "requests",
        "GET",
        "≥ 40 % of GET, log ≤ 1.3×",
        exchange_query,
        _exchange,
    ),
    Path("数据使用记录 (usage-log page)", "requests", "GET", "", my_data_usage, _citizen),
    Path("catalogue search", "requests", "GET", "p99 < 50 ms, best match first", search, _anonymous),
    Path("publish one item", "requests", "POST", "≤ 20 ms", publish, _publishable, True, True),
    Path("login (password)", "requests", "POST", "≤ 100 ms CPU", login, _anonymous_samples),
]
