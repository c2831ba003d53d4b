"""Writes to regions, departments, halls and staff roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core.identifiers import is_valid_uscc
from tongban.organizations.errors import OrganizationError
from tongban.organizations.models import (
    Department,
    Region,
    ServiceHall,
    ServiceWindow,
    StaffAssignment,
)
from tongban.organizations.selectors import (
    active_role_codes,
    department_ref,
    hall_ref,
    region_ref,
    second_administrator_role,
)
from tongban.organizations.types import DepartmentRef, HallRef, RegionRef


@dataclass(frozen=True)
class WindowSpec:
    number: str
    name: str
    department_ids: tuple[int, ...]


@transaction.atomic
def upsert_region(*, code: str, name: str, level: str, parent_code: str | None) -> RegionRef:
    """Create or update a region by its 12-digit code."""
    if len(code) != 12 or not code.isdigit():
        raise OrganizationError(_("区划代码应为12位数字"))
    if level not in Region.Level.values:
        raise OrganizationError(_("请选择区划层级"))
    parent = Region.objects.get(code=parent_code) if parent_code else None
    region, _created = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region_ref(region.pk)


@transaction.atomic
def upsert_department(
    *, name: str, short_name: str, uscc: str, region_code: str, parent_id: int | None = None, phone: str = ""
) -> DepartmentRef:
    """Create or update a department by name. The USCC must pass its GB 32100 check."""
    if not is_valid_uscc(uscc):
        raise OrganizationError(_("统一社会信用代码应为18位且校验位正确"))
    region = Region.objects.get(code=region_code)
    department, _created = Department.objects.update_or_create(
        name=name,
        defaults={
            "short_name": short_name,
            "uscc": uscc.upper(),
            "region": region,
            "parent_id": parent_id,
            "phone": phone,
        },
    )
    return department_ref(department.pk)


@transaction.atomic
def upsert_hall(
    *,
    name: str,
    region_code: str,
    address: str,
    hours: str,
    phone: str,
    directions: str = "",
    windows: list[WindowSpec] | tuple[WindowSpec, ...] = (),
) -> HallRef:
    """Create or update a service hall and its windows (by window number)."""
    hall, _created = ServiceHall.objects.update_or_create(
        name=name,
        defaults={
            "region": Region.objects.get(code=region_code),
            "address": address,
            "hours": hours,
            "phone": phone,
            "directions": directions,
        },
    )
    for spec in windows:
        window, _created = ServiceWindow.objects.update_or_create(
            hall=hall, number=spec.number, defaults={"name": spec.name}
        )
        window.departments.set(spec.department_ids)
    return hall_ref(hall.pk)


@transaction.atomic
def assign_role(*, user_id: int, department_id: int, role: str) -> None:
    """Give a staff member a role in a department (idempotent)."""
    if role not in active_role_codes():
        raise OrganizationError(_("请选择岗位角色"))
    held = set(
        StaffAssignment.objects.select_for_update().filter(user_id=user_id).values_list("role", flat=True)
    )
    if second_administrator_role(held, role):
        raise OrganizationError(_("系统管理员、安全管理员和审计管理员须由不同人员担任（三权分立）"))
    StaffAssignment.objects.get_or_create(user_id=user_id, department_id=department_id, role=role)


from tongban.organizations.services.directory import (  # noqa: E402
    set_directory_order,
    set_general_office,
    update_my_directory_entry,
)
from tongban.organizations.services.roles import (  # noqa: E402
    ROLE_USAGE_CHECKS,
    create_role,
    rename_role,
    role_in_use,
    set_role_active,
)
from tongban.organizations.services.staff import (  # noqa: E402 - staff management, after the basics
    Actor,
    create_staff,
    grant_role,
    issue_new_password,
    remove_staff_authenticator,
    set_staff_active,
    withdraw_role,
)
from tongban.organizations.services.staff_import import StaffLine, import_staff  # noqa: E402

__all__ = [
    "ROLE_USAGE_CHECKS",
    "Actor",
    "StaffLine",
    "WindowSpec",
    "assign_role",
    "create_role",
    "create_staff",
    "grant_role",
    "import_staff",
    "issue_new_password",
    "remove_staff_authenticator",
    "rename_role",
    "role_in_use",
    "set_directory_order",
    "set_general_office",
    "set_role_active",
    "set_staff_active",
    "update_my_directory_entry",
    "upsert_department",
    "upsert_hall",
    "upsert_region",
    "withdraw_role",
]
