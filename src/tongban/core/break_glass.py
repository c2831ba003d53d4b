"""Break-glass for the Django superuser (THREATS T-B6, T-J1): in production (DEBUG off: ``TONGBAN_BREAK_GLASS_REQUIRED``) a superuser
account cannot sign in or act anywhere unless ``manage.py break_glass`` opened a time-limited window for
it, with a reason, on the server. Opening is audited (and the command alerts the security and audit
administrators); every request inside the window is audited; outside it the session is ended."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.models import BreakGlassWindow

logger = logging.getLogger(__name__)
MAX_MINUTES = 240


def open_window(*, user_id: int, reason: str, minutes: int) -> BreakGlassWindow:
    """Open a window of ``minutes`` (1–240) for the superuser ``user_id``; audited and logged at WARNING."""
    if not reason.strip():
        raise ValueError(_("必须写明原因"))
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(_("时长须在 1 到 %(max)s 分钟之间") % {"max": MAX_MINUTES})
    try:
        opened_by = getpass.getuser()
    except (KeyError, OSError):
        opened_by = ""
    now = timezone.now()
    window = BreakGlassWindow.objects.create(
        user_id=user_id,
        reason=reason.strip()[:200],
        opened_by=opened_by[:64],
        opened_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    audit.record(
        event="break_glass.opened",
        actor_id=user_id,
        object_type="user",
        object_id=user_id,
        reason=f"{minutes}min {opened_by}: {reason.strip()}",
    )
    logger.warning(
        "break-glass window opened for superuser",
        extra={
            "user_id": user_id,
            "minutes": minutes,
            "opened_by": opened_by,
            "reason": reason.strip()[:200],
        },
    )
    return window


def window_open(user_id: int) -> bool:
    return BreakGlassWindow.objects.filter(
        user_id=user_id, opened_at__lte=timezone.now(), expires_at__gt=timezone.now()
    ).exists()


def _superuser(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_superuser:
        return int(user.pk)
    return None


class BreakGlassMiddleware:
    """Refuses (and signs out) a superuser without an open window in production; audits every request
    of a superuser inside one. Runs after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.TONGBAN_BREAK_GLASS_REQUIRED:
            return self.get_response(request)
        user_id = _superuser(request)
        if user_id is not None:
            if not window_open(user_id):
                return self._refuse(request, user_id)
            audit.record_request(
                request,
                event="break_glass.request",
                object_type="url",
                object_id=request.path,
                reason=request.method or "",
            )
        response = self.get_response(request)
        if user_id is None and (signed_in := _superuser(request)) is not None and not window_open(signed_in):
            return self._refuse(request, signed_in)  # the sign-in that just happened does not stand
        return response

    def _refuse(self, request: HttpRequest, user_id: int) -> HttpResponse:
        audit.record_request(
            request, event="break_glass.refused", object_type="url", object_id=request.path, denied=True
        )
        logout(request)
        return HttpResponseForbidden(
            _("超级用户账户只能在运维人员用 manage.py break_glass 开启的限时窗口内登录。").encode()
        )
