"""Network zones (等保 区域边界): the same code serves the public portal on the 互联网区 and the staff
workbench on the 政务外网区. ``TONGBAN_ZONE`` says which this node is:

- ``all`` (the default, and ``make run``): everything, on one host;
- ``internet``: the portal and the citizen's and enterprise's pages. Staff pages, the staff login, the
  admin site, the staff catalogue API, the data exchange API and staff calendar feeds answer 404;
- ``extranet``: the staff side only. The portal's pages answer 404; what both sides need (static
  files, health check, language switch, the shared login and logout pages) stays.

The refusal happens before any view, session or database work (the first middleware after the
request id), so a path outside the zone behaves as an unrouted one; the nginx profiles in deploy/
also route only their zone's paths. URL names still reverse everywhere (pages of one zone may link
to the other's host).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

ALL = "all"
INTERNET = "internet"
EXTRANET = "extranet"
ZONES = (ALL, INTERNET, EXTRANET)

# Paths (without the leading slash) that belong to the government side.
STAFF_PREFIXES = (
    "staff/",
    "sso/",
    ".well-known/openid-configuration",  # the staff single sign-on provider's discovery document
    "api/exchange/",
    "api/v1/catalog/staff/",
    "meetings/feed/",
    "metrics",
)
# Paths both sides serve.
SHARED_PREFIXES = (
    "static/",
    "healthz",
    "readyz",
    "i18n/",
    "account/login/",
    "account/logout/",
    "account/logged-out/",
    "elder/",
)


def staff_prefixes() -> tuple[str, ...]:
    return (*STAFF_PREFIXES, settings.ADMIN_URL.lstrip("/"))


def zone_serves(zone: str, path: str) -> bool:
    """Whether a node of ``zone`` answers ``path`` (e.g. ``/staff/``)."""
    relative = path.lstrip("/")
    if zone == ALL or relative.startswith(SHARED_PREFIXES):
        return True
    is_staff = relative.startswith(staff_prefixes())
    return not is_staff if zone == INTERNET else is_staff


class ZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.zone = settings.TONGBAN_ZONE
        if self.zone not in ZONES:
            raise ImproperlyConfigured(f"TONGBAN_ZONE must be one of {', '.join(ZONES)}, not {self.zone!r}")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not zone_serves(self.zone, request.path_info):
            # Plain text: the portal's 404 page would reverse and link to the other zone's pages.
            return HttpResponseNotFound("Not Found", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
