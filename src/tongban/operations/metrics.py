"""Prometheus metrics (``/metrics``), with ``prometheus_client``.

gunicorn runs several worker processes: with ``PROMETHEUS_MULTIPROC_DIR`` set (before start-up, to an
empty directory the workers share) every process writes its counters and histograms there and a scrape
of any worker adds them up (``MultiProcessCollector``). Without it (``make run``, tests) the process's
own registry is served. Values computed at scrape time (queue depth, case counts) are collectors of
their own and never go through those files.

Metrics (docs/operations.md says what each means and which alerts read them):
- ``tongban_http_request_duration_seconds{view, method, status}``: histogram of request latency by URL
  name (never the raw path: bounded label values), method and status class (2xx…5xx);
- ``tongban_celery_tasks_total{task, outcome}``: finished Celery tasks, outcome success or failure;
- ``tongban_login_failures_total``: failed sign-ins (django's user_login_failed);
- ``tongban_celery_queue_depth{queue}``: messages waiting in the Redis broker's queue;
- ``tongban_cases{status}`` and ``tongban_cases_overdue``: 办件 by state, and open ones past their
  promised date, from one GROUP BY cached ~30 s in the shared cache so scrapes do not load the database.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "<unresolved>"
CASE_COUNTS_CACHE_KEY = "operations:case-counts"
CASE_COUNTS_SECONDS = 30
REDIS_PRIORITY_SEPARATOR = "\x06\x16"
REDIS_PRIORITY_STEPS = (3, 6, 9)  # kombu's default steps: 0 is the queue's own key

REQUEST_DURATION = Histogram(
    "tongban_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
TASKS = Counter(
    "tongban_celery_tasks", "Celery tasks finished, by task name and outcome.", ["task", "outcome"]
)
LOGIN_FAILURES = Counter("tongban_login_failures", "Failed sign-ins (wrong password or code).")


def observe_request(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    view = (match.view_name or UNRESOLVED) if match else UNRESOLVED
    method = request.method if request.method in METHODS else "OTHER"
    REQUEST_DURATION.labels(view, method, f"{response.status_code // 100}xx").observe(seconds)


class RequestMetricsMiddleware:
    """Times every request (first in MIDDLEWARE after the request id, so refusals count too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response, time.perf_counter() - started)
        return response


def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(getattr(sender, "name", "unknown"), "success").inc()


def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(getattr(sender, "name", "unknown"), "failure").inc()


def _login_failed(**kwargs: Any) -> None:
    LOGIN_FAILURES.inc()


def connect_signals() -> None:
    from celery.signals import task_failure, task_success
    from django.contrib.auth.signals import user_login_failed

    task_success.connect(_task_succeeded, weak=False, dispatch_uid="operations.task_success")
    task_failure.connect(_task_failed, weak=False, dispatch_uid="operations.task_failure")
    user_login_failed.connect(_login_failed, weak=False, dispatch_uid="operations.login_failed")


def broker_queue_depth(queue: str = "celery") -> int | None:
    """Messages waiting in ``queue`` of the Redis broker (its key and kombu's priority keys); None when
    the broker is not Redis (or none is configured: tasks run in-process)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        keys = [queue, *(f"{queue}{REDIS_PRIORITY_SEPARATOR}{step}" for step in REDIS_PRIORITY_STEPS)]
        pipe = client.pipeline(transaction=False)
        for key in keys:
            pipe.llen(key)
        return sum(pipe.execute())
    finally:
        client.close()


def case_counts() -> dict[str, Any]:
    """{"by_status": {status: n}, "overdue": n}, recomputed at most every ~30 s (shared cache)."""
    cached = cache.get(CASE_COUNTS_CACHE_KEY)
    if cached is not None:
        return cached
    from django.utils import timezone

    from tongban.applications.selectors import case_counts_by_status, overdue_case_count

    counts = {
        "by_status": case_counts_by_status(),
        "overdue": overdue_case_count(None, today=timezone.localdate(), with_overdue_steps=set()),
    }
    cache.set(CASE_COUNTS_CACHE_KEY, counts, timeout=CASE_COUNTS_SECONDS)
    return counts


class ScrapeTimeCollector(Collector):
    """Gauges computed when Prometheus scrapes: one failing source leaves out its metric, not the page."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            depth = broker_queue_depth()
        except Exception:
            logger.exception("queue depth unavailable")
            depth = None
        if depth is not None:
            queue = GaugeMetricFamily(
                "tongban_celery_queue_depth", "Messages waiting in the Celery broker queue.", labels=["queue"]
            )
            queue.add_metric(["celery"], depth)
            yield queue
        try:
            counts = case_counts()
        except Exception:
            logger.exception("case counts unavailable")
            return
        by_status = GaugeMetricFamily("tongban_cases", "办件 by state.", labels=["status"])
        for status, n in sorted(counts["by_status"].items()):
            by_status.add_metric([status], n)
        yield by_status
        yield GaugeMetricFamily(
            "tongban_cases_overdue",
            "Open 办件 past their promised finish date (the clock running).",
            value=counts["overdue"],
        )


def exposition() -> bytes:
    """The text of one scrape: every process's metrics (multi-process mode) or this one's, then the
    scrape-time gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
        base = generate_latest(processes)
    else:
        base = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(ScrapeTimeCollector())
    return base + generate_latest(scraped)


def child_exit(server: Any, worker: Any) -> None:
    """For gunicorn's config (``child_exit = tongban.operations.metrics.child_exit``): forget a dead
    worker's live gauges in multi-process mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
