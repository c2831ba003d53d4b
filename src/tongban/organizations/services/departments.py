"""部门管理 (region-scoped administration, issue 20): a city administrator adds and edits every
department, a 区县系统管理员 only those in its region and the regions below it
(``selectors.administered_regions``). A department outside the scope is not found (404); a region or
a parent department outside it is refused next to its answer; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.identifiers import is_valid_uscc
from tongban.organizations.errors import StaffError, StaffNotFound
from tongban.organizations.models import Department
from tongban.organizations.selectors import administered_departments, administered_regions


@dataclass(frozen=True)
class DepartmentDetails:
    name: str
    short_name: str
    uscc: str
    region_id: int | None
    parent_id: int | None
    phone: str
    is_active: bool = True


def _problems(actor_id: int, details: DepartmentDetails, department_id: int | None) -> dict[str, str]:
    regions = administered_regions(actor_id)
    departments = administered_departments(actor_id)
    problems: dict[str, str] = {}
    if not details.name.strip():
        problems["name"] = _("请输入部门名称")
    if not details.short_name.strip():
        problems["short_name"] = _("请输入简称")
    if not is_valid_uscc(details.uscc.strip()):
        problems["uscc"] = _("统一社会信用代码应为18位且校验位正确")
    if details.region_id is None or (regions is not None and details.region_id not in regions):
        problems["region"] = _("请选择您管理的区划")
    parent_ok = details.parent_id is None or (
        details.parent_id != department_id
        and Department.objects.filter(pk=details.parent_id).exists()
        and (departments is None or details.parent_id in departments)
    )
    if not parent_ok:
        problems["parent"] = _("请选择您管理的上级部门")
    return problems


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        error = StaffError(message, field=field)
        error.field_errors = problems
        raise error


def _save(department: Department, details: DepartmentDetails) -> None:
    assert details.region_id is not None
    department.name = details.name.strip()
    department.short_name = details.short_name.strip()
    department.uscc = details.uscc.strip().upper()
    department.region_id = details.region_id
    department.parent_id = details.parent_id
    department.phone = details.phone.strip()
    department.is_active = details.is_active
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError as exc:
        raise StaffError(_("部门名称或统一社会信用代码已被其他部门使用"), field="name") from exc


@transaction.atomic
def create_department(*, actor_id: int, details: DepartmentDetails) -> int:
    """添加部门 in a region the actor administers; returns its id. Audited as department.created."""
    if administered_regions(actor_id) == set():
        raise StaffNotFound(_("没有找到该部门"), code="not_found")
    _refuse(_problems(actor_id, details, None))
    department = Department()
    _save(department, details)
    audit.record(
        event="department.created",
        actor_id=actor_id,
        object_type="department",
        object_id=department.pk,
        department_id=department.pk,
    )
    return department.pk


@transaction.atomic
def update_department(*, actor_id: int, department_id: int, details: DepartmentDetails) -> None:
    """修改部门 the actor administers (404 outside the scope); it cannot be moved out of the scope."""
    scope = administered_departments(actor_id)
    department = Department.objects.select_for_update().filter(pk=department_id).first()
    if department is None or (scope is not None and department_id not in scope):
        raise StaffNotFound(_("没有找到该部门"), code="not_found")
    _refuse(_problems(actor_id, details, department_id))
    _save(department, details)
    audit.record(
        event="department.updated",
        actor_id=actor_id,
        object_type="department",
        object_id=department_id,
        department_id=department_id,
    )
