"""The staff login is the only way into a staff session (T-A5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from tongban.accounts.access import requires_second_factor, second_factor_passed
from tongban.core.views import safe_next


def _after_second_factor(request: HttpRequest, user: Any) -> Any:
    if (
        user.is_authenticated
        and requires_second_factor(user)
        and not second_factor_passed(request.session, user.pk)
    ):
        return AnonymousUser()
    return user


class StaffSecondFactorMiddleware:
    """One authentication pipeline for staff (T-A5; the Open Forms advisory GHSA-64r3-x3gf-vp63).

    - A session of a staff account that did not pass the second factor in that very session is
      anonymous on every page and API. Whatever logged it in (the admin's own login form, a future SSO
      callback or impersonation tool), it reaches nothing a logged-out visitor cannot, and every staff
      surface, present or future, sends it to its login page without checking anything itself.
    - The admin site's own login form, password only, is never shown: it sends people to the staff login.

    Comes right after ``AuthenticationMiddleware`` (the deploy check ``accounts.E001`` says so).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.user = SimpleLazyObject(lambda: _after_second_factor(request, user))  # type: ignore[assignment]

        async def auser() -> Any:  # what async views ask for: the same answer
            return await sync_to_async(_after_second_factor)(request, user)

        request.auser = auser
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.resolver_match is not None and request.resolver_match.view_name == "admin:login":
            return redirect_to_login(
                safe_next(request, reverse("admin:index")), reverse("accounts:staff_login")
            )
        return None
