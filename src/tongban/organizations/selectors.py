"""Reads of regions, departments, halls and staff roles."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from tongban.accounts.selectors import is_superuser, staff_account, staff_accounts
from tongban.accounts.types import StaffAccountPage
from tongban.organizations.models import (
    Department,
    Region,
    Role,
    ServiceHall,
    ServiceWindow,
    StaffAssignment,
    StaffRole,
)
from tongban.organizations.open_work import open_work_of
from tongban.organizations.types import (
    DepartmentRef,
    HallRef,
    OpenWork,
    RegionRef,
    RoleGrant,
    StaffListPage,
    StaffMember,
    StaffRow,
    StaffScope,
    WindowRef,
)

# Roles that reach beyond one department: only a security administrator grants or withdraws them.
CITY_WIDE_ROLES = frozenset(
    {
        StaffRole.CITY_ADMIN.value,
        StaffRole.CITY_SUPERVISOR.value,
        StaffRole.SECURITY_ADMIN.value,
        StaffRole.AUDIT_ADMIN.value,
        StaffRole.REGION_ADMIN.value,
    }
)
# 三权分立: no account holds two of these (organizations.services enforce it on every grant).
SEPARATED_ADMIN_ROLES = frozenset(
    {StaffRole.CITY_ADMIN.value, StaffRole.SECURITY_ADMIN.value, StaffRole.AUDIT_ADMIN.value}
    | {StaffRole.REGION_ADMIN.value}  # a county's 系统管理员
)
AUDIT_ADMIN = StaffRole.AUDIT_ADMIN.value
SECURITY_ADMIN = StaffRole.SECURITY_ADMIN.value


def second_administrator_role(held: set[str] | frozenset[str], adding: str) -> str | None:
    """The administrator role already held that ``adding`` would join (三权分立), or None."""
    if adding not in SEPARATED_ADMIN_ROLES:
        return None
    return next(iter(sorted((held & SEPARATED_ADMIN_ROLES) - {adding})), None)


STAFF_PER_PAGE = 50


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


def windows_serving(department_ids: set[int]) -> list[WindowRef]:
    """The windows staffed for any of the departments, one ref per (window, department), by hall and
    window number."""
    pairs = (
        ServiceWindow.departments.through.objects.filter(department_id__in=department_ids)
        .select_related("servicewindow__hall")
        .order_by("servicewindow__hall__name", "servicewindow__number", "department_id")
    )
    return [
        WindowRef(
            id=pair.servicewindow_id,
            hall_id=pair.servicewindow.hall_id,
            hall_name=pair.servicewindow.hall.name,
            number=pair.servicewindow.number,
            name=pair.servicewindow.name,
            department_id=pair.department_id,
        )
        for pair in pairs
    ]


def hall_windows(hall_id: int) -> list[WindowRef]:
    """The windows of a hall, one ref per (window, department), by window number."""
    departments = {d.pk for d in Department.objects.filter(windows__hall_id=hall_id)}
    return [w for w in windows_serving(departments) if w.hall_id == hall_id]


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


# Who reads a department's cases (the application, its answers, its materials with the uploaded ID
# documents, its process and approval sheet) through a role; THREATS T-B3, docs/threats.md.
# - 受理, 审核, 审批 (clerk, reviewer, approver) handle the department's cases.
# - 监察人员 (supervisor) read their departments' cases and 全市电子监察 (city_supervisor) every
#   department's: the 电子监察 board lists those cases and links to them, and 督办 needs them read.
# - 事项管理员 (catalog_editor) and 部门管理员 (department_admin: process definitions, 流程监控 and
#   重置处理人, 证照注销, 共享申请) do not; none of their pages shows a case. Like anyone, they read a case
#   while an open task of it is theirs to act on, or after it was copied to them (抄送).
CASE_HANDLING_ROLES = frozenset({StaffRole.CLERK.value, StaffRole.REVIEWER.value, StaffRole.APPROVER.value})
CITYWIDE_CASE_ROLES = frozenset({StaffRole.CITY_SUPERVISOR.value})
CASE_ROLES = CASE_HANDLING_ROLES | {StaffRole.SUPERVISOR.value} | CITYWIDE_CASE_ROLES


def case_department_ids_for(*, user_id: int) -> set[int] | None:
    """Departments whose cases the user reads through a role of CASE_ROLES (see there); None means
    every department (全市电子监察), an empty set none."""
    held = list(
        StaffAssignment.objects.filter(
            user_id=user_id, role__in=CASE_ROLES, department__is_active=True
        ).values_list("department_id", "role")
    )
    if any(role in CITYWIDE_CASE_ROLES for _department_id, role in held):
        return None
    return {department_id for department_id, _role in held}


# Who is told about city-wide set-up gaps (a missing holiday calendar): department administrators and
# the city-level roles.
ADMINISTRATOR_ROLES = (StaffRole.DEPARTMENT_ADMIN, StaffRole.CITY_SUPERVISOR, StaffRole.CITY_ADMIN)


def is_administrator(*, user_id: int) -> bool:
    """True for a department administrator (any department) or a holder of a city-level role."""
    return StaffAssignment.objects.filter(
        user_id=user_id, role__in=ADMINISTRATOR_ROLES, department__is_active=True
    ).exists()


def roles_of(*, user_id: int) -> list[tuple[int, str]]:
    return list(StaffAssignment.objects.filter(user_id=user_id).values_list("department_id", "role"))


def staff_ids_with_role(*, department_id: int, role: str) -> list[int]:
    """Everyone active holding ``role`` in the department (the candidates of an unclaimed task). A
    deactivated leaver keeps their roles for a return, but is nobody's candidate, signer or colleague."""
    return list(
        StaffAssignment.objects.filter(
            department_id=department_id, role=role, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def staff_ids_in_active_departments() -> set[int]:
    """Everyone active holding a role in an active department (whom a person may be chosen from)."""
    return set(
        StaffAssignment.objects.filter(user__is_active=True, department__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def staff_ids_in_department(department_id: int) -> set[int]:
    """Everyone active holding any role in the department."""
    return set(
        StaffAssignment.objects.filter(department_id=department_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


# Who administers which departments (staff accounts, the readiness check).
CITY_ADMIN = StaffRole.CITY_ADMIN.value
DEPARTMENT_ADMIN = StaffRole.DEPARTMENT_ADMIN.value
DEPARTMENT_HEAD = StaffRole.DEPARTMENT_HEAD.value


def administered_department_ids(user_id: int) -> set[int] | None:
    """The departments the user administers: None for a city administrator (every department), else
    those where they are 部门管理员 (an empty set: none)."""
    if is_city_admin(user_id):
        return None
    return department_ids_for(user_id=user_id, role=DEPARTMENT_ADMIN)


@dataclass(frozen=True)
class AssignmentRef:
    department_id: int
    department_name: str  # the short name
    role: str
    role_label: str


def assignments_of(user_id: int) -> list[AssignmentRef]:
    """The user's roles in active departments, by department then role (one query: the role names
    come with them)."""
    rows = (
        StaffAssignment.objects.filter(user_id=user_id, department__is_active=True)
        .annotate(role_name=Subquery(Role.objects.filter(code=OuterRef("role")).values("name")[:1]))
        .order_by("department__short_name", "role")
        .values_list("department_id", "department__short_name", "role", "role_name")
    )
    return [
        AssignmentRef(
            department_id=d, department_name=name, role=role, role_label=role_name or _builtin_label(role)
        )
        for d, name, role, role_name in rows
    ]


def _builtin_label(role: str) -> str:
    return str(StaffRole(role).label) if role in StaffRole.values else role


def role_label(role: str) -> str:
    """A role's name (受理人员, a city's 财务审核 …), or the code itself for a role the platform does not
    know."""
    name = Role.objects.filter(code=role).values_list("name", flat=True).first()
    return name or _builtin_label(role)


def role_labels() -> dict[str, str]:
    """Every role's name by code (one query), active or not: labels of assignments and steps."""
    labels = {value: str(label) for value, label in StaffRole.choices}
    labels.update(Role.objects.values_list("code", "name"))
    return labels


def active_role_codes() -> set[str]:
    """The codes an assignment or a process step may name: the active roles. Built-in roles are never
    deactivated, so they count even where the table was emptied (a flushed test database)."""
    return set(StaffRole.values) | set(Role.objects.filter(is_active=True).values_list("code", flat=True))


@dataclass(frozen=True)
class RoleRow:
    id: int
    code: str
    name: str
    description: str
    is_builtin: bool
    is_active: bool
    holders: int  # assignments naming it


def roles_table() -> list[RoleRow]:
    """岗位管理: every role, built-in first, with how many assignments name it."""
    held: dict[str, int] = {}
    for code in StaffAssignment.objects.values_list("role", flat=True):
        held[code] = held.get(code, 0) + 1
    return [
        RoleRow(
            id=r.pk,
            code=r.code,
            name=r.name,
            description=r.description,
            is_builtin=r.is_builtin,
            is_active=r.is_active,
            holders=held.get(r.code, 0),
        )
        for r in Role.objects.all()
    ]


def role_row(role_id: int) -> RoleRow | None:
    return next((row for row in roles_table() if row.id == role_id), None)


def department_ancestor(department_id: int, levels: int) -> int | None:
    """The department ``levels`` steps up ``Department.parent`` from ``department_id`` (0: itself), or
    None when the tree is not that deep."""
    current = department_id
    for _level in range(levels):
        parent = Department.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        if parent is None:
            return None
        current = parent
    return current


def staffed_roles(department_ids: set[int] | None = None) -> set[tuple[int, str]]:
    """(department, role) pairs held by at least one active staff account: who could take a task that
    arrives there (the departments given, or all)."""
    held = StaffAssignment.objects.filter(user__is_active=True, user__kind="staff")
    if department_ids is not None:
        held = held.filter(department_id__in=department_ids)
    return set(held.order_by().values_list("department_id", "role").distinct())


def is_city_admin(user_id: int) -> bool:
    """Whether ``user_id`` administers the staff and roles of every department: a superuser, or the holder
    of city_admin (全市系统管理员) in an active department. One small function: the workbench asks it too."""
    return StaffAssignment.objects.filter(
        user_id=user_id, role=StaffRole.CITY_ADMIN, department__is_active=True
    ).exists() or is_superuser(user_id)


# --- Region-scoped administration (issue 20, docs/administrators.md) -------------------------------
REGION_ADMIN = StaffRole.REGION_ADMIN.value


def administered_regions(user_id: int) -> set[int] | None:
    """The regions whose departments, staff, catalog items and processes the user administers: None for
    a city administrator (every region); for a 区县系统管理员 (region_admin) the region of each department
    where the role is held and every region below it; else an empty set."""
    if is_city_admin(user_id):
        return None
    held = set(
        StaffAssignment.objects.filter(
            user_id=user_id, role=REGION_ADMIN, department__is_active=True
        ).values_list("department__region_id", flat=True)
    )
    return set().union(*(region_and_descendant_ids(region_id) for region_id in held))


def administered_departments(user_id: int) -> set[int] | None:
    """The departments (active or not) in the regions the user administers (``administered_regions``):
    None for a city administrator, an empty set for anyone who administers no region. Every
    administration page filters its lists by it and answers 404 for an object outside it (T-B2)."""
    regions = administered_regions(user_id)
    if regions is None:
        return None
    return set(Department.objects.filter(region_id__in=regions).values_list("pk", flat=True))


def administered_active_department_ids(user_id: int) -> set[int]:
    """The active departments in the regions the user administers (every one for a city administrator):
    what the catalog editor's and the process designer's scopes add to their own departments."""
    regions = administered_regions(user_id)
    active = Department.objects.filter(is_active=True)
    if regions is not None:
        active = active.filter(region_id__in=regions)
    return set(active.values_list("pk", flat=True))


def regions_administered_or_held(user_id: int, role: str) -> set[int] | None:
    """``administered_regions``, widened by the region (and those below) of each department where the
    user holds ``role``; None (every region) when one of them is the city itself (a region without a
    parent). The process administrator's scope: the city's 流程管理员 keep every process, a county
    department's theirs (issue 20)."""
    regions = administered_regions(user_id)
    if regions is None:
        return None
    held = StaffAssignment.objects.filter(user_id=user_id, role=role, department__is_active=True)
    for region_id, parent_id in held.values_list("department__region_id", "department__region__parent_id"):
        if parent_id is None:
            return None
        regions |= region_and_descendant_ids(region_id)
    return regions


def home_region(regions: set[int]) -> int | None:
    """The highest of ``regions`` (whose parent is not among them; the first by code): where something
    an administrator of them creates belongs."""
    tops = Region.objects.filter(pk__in=regions).exclude(parent_id__in=regions).order_by("code")
    return tops.values_list("pk", flat=True).first()


def role_or_administered_department_ids(*, user_id: int, role: str) -> set[int]:
    """Departments where the user holds ``role``, with those of the regions they administer: the scope of
    the catalog editor (事项管理员) and the process administrator, which a region's 系统管理员 share."""
    return department_ids_for(user_id=user_id, role=role) | administered_active_department_ids(user_id)


def is_security_admin(user_id: int) -> bool:
    """Whether ``user_id`` holds security_admin (安全管理员) in an active department."""
    return StaffAssignment.objects.filter(
        user_id=user_id, role=StaffRole.SECURITY_ADMIN, department__is_active=True
    ).exists()


def staff_scope(user_id: int) -> StaffScope | None:
    """The departments whose staff ``user_id`` manages (``StaffScope``); None for anyone who is neither a
    city, security, 区县系统管理员 nor department administrator. The 系统管理员 grants no role (a
    superuser, the documented break-glass account, still does); the 安全管理员 changes no account; a
    区县系统管理员 manages its regions' departments as a department administrator does its own."""
    active = Department.objects.filter(is_active=True).values_list("pk", flat=True)
    if is_city_admin(user_id):
        return StaffScope(
            user_id=user_id,
            city_wide=True,
            department_ids=frozenset(active),
            grants_roles=is_superuser(user_id),
        )
    if is_security_admin(user_id):
        return StaffScope(
            user_id=user_id, city_wide=True, department_ids=frozenset(active), manages_accounts=False
        )
    administered = department_ids_for(user_id=user_id, role=StaffRole.DEPARTMENT_ADMIN)
    administered |= administered_active_department_ids(user_id)
    if not administered:
        return None
    return StaffScope(user_id=user_id, city_wide=False, department_ids=frozenset(administered))


def grantable_roles(scope: StaffScope) -> list[tuple[str, str]]:
    """The roles ``scope``'s administrator may grant and withdraw, as (value, label): every role for the
    安全管理员, the ordinary ones for a department administrator, none for the 系统管理员."""
    if not scope.grants_roles:
        return []
    return [
        (value, label) for value, label in role_choices() if scope.city_wide or value not in CITY_WIDE_ROLES
    ]


def first_roles(scope: StaffScope) -> list[tuple[str, str]]:
    """The roles a new account may be created with by ``scope``'s administrator: the ordinary roles (the
    post the account is opened for), never a city-wide or administrator role; none for the 安全管理员,
    who creates no account."""
    if not scope.manages_accounts:
        return []
    return [(value, label) for value, label in role_choices() if value not in CITY_WIDE_ROLES]


def scope_departments(scope: StaffScope) -> list[DepartmentRef]:
    """The departments of ``scope``, as the portal orders them (region, then name)."""
    return [_department_ref(d) for d in Department.objects.filter(pk__in=scope.department_ids)]


def _grants(scope: StaffScope, user_ids: set[int]) -> dict[int, list[RoleGrant]]:
    labels = role_labels()
    grants: dict[int, list[RoleGrant]] = {}
    rows = (
        StaffAssignment.objects.filter(user_id__in=user_ids)
        .select_related("department")
        .order_by("department__region__code", "department__name", "role")
    )
    for row in rows:
        grants.setdefault(row.user_id, []).append(
            RoleGrant(
                department_id=row.department_id,
                department_name=row.department.short_name,
                role=row.role,
                role_label=str(labels.get(row.role, row.role)),
                in_scope=scope.covers(row.department_id),
            )
        )
    return grants


def account_refusal(scope: StaffScope, user_id: int, grants: list[RoleGrant] | tuple[RoleGrant, ...]) -> str:
    """Why ``scope``'s administrator may not change the account ``user_id`` itself (its password,
    authenticator, active or not), or "" when they may: nobody changes their own; a department
    administrator neither changes a city administrator's nor that of someone who also holds a role in a
    department they do not administer (that would change another department's staff)."""
    if user_id == scope.user_id:
        return _("您不能修改自己的账户和岗位，请联系其他管理员")
    if not scope.manages_accounts:
        return _("账户由系统管理员管理；安全管理员只负责岗位授权")
    if scope.city_wide:
        return ""
    if is_city_admin(user_id):
        return _("该人员是全市系统管理员，其账户只能由其他全市系统管理员修改")
    if any(not grant.in_scope for grant in grants):
        return _("该人员在您管理范围以外的部门另有岗位，其账户只能由全市系统管理员修改")
    return ""


def staff_member(scope: StaffScope, user_id: int) -> StaffMember | None:
    """The staff account ``user_id`` with its roles, if ``scope`` reaches it (a city administrator: every
    staff account; a department administrator: those holding a role in their departments); else None."""
    account = staff_account(user_id)
    if account is None:
        return None
    grants = _grants(scope, {user_id}).get(user_id, [])
    if not scope.city_wide and not any(grant.in_scope for grant in grants):
        return None
    return StaffMember(account=account, grants=tuple(grants), refusal=account_refusal(scope, user_id, grants))


def staff_list(
    scope: StaffScope,
    *,
    search: str = "",
    department_id: int | None = None,
    role: str = "",
    active: bool | None = None,
    page: int = 1,
) -> StaffListPage:
    """人员管理: the staff of ``scope``'s departments (a city administrator: every staff account), by
    name, filtered by name or user name, department, role and whether active. A department or role
    outside the scope matches nobody. Each row carries only the roles within the scope."""
    assignments = StaffAssignment.objects.filter(department_id__in=scope.department_ids)
    if department_id is not None:
        assignments = assignments.filter(department_id=department_id)
    if role:
        assignments = assignments.filter(role=role)
    filtered = department_id is not None or bool(role)
    # A city administrator also sees staff without any role yet.
    user_ids = (
        None if scope.city_wide and not filtered else set(assignments.values_list("user_id", flat=True))
    )

    def fetch(page: int) -> StaffAccountPage:
        return staff_accounts(
            user_ids=user_ids,
            search=search,
            active=active,
            offset=(page - 1) * STAFF_PER_PAGE,
            limit=STAFF_PER_PAGE,
        )

    page = max(page, 1)
    found = fetch(page)
    pages = max(1, math.ceil(found.total / STAFF_PER_PAGE))
    if page > pages:
        page = pages
        found = fetch(page)
    grants = _grants(scope, {account.id for account in found.accounts})
    rows = tuple(
        StaffRow(account=account, grants=tuple(g for g in grants.get(account.id, []) if g.in_scope))
        for account in found.accounts
    )
    return StaffListPage(rows=rows, total=found.total, page=page, pages=pages)


def open_work_for(scope: StaffScope, user_id: int) -> list[OpenWork]:
    """What ``user_id`` still holds in ``scope``'s departments (``open_work``), oldest first."""
    return [work for work in open_work_of(user_id) if scope.covers(work.department_id)]


def role_choices() -> list[tuple[str, str]]:
    """Every active role (岗位) a step or an assignment may name: code and label, built-in first."""
    rows = dict(Role.objects.filter(is_active=True).values_list("code", "name"))
    # Built-in roles in their code order whatever the table holds (a flushed test database has none).
    builtin = [(role.value, rows.pop(role.value, str(role.label))) for role in StaffRole]
    return builtin + list(rows.items())


# --- for 通知公告 (tongban.notices) and the 通讯录 ----------------------------------------------------


def general_office_id() -> int | None:
    """The city's general office (市政府办公室, ``Department.is_general_office``), if one is marked."""
    return (
        Department.objects.filter(is_general_office=True, is_active=True).values_list("pk", flat=True).first()
    )


def active_department_refs() -> list[DepartmentRef]:
    """Every active department, by region then name."""
    return [_department_ref(d) for d in Department.objects.filter(is_active=True)]


def with_sub_departments(department_ids: set[int]) -> set[int]:
    """The active departments given and every active department below them (one query per level)."""
    found = set(Department.objects.filter(pk__in=department_ids, is_active=True).values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        frontier = (
            set(
                Department.objects.filter(parent_id__in=frontier, is_active=True).values_list("pk", flat=True)
            )
            - found
        )
        found |= frontier
    return found


def active_department_ids_of(user_id: int) -> set[int]:
    """The active departments where the user holds any role."""
    return set(
        StaffAssignment.objects.filter(user_id=user_id, department__is_active=True).values_list(
            "department_id", flat=True
        )
    )


@dataclass(frozen=True)
class DepartmentMember:
    department_id: int
    user_id: int
    name: str


def members_of_departments(department_ids: set[int] | None) -> list[DepartmentMember]:
    """The active staff holding a role in each of the active departments given (None: every one), one
    row per (department, person), by department then name."""
    rows = StaffAssignment.objects.filter(
        user__is_active=True, user__kind="staff", department__is_active=True
    )
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    seen: set[tuple[int, int]] = set()
    members = []
    for department_id, user_id, full_name, username in rows.order_by(
        "department__region__code", "department__name", "user__full_name", "user_id"
    ).values_list("department_id", "user_id", "user__full_name", "user__username"):
        if (department_id, user_id) not in seen:
            seen.add((department_id, user_id))
            members.append(
                DepartmentMember(department_id=department_id, user_id=user_id, name=full_name or username)
            )
    return members


# --- 部门管理 (region-scoped, issue 20) ----------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    short_name: str
    uscc: str
    region_id: int
    region_name: str
    parent_id: int | None
    parent_name: str
    phone: str
    is_active: bool


def _department_row(d: Department) -> DepartmentRow:
    return DepartmentRow(
        id=d.pk,
        name=d.name,
        short_name=d.short_name,
        uscc=d.uscc,
        region_id=d.region_id,
        region_name=d.region.name,
        parent_id=d.parent_id,
        parent_name=d.parent.name if d.parent else "",
        phone=d.phone,
        is_active=d.is_active,
    )


def administered_department_rows(
    user_id: int, *, search: str = "", region_id: int | None = None
) -> list[DepartmentRow]:
    """部门管理: the departments in the regions the user administers (active or not), by region then
    name, filtered by a part of the name and by one region (a region outside the scope matches none)."""
    scope = administered_departments(user_id)
    rows = Department.objects.select_related("region", "parent")
    if scope is not None:
        rows = rows.filter(pk__in=scope)
    if search.strip():
        rows = rows.filter(name__contains=search.strip())
    if region_id is not None:
        rows = rows.filter(region_id=region_id)
    return [_department_row(d) for d in rows]


def administered_department_row(user_id: int, department_id: int) -> DepartmentRow | None:
    """One department, if the user administers its region (else None: the page answers 404)."""
    scope = administered_departments(user_id)
    if scope is not None and department_id not in scope:
        return None
    found = Department.objects.select_related("region", "parent").filter(pk=department_id).first()
    return _department_row(found) if found else None


def administered_region_tree(user_id: int) -> list[tuple[RegionRef, int]]:
    """The regions the user administers, depth-first with their depth (for a region select)."""
    scope = administered_regions(user_id)
    return [(region, depth) for region, depth in regions_tree() if scope is None or region.id in scope]


def staff_ids_holding(roles: set[str]) -> set[int]:
    """Every active staff account holding one of ``roles`` in an active department (e.g. whom to alert)."""
    return set(
        StaffAssignment.objects.filter(role__in=roles, user__is_active=True, department__is_active=True)
        .order_by()
        .values_list("user_id", flat=True)
    )
