"""Who counts as logged in on staff pages: a staff session exists only once the second factor passed in
that session (T-A5). ``StaffSecondFactorMiddleware`` applies this to every request; staff views may ask
again with ``staff_session_verified``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from tongban.accounts.models import User
from tongban.core.audit import record_request

STAFF_OTP_VERIFIED = "staff_otp_verified"


def requires_second_factor(user: User) -> bool:
    """Staff accounts, and any account allowed into the admin site, log in with an authenticator code."""
    return user.kind == User.Kind.STAFF or user.is_staff or user.is_superuser


def second_factor_passed(session: SessionBase, user_id: int) -> bool:
    return session.get(STAFF_OTP_VERIFIED) == user_id


def staff_session_verified(request: HttpRequest) -> bool:
    """Whether ``request`` comes from a staff account that passed the second factor in this session."""
    user = request.user
    return (
        isinstance(user, User)
        and requires_second_factor(user)
        and second_factor_passed(request.session, user.pk)
    )


def mark_second_factor_passed(request: HttpRequest) -> None:
    """Record, after ``login()`` gave the session a new key, that its user passed the second factor."""
    request.session[STAFF_OTP_VERIFIED] = request.user.pk


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff pages: anonymous visitors go to the staff login; anyone else who is not a verified staff
    session (citizens, password-only sessions) gets a 404 (T-B4, T-A5), recorded in the audit log."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:staff_login"))
        if getattr(request.user, "kind", "") != User.Kind.STAFF or not staff_session_verified(request):
            # A citizen or a half-logged-in session on a staff page: refused, and audited (T-J2).
            record_request(
                request, event="staff_page", object_type="url", object_id=request.path, denied=True
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
