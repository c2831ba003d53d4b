"""岗位管理 (/staff/roles/): a city administrator lists the roles, adds the city's own, renames one and
deactivates or reactivates it (``services.roles`` has the rules). Anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.organizations import selectors, services
from tongban.organizations.forms import RoleForm, RoleRenameForm
from tongban.organizations.selectors import RoleRow


def _city_admin(request: HttpRequest) -> None:
    if not selectors.is_city_admin(request.user.pk):
        raise Http404


def _list_page(request: HttpRequest, form: RoleForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "organizations/roles/list.html",
        {"roles": selectors.roles_table(), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def role_list(request: HttpRequest) -> HttpResponse:
    """The roles, and the form that adds one."""
    _city_admin(request)
    if request.method == "GET":
        return _list_page(request, RoleForm())
    form = RoleForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.create_role(
            actor_id=request.user.pk, code=data["code"], name=data["name"], description=data["description"]
        )
    except TongbanError as error:
        form.add_service_error(error)
        return _list_page(request, form, status=error.status)
    messages.success(request, _("已添加岗位：%(name)s") % {"name": data["name"].strip()})
    return redirect("organizations:roles")


def _role(role_id: int) -> RoleRow:
    row = selectors.role_row(role_id)
    if row is None:
        raise Http404
    return row


def _edit_page(
    request: HttpRequest, role: RoleRow, form: RoleRenameForm, *, status_error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "organizations/roles/edit.html",
        {"role": role, "form": form, "status_error": status_error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    """修改岗位名称."""
    _city_admin(request)
    role = _role(role_id)
    if request.method == "GET":
        return _edit_page(
            request, role, RoleRenameForm(initial={"name": role.name, "description": role.description})
        )
    form = RoleRenameForm(request.POST)
    form.is_valid()
    try:
        services.rename_role(
            actor_id=request.user.pk,
            role_id=role_id,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
    except TongbanError as error:
        form.add_service_error(error)
        return _edit_page(request, role, form, status=error.status)
    messages.success(request, _("已修改岗位名称"))
    return redirect("organizations:roles")


@require_http_methods(["POST"])
@staff_only
def role_status(request: HttpRequest, role_id: int) -> HttpResponse:
    """停用 or 启用 (``active`` = 1); a refusal shows the role's page with the reasons."""
    _city_admin(request)
    role = _role(role_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_role_active(actor_id=request.user.pk, role_id=role_id, active=active)
    except TongbanError as error:
        form = RoleRenameForm(initial={"name": role.name, "description": role.description})
        return _edit_page(request, role, form, status_error=error.message, status=error.status)
    messages.success(
        request, (_("已启用岗位：%(name)s") if active else _("已停用岗位：%(name)s")) % {"name": role.name}
    )
    return redirect("organizations:roles")
