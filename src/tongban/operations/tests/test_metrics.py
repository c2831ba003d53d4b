"""``/metrics``: who may scrape (token, allowlisted address, never the 互联网区), and what it shows:
request latency by view, the Redis broker's queue depth, task outcomes, login failures, case counts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.urls import reverse
from kombu import Connection

from tongban import celery_app
from tongban.core.tests.test_security import clean_environment
from tongban.operations import metrics

REDIS_DB14 = "redis://127.0.0.1:6379/14"
OUTSIDER = "203.0.113.7"
TOKEN = "metrics-token-for-this-test-only-0123456789"
PROJECT = Path(__file__).resolve().parents[4]


def _value(text: str, name: str, **labels: str) -> float | None:
    """The sample ``name{labels}`` in an exposition, or None."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        metric, _, label_text = sample.partition("{")
        found = dict(re.findall(r'(\w+)="([^"]*)"', label_text))
        if metric == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return None


@pytest.fixture
def scrape(client, settings):
    settings.TONGBAN_METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = ""
    cache.delete(metrics.CASE_COUNTS_CACHE_KEY)

    def _scrape() -> str:
        response = client.get(reverse("operations:metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return _scrape


@pytest.mark.parametrize(
    ("remote_addr", "authorization", "status"),
    [
        ("127.0.0.1", "", 200),  # Prometheus on the node itself
        (OUTSIDER, "", 401),
        (OUTSIDER, "Bearer wrong-token", 401),
        (OUTSIDER, f"Basic {TOKEN}", 401),
        ("127.0.0.1", "Bearer wrong-token", 401),  # a wrong token is refused wherever it comes from
        (OUTSIDER, f"Bearer {TOKEN}", 200),
    ],
)
def test_metrics_need_the_token_or_an_allowlisted_address(
    client, db, settings, remote_addr, authorization, status
):
    settings.TONGBAN_METRICS_TOKEN = TOKEN
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get(reverse("operations:metrics"), REMOTE_ADDR=remote_addr, **headers)
    assert response.status_code == status
    if status == 401:
        assert "tongban_" not in response.content.decode()


def test_without_a_token_only_the_allowlist_scrapes(client, db, settings):
    settings.TONGBAN_METRICS_TOKEN = ""
    assert (
        client.get(
            reverse("operations:metrics"), REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION="Bearer "
        ).status_code
        == 401
    )
    settings.TONGBAN_METRICS_ALLOWED_IPS = [OUTSIDER]
    assert client.get(reverse("operations:metrics"), REMOTE_ADDR=OUTSIDER).status_code == 200


def test_the_address_behind_a_proxy_is_the_forwarded_one(client, db, settings):
    # nginx on the node connects from 127.0.0.1: with TONGBAN_NUM_PROXIES=1 the client is the forwarded address.
    settings.TONGBAN_METRICS_TOKEN = ""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    response = client.get(
        reverse("operations:metrics"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDER
    )
    assert response.status_code == 401


@pytest.mark.parametrize(("zone", "status"), [("internet", 404), ("extranet", 200), ("all", 200)])
def test_metrics_are_never_served_on_the_internet_zone(client, db, settings, zone, status):
    settings.TONGBAN_ZONE = zone
    settings.TONGBAN_METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == status


def test_request_latency_is_recorded_by_view_method_and_status_class(client, db, scrape):
    before = (
        _value(
            scrape(),
            "tongban_http_request_duration_seconds_count",
            view="core:health",
            method="GET",
            status="2xx",
        )
        or 0
    )
    client.get(reverse("core:health"))
    client.get(reverse("core:health"))
    client.post(reverse("core:health"))
    text = scrape()
    assert (
        _value(
            text,
            "tongban_http_request_duration_seconds_count",
            view="core:health",
            method="GET",
            status="2xx",
        )
        == before + 2
    )
    assert (
        _value(
            text,
            "tongban_http_request_duration_seconds_count",
            view="core:health",
            method="POST",
            status="4xx",
        )
        >= 1
    )
    client.get("/no/such/page/at/all/")
    assert "/no/such" not in scrape()  # raw paths never become label values


def test_queue_depth_is_the_length_of_the_redis_broker_queue(db, scrape, settings):
    settings.CELERY_BROKER_URL = REDIS_DB14
    with Connection(REDIS_DB14) as conn:
        queue = conn.SimpleQueue("celery")
        queue.clear()
        try:
            assert _value(scrape(), "tongban_celery_queue_depth", queue="celery") == 0
            for n in range(3):
                queue.put({"n": n})
            assert _value(scrape(), "tongban_celery_queue_depth", queue="celery") == 3
        finally:
            queue.clear()
            queue.close()


def test_no_queue_depth_when_tasks_run_in_process(db, scrape):
    assert "tongban_celery_queue_depth" not in scrape()


@celery_app.task(name="operations.tests.adds")
def _adds(a: int, b: int) -> int:
    return a + b


@celery_app.task(name="operations.tests.fails")
def _fails() -> None:
    raise ValueError("boom")


def test_task_successes_and_failures_are_counted_by_task(db, scrape):
    text = scrape()
    ok_before = (
        _value(text, "tongban_celery_tasks_total", task="operations.tests.adds", outcome="success") or 0
    )
    failed_before = (
        _value(text, "tongban_celery_tasks_total", task="operations.tests.fails", outcome="failure") or 0
    )
    _adds.apply(args=(1, 2))
    _adds.apply(args=(3, 4))
    _fails.apply()
    text = scrape()
    assert (
        _value(text, "tongban_celery_tasks_total", task="operations.tests.adds", outcome="success")
        == ok_before + 2
    )
    assert (
        _value(text, "tongban_celery_tasks_total", task="operations.tests.fails", outcome="failure")
        == failed_before + 1
    )


def test_login_failures_are_counted(db, scrape):
    before = _value(scrape(), "tongban_login_failures_total") or 0
    assert authenticate(username="nobody", password="wrong-password") is None
    assert _value(scrape(), "tongban_login_failures_total") == before + 1


def test_case_counts_by_state_come_from_one_query_cached_between_scrapes(
    db, scrape, department, publish_item, django_assert_max_num_queries
):
    from tongban.accounts.services import ensure_user
    from tongban.applications import services

    item = publish_item(department)

    def start(n: int) -> None:
        citizen = ensure_user(username=f"1380000001{n}", full_name="张三", kind="citizen", password="x" * 12)
        services.start_application(
            applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
        )

    start(1)
    start(2)
    text = scrape()
    assert _value(text, "tongban_cases", status="draft") == 2
    assert _value(text, "tongban_cases_overdue") == 0
    start(3)
    with django_assert_max_num_queries(0):
        metrics.exposition()  # within ~30 s: the cached counts, no query
    assert _value(scrape(), "tongban_cases", status="draft") == 2
    cache.delete(metrics.CASE_COUNTS_CACHE_KEY)
    assert _value(scrape(), "tongban_cases", status="draft") == 3


def test_gunicorn_workers_are_added_up_in_multiprocess_mode(tmp_path):
    """Two processes observe a request each into PROMETHEUS_MULTIPROC_DIR; a third one's scrape shows both."""
    env = clean_environment(
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    observe = (
        "from tongban.operations import metrics; "
        "metrics.REQUEST_DURATION.labels('core:health', 'GET', '2xx').observe(0.01)"
    )
    show = "from tongban.operations import metrics; print(metrics.exposition().decode())"
    for code in (observe, observe, show):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(PROJECT / "manage.py"), "shell", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=PROJECT,
        )
        assert result.returncode == 0, result.stderr
    assert (
        _value(
            result.stdout,
            "tongban_http_request_duration_seconds_count",
            view="core:health",
            method="GET",
            status="2xx",
        )
        == 2
    )
    assert os.listdir(tmp_path)


def test_every_alert_reads_a_metric_the_page_serves(db, scrape, settings):
    import yaml

    settings.CELERY_BROKER_URL = REDIS_DB14
    served = {line.split(" ")[2] for line in scrape().splitlines() if line.startswith("# TYPE ")}
    rules = yaml.safe_load((PROJECT / "deploy" / "prometheus" / "alerts.yml").read_text())["groups"][0][
        "rules"
    ]
    used = {name for rule in rules for name in re.findall(r"\b(tongban_[a-z_]+)", rule["expr"])}
    suffixes = ("_bucket", "_count", "_total")
    assert used
    for name in used:
        assert name in served or any(name.endswith(s) and name.removesuffix(s) in served for s in suffixes), (
            name
        )


def test_the_dashboard_reads_only_metrics_the_page_serves(db, scrape, settings):
    import json

    settings.CELERY_BROKER_URL = REDIS_DB14
    served = {line.split(" ")[2] for line in scrape().splitlines() if line.startswith("# TYPE ")}
    dashboard = json.loads((PROJECT / "deploy" / "grafana" / "tongban-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    for name in {n for expr in exprs for n in re.findall(r"\b(tongban_[a-z_]+)", expr)}:
        base = re.sub(r"_(bucket|count|total)$", "", name)
        assert name in served or base in served, name
