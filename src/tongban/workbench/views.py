"""The workbench's own pages: its home (where staff land after logging in) and the readiness check."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from tongban.accounts.access import staff_only
from tongban.applications.readiness import staffing_gaps
from tongban.organizations.selectors import administered_department_ids
from tongban.workbench.home_panels import panels_for
from tongban.workbench.nav import workbench_for


def _staff_accounts_url() -> str:
    """Where roles are granted (系统管理), once that page exists."""
    try:
        return reverse("organizations:staff_list")
    except NoReverseMatch:
        return ""


# Navigation counts a panel shows already: no card of their own on the home.
PANEL_CARD_KEYS = frozenset({"inbox", "circulation", "notices"})


@require_GET
@staff_only
def home(request: HttpRequest) -> HttpResponse:
    """工作台: where the day starts, phone first: the panels (待办 by kind, 待阅, the latest notices …:
    ``home_panels``), the other counts of the navigation as cards, the user's roles, and for
    administrators whether every online item has someone for each of its steps."""
    scope = administered_department_ids(cast(int, request.user.pk))
    administers = scope is None or bool(scope)
    shell = workbench_for(request)
    return render(
        request,
        "workbench/home.html",
        {
            "shell": shell,
            "panels": panels_for(shell) if shell else [],
            "cards": [
                link
                for link in (shell.links if shell else ())
                if link.count is not None and link.key not in PANEL_CARD_KEYS
            ],
            "administers": administers,
            "gaps": staffing_gaps(scope) if administers else [],
        },
    )


@require_GET
@staff_only
def readiness(request: HttpRequest) -> HttpResponse:
    """岗位配置检查: the steps of online items that nobody could take, in the departments the viewer
    administers (every department for a city administrator); anyone else gets a 404."""
    scope = administered_department_ids(cast(int, request.user.pk))
    if scope is not None and not scope:
        raise Http404
    return render(
        request,
        "workbench/readiness.html",
        {
            "gaps": staffing_gaps(scope),
            "citywide": scope is None,
            "staff_accounts_url": _staff_accounts_url(),
        },
    )
