"""``/readyz`` (readiness, every dependency) and ``/metrics`` (Prometheus). ``/metrics`` is a staff-zone
path (core.zones: the 互联网区 answers 404) and answers only a bearer token equal to
TONGBAN_METRICS_TOKEN or a client address in TONGBAN_METRICS_ALLOWED_IPS (401 otherwise)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from tongban.core.views import client_ip
from tongban.operations import metrics as prometheus
from tongban.operations.readiness import is_ready, run_checks


@never_cache
@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    ready = is_ready(results)
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503
    )


def may_scrape(request: HttpRequest) -> bool:
    token = settings.TONGBAN_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    return client_ip(request) in settings.TONGBAN_METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        response = HttpResponse("Unauthorized", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(prometheus.exposition(), content_type=CONTENT_TYPE_LATEST)
