"""Bulk onboarding from a staff list (``manage.py import_staff``): the same services and rules as the
people pages, for a whole file at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.selectors import username_owner
from tongban.accounts.types import NewStaffPassword
from tongban.core.errors import TongbanError
from tongban.organizations.errors import StaffImportError
from tongban.organizations.models import Department, StaffAssignment
from tongban.organizations.selectors import CITY_WIDE_ROLES, role_choices, staff_member
from tongban.organizations.services.staff import Actor, actor_scope, create_staff, grant_role
from tongban.organizations.types import ImportedStaff, StaffScope

_ROLE_SEPARATORS = re.compile(r"[;；]")


@dataclass(frozen=True)
class StaffLine:
    """One line of a staff file as typed: ``department`` is a 统一社会信用代码, full name or short name;
    ``roles`` are role names (受理人员) or codes (clerk), separated by ``;``. ``number`` is the line's
    number in the file (the header is line 1)."""

    number: int
    username: str
    full_name: str
    phone: str
    department: str
    roles: str


@dataclass(frozen=True)
class _Plan:
    line: StaffLine
    department_id: int
    roles: tuple[str, ...]
    existing_user_id: int | None


def _department(scope: StaffScope, typed: str) -> tuple[int | None, str]:
    """The department ``typed`` names in ``scope``, or a problem."""
    typed = typed.strip()
    if not typed:
        return None, _("请填写部门")
    matches = list(
        Department.objects.filter(Q(uscc=typed.upper()) | Q(name=typed) | Q(short_name=typed)).values_list(
            "pk", flat=True
        )
    )
    if not matches:
        return None, _("没有找到部门“%(name)s”，请填写部门的统一社会信用代码、全称或简称") % {"name": typed}
    if len(matches) > 1:
        return None, _("“%(name)s”对应多个部门，请填写全称或统一社会信用代码") % {"name": typed}
    if not scope.covers(matches[0]):
        return None, _("部门“%(name)s”不在您管理的范围内") % {"name": typed}
    return matches[0], ""


def _roles(scope: StaffScope, typed: str) -> tuple[tuple[str, ...], list[str]]:
    active = role_choices()
    by_name = {label: value for value, label in active} | {value: value for value, _label in active}
    roles: list[str] = []
    problems: list[str] = []
    for name in (part.strip() for part in _ROLE_SEPARATORS.split(typed)):
        if not name:
            continue
        role = by_name.get(name)
        if role is None:
            choices = "、".join(label for _value, label in active)
            problems.append(_("没有岗位“%(name)s”，可填写：%(choices)s") % {"name": name, "choices": choices})
        elif role in CITY_WIDE_ROLES:
            # 三权分立: city-wide and administrator roles are the 安全管理员's to grant, on the staff page.
            problems.append(_("“%(name)s”只能由安全管理员在人员页面授予") % {"name": name})
        elif role not in roles:
            roles.append(role)
    if not roles and not problems:
        problems.append(_("请填写岗位，多个岗位用分号分隔"))
    return tuple(roles), problems


def _line_problems(scope: StaffScope, line: StaffLine) -> tuple[_Plan | None, list[str]]:
    username = line.username.strip()
    problems = list(
        accounts.staff_account_problems(
            username=username,
            full_name=line.full_name.strip(),
            phone=accounts.clean_staff_phone(line.phone),
            taken_is_a_problem=False,
        ).values()
    )
    department_id, department_problem = _department(scope, line.department)
    if department_problem:
        problems.append(department_problem)
    roles, role_problems = _roles(scope, line.roles)
    problems += role_problems
    existing_id = None
    if username and (owner := username_owner(username)) is not None:
        existing_id = owner.id
        if owner.kind != "staff":
            problems.append(_("用户名“%(name)s”已被非工作人员的账户使用，请换一个") % {"name": username})
        elif owner.id == scope.user_id:
            problems.append(_("您不能修改自己的岗位"))
        elif owner.username != username or staff_member(scope, owner.id) is None:
            problems.append(_("用户名“%(name)s”已被其他部门的工作人员使用，请换一个") % {"name": username})
    if problems or department_id is None:
        return None, problems
    return _Plan(line=line, department_id=department_id, roles=roles, existing_user_id=existing_id), []


def _numbered(line: StaffLine, message: str) -> str:
    return _("第%(line)s行：%(message)s") % {"line": line.number, "message": message}


@transaction.atomic
def import_staff(*, actor: Actor, lines: Sequence[StaffLine]) -> ImportedStaff:
    """Create the staff accounts of ``lines`` and grant their roles, all or nothing.

    Every line is checked first with the rules of ``create_staff`` and ``grant_role`` for ``actor`` (a
    department administrator imports into their departments only); any problem refuses the whole file
    with ``StaffImportError``, whose ``details`` name each problem with its line number. Importing the
    same file again is harmless: a user name that is already a staff account the actor manages only
    gets the roles it lacks (its name and phone are left as they are). Audited like the pages, as done
    by ``actor``.
    """
    scope = actor_scope(actor)
    if not lines:
        raise StaffImportError(_("文件中没有人员"), details=[_("文件中没有人员")])
    problems: list[str] = []
    plans: list[_Plan] = []
    first_line: dict[str, int] = {}
    for line in lines:
        key = line.username.strip().lower()
        if key and key in first_line:
            problems.append(
                _numbered(
                    line, _("用户名“%(name)s”与第%(first)s行重复") % {"name": key, "first": first_line[key]}
                )
            )
            continue
        first_line[key] = line.number
        plan, line_problems = _line_problems(scope, line)
        problems += [_numbered(line, message) for message in line_problems]
        if plan is not None:
            plans.append(plan)
    if problems:
        raise StaffImportError(problems[0], details=problems)

    created: list[NewStaffPassword] = []
    granted = unchanged = 0
    for plan in plans:
        line = plan.line
        try:
            if plan.existing_user_id is None:
                created.append(
                    create_staff(
                        actor=actor,
                        username=line.username,
                        full_name=line.full_name,
                        phone=line.phone,
                        department_id=plan.department_id,
                        roles=plan.roles,
                    )
                )
                continue
            held = set(
                StaffAssignment.objects.filter(
                    user_id=plan.existing_user_id, department_id=plan.department_id
                ).values_list("role", flat=True)
            )
            missing = [role for role in plan.roles if role not in held]
            for role in missing:
                grant_role(
                    actor=actor, user_id=plan.existing_user_id, department_id=plan.department_id, role=role
                )
            granted += len(missing)
            unchanged += not missing
        except TongbanError as error:  # e.g. a user name taken by someone else since the check
            message = _numbered(line, error.message)
            raise StaffImportError(message, details=[message]) from error
    return ImportedStaff(created=tuple(created), roles_granted=granted, unchanged=unchanged)
