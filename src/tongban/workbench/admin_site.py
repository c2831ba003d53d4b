"""The Django admin is for superusers. Staff use the workbench; the one exception is catalog editing,
which has no workbench page yet (TODO #13: drop ``ADMIN_ROLES`` once 事项管理 has its own page).

Anyone else logged in as staff gets a 404 on every admin page (recorded like a refused staff page);
a visitor who is not logged in still goes to the staff login."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponseBase

from tongban.catalog.services import CATALOG_EDITOR
from tongban.core.audit import record_request
from tongban.organizations.selectors import roles_of

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# Roles whose work is still done in the admin.
ADMIN_ROLES = frozenset({CATALOG_EDITOR})


def may_use_admin(user: Any) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or any(role in ADMIN_ROLES for _department, role in roles_of(user_id=user.pk))


class StaffAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not hasattr(request, "_may_use_admin"):  # asked twice per page: here and by Django
            request._may_use_admin = may_use_admin(request.user)  # type: ignore[attr-defined]
        return request._may_use_admin  # type: ignore[attr-defined]

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        protected = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                record_request(
                    request, event="staff_page", object_type="url", object_id=request.path, denied=True
                )
                raise Http404
            return protected(request, *args, **kwargs)

        return cast(View, update_wrapper(inner, view))
