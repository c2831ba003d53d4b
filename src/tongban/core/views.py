"""Site-wide pages: elder-mode switch, health check, error pages; the download of a stored attachment."""

from urllib.parse import quote

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from rest_framework.throttling import BaseThrottle

from tongban.core.middleware import ELDER_COOKIE

ELDER_COOKIE_AGE = 365 * 24 * 3600


def attachment_download(name: str, mime_type: str, content: bytes) -> HttpResponse:
    """A stored attachment as a download under its own (UTF-8) name, never rendered by the browser
    nor sniffed as another type (T-C1, T-C2)."""
    response = HttpResponse(content, content_type=mime_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def client_ip(request: HttpRequest) -> str:
    """The client's address as the API throttles read it: TONGBAN_NUM_PROXIES hops of X-Forwarded-For,
    so a client cannot choose its own address by sending the header (T-N5)."""
    return BaseThrottle().get_ident(request) or ""


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The ``next`` parameter when it points into this site, else ``fallback`` (no open redirect)."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
def elder_mode(request: HttpRequest) -> HttpResponse:
    """``GET /elder/?on=1&next=…`` switches 长辈版 on (on=0: off) without JavaScript (UX.md)."""
    response = HttpResponseRedirect(safe_next(request))
    if request.GET.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=ELDER_COOKIE_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when this node reaches its database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)
