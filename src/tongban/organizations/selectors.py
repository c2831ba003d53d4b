"""Reads of regions, departments, halls and staff roles."""

from __future__ import annotations

from dataclasses import dataclass

from tongban.organizations.models import Department, Region, ServiceHall, StaffAssignment, StaffRole
from tongban.organizations.types import DepartmentRef, HallRef, RegionRef


def _department_ref(d: Department) -> DepartmentRef:
    return DepartmentRef(
        id=d.pk, name=d.name, short_name=d.short_name, uscc=d.uscc, region_id=d.region_id, phone=d.phone
    )


def _region_ref(r: Region) -> RegionRef:
    return RegionRef(id=r.pk, code=r.code, name=r.name, level=r.level)


def region_ref(region_id: int) -> RegionRef:
    return _region_ref(Region.objects.get(pk=region_id))


def region_by_code(code: str) -> RegionRef | None:
    region = Region.objects.filter(code=code).first()
    return _region_ref(region) if region else None


def department_ref(department_id: int) -> DepartmentRef:
    return _department_ref(Department.objects.get(pk=department_id))


def department_by_name(name: str) -> DepartmentRef | None:
    department = Department.objects.filter(name=name).first()
    return _department_ref(department) if department else None


def departments_by_ids(ids: list[int] | set[int]) -> dict[int, DepartmentRef]:
    return {d.pk: _department_ref(d) for d in Department.objects.filter(pk__in=ids)}


def hall_ref(hall_id: int) -> HallRef:
    h = ServiceHall.objects.get(pk=hall_id)
    return HallRef(
        id=h.pk, name=h.name, address=h.address, hours=h.hours, phone=h.phone, directions=h.directions
    )


def hall_by_name(name: str) -> HallRef | None:
    hall = ServiceHall.objects.filter(name=name).first()
    return hall_ref(hall.pk) if hall else None


@dataclass(frozen=True)
class RegionWithDepartments:
    region: RegionRef
    departments: list[DepartmentRef]


def active_departments_by_region() -> list[RegionWithDepartments]:
    """Active departments grouped by their region, regions in code order (for the portal)."""
    groups: dict[int, RegionWithDepartments] = {}
    for department in (
        Department.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__code", "parent_id", "name")
    ):
        group = groups.setdefault(
            department.region_id, RegionWithDepartments(region=_region_ref(department.region), departments=[])
        )
        group.departments.append(_department_ref(department))
    return list(groups.values())


def regions_tree() -> list[tuple[RegionRef, int]]:
    """All regions depth-first with their depth (0 = city), for an indented list."""
    regions = list(Region.objects.all())
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    ordered: list[tuple[RegionRef, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for child in sorted(children.get(parent_id, []), key=lambda r: r.code):
            ordered.append((_region_ref(child), depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


def region_and_descendant_ids(region_id: int) -> set[int]:
    """The region and every region below it."""
    ids = {region_id}
    frontier = [region_id]
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def department_ids_in_regions(region_ids: set[int]) -> list[int]:
    return list(
        Department.objects.filter(region_id__in=region_ids, is_active=True).values_list("pk", flat=True)
    )


def department_ids_for(*, user_id: int, role: str) -> set[int]:
    """Departments in which the user holds ``role``: the scope of every staff permission."""
    return set(
        StaffAssignment.objects.filter(user_id=user_id, role=role, department__is_active=True).values_list(
            "department_id", flat=True
        )
    )


# Who is told about city-wide set-up gaps (a missing holiday calendar): department administrators and
# the city-level roles.
ADMINISTRATOR_ROLES = (StaffRole.DEPARTMENT_ADMIN, StaffRole.CITY_SUPERVISOR)


def is_administrator(*, user_id: int) -> bool:
    """True for a department administrator (any department) or a holder of a city-level role."""
    return StaffAssignment.objects.filter(
        user_id=user_id, role__in=ADMINISTRATOR_ROLES, department__is_active=True
    ).exists()


def roles_of(*, user_id: int) -> list[tuple[int, str]]:
    return list(StaffAssignment.objects.filter(user_id=user_id).values_list("department_id", "role"))


def staff_ids_with_role(*, department_id: int, role: str) -> list[int]:
    """Everyone holding ``role`` in the department (the candidates of an unclaimed task)."""
    return list(
        StaffAssignment.objects.filter(department_id=department_id, role=role).values_list(
            "user_id", flat=True
        )
    )


def staff_ids_in_department(department_id: int) -> set[int]:
    """Everyone holding any role in the department."""
    return set(StaffAssignment.objects.filter(department_id=department_id).values_list("user_id", flat=True))
