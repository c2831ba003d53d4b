"""部门管理 (/staff/departments/): the city administrator lists, adds and edits every department, a
区县系统管理员 those of its region and the regions below it (``services.departments`` has the rules).
Anyone who administers no region, and anyone naming a department outside their scope, gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.organizations import selectors
from tongban.organizations.forms import DepartmentForm, parse_id
from tongban.organizations.selectors import DepartmentRow
from tongban.organizations.services import departments as department_services


def _administrator(request: HttpRequest) -> int:
    if selectors.administered_regions(request.user.pk) == set():
        raise Http404
    return int(request.user.pk)


def _form(user_id: int, data: object = None, **kwargs: object) -> DepartmentForm:
    return DepartmentForm(
        data,
        regions=selectors.administered_region_tree(user_id),
        departments=[(row.id, row.name) for row in selectors.administered_department_rows(user_id)],
        **kwargs,
    )


def _details(form: DepartmentForm) -> department_services.DepartmentDetails:
    form.is_valid()
    data = form.cleaned_data
    return department_services.DepartmentDetails(
        name=data["name"],
        short_name=data["short_name"],
        uscc=data["uscc"],
        region_id=parse_id(data["region"] or ""),
        parent_id=parse_id(data["parent"] or ""),
        phone=data["phone"],
        is_active=data["is_active"],
    )


@require_GET
@staff_only
def department_list(request: HttpRequest) -> HttpResponse:
    """部门管理: the departments in my regions, searchable by name and filtered by region."""
    user_id = _administrator(request)
    rows = selectors.administered_department_rows(
        user_id, search=request.GET.get("q", ""), region_id=parse_id(request.GET.get("region", ""))
    )
    return render(
        request,
        "organizations/departments/list.html",
        {"rows": rows, "regions": selectors.administered_region_tree(user_id), "filters": request.GET},
    )


def _edit_page(
    request: HttpRequest, form: DepartmentForm, row: DepartmentRow | None, status: int = 200
) -> HttpResponse:
    return render(request, "organizations/departments/edit.html", {"form": form, "row": row}, status=status)


@require_http_methods(["GET", "POST"])
@staff_only
def department_create(request: HttpRequest) -> HttpResponse:
    """添加部门 in one of my regions."""
    user_id = _administrator(request)
    if request.method == "GET":
        return _edit_page(request, _form(user_id), None)
    form = _form(user_id, request.POST)
    try:
        department_services.create_department(actor_id=user_id, details=_details(form))
    except TongbanError as error:
        form.add_service_error(error)
        return _edit_page(request, form, None, status=error.status)
    messages.success(request, _("已添加部门：%(name)s") % {"name": form.cleaned_data["name"].strip()})
    return redirect("organizations:departments")


@require_http_methods(["GET", "POST"])
@staff_only
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    """修改部门 of my regions (its region and parent only among mine)."""
    user_id = _administrator(request)
    row = selectors.administered_department_row(user_id, department_id)
    if row is None:
        raise Http404
    if request.method == "GET":
        initial = {
            "name": row.name,
            "short_name": row.short_name,
            "uscc": row.uscc,
            "region": str(row.region_id),
            "parent": str(row.parent_id or ""),
            "phone": row.phone,
            "is_active": row.is_active,
        }
        return _edit_page(request, _form(user_id, initial=initial), row)
    form = _form(user_id, request.POST)
    try:
        department_services.update_department(
            actor_id=user_id, department_id=department_id, details=_details(form)
        )
    except TongbanError as error:
        if error.status == 404:
            raise Http404 from error
        form.add_service_error(error)
        return _edit_page(request, form, row, status=error.status)
    messages.success(request, _("已保存部门：%(name)s") % {"name": form.cleaned_data["name"].strip()})
    return redirect("organizations:departments")
