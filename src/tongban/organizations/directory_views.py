"""通讯录 (/staff/directory/): the organization tree with its people for staff, a search (a POST, so
that a phone number typed in never lands in a URL or an access log: THREATS T-M1), and the page where
a person keeps their own entry and decides whether colleagues see their mobile number."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.organizations import directory, services
from tongban.organizations.directory_forms import DirectorySearchForm, MyDirectoryEntryForm


@require_http_methods(["GET", "POST"])
@staff_only
def directory_page(request: HttpRequest) -> HttpResponse:
    """The tree (GET), or the people a search finds (POST); mobile numbers only where shown."""
    form = DirectorySearchForm(request.POST if request.method == "POST" else None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    searched = request.method == "POST" and bool(query.strip())
    record_request(
        request,
        event="directory.search" if searched else "directory.view",
        object_type="directory",
        object_id="",
    )
    return render(
        request,
        "organizations/directory/directory.html",
        {
            "form": form,
            "searched": searched,
            "results": directory.search_directory(query) if searched else [],
            "tree": [] if searched else directory.directory_tree(),
            "limit": directory.SEARCH_LIMIT,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def my_entry(request: HttpRequest) -> HttpResponse:
    """我的通讯录信息: position, office phone, mobile and whether colleagues see it (off by default)."""
    user_id = cast(int, request.user.pk)
    if request.method == "GET":
        entry = directory.my_entry(user_id)
        form = MyDirectoryEntryForm(initial=entry.__dict__)
        return render(request, "organizations/directory/my_entry.html", {"form": form})
    form = MyDirectoryEntryForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.update_my_directory_entry(
            user_id=user_id,
            position=data.get("position") or "",
            office_phone=data.get("office_phone") or "",
            mobile=data.get("mobile") or "",
            shows_mobile=bool(data.get("shows_mobile")),
        )
    except TongbanError as error:
        form.add_service_error(error)
        return render(request, "organizations/directory/my_entry.html", {"form": form}, status=error.status)
    messages.success(request, _("您的通讯录信息已保存。"))
    return redirect("organizations:directory")
