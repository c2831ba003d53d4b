"""人员管理: administrators create staff accounts, grant and withdraw roles (岗位), give a new password,
remove a lost authenticator, deactivate a leaver and reactivate them.

Who may (``selectors.staff_scope``), 三权分立 (docs/administrators.md):
- the 系统管理员 (city_admin) creates accounts in every department, with an ordinary role (the post the
  account is opened for), and changes accounts; it grants and withdraws no role (403);
- the 安全管理员 (security_admin) grants and withdraws every role in every department, the city-wide and
  administrator roles included; it creates and changes no account (403);
- a department administrator does both in the departments where they hold department_admin, for the
  ordinary roles only.
Rules every function enforces:
- a staff member outside the administrator's reach is not found (404), whatever the request names;
- roles are granted and withdrawn only in the administrator's departments, and only the security
  administrator grants or withdraws the city-wide roles (city_admin, city_supervisor, the admin roles);
- roles go to staff accounts only, never to a citizen's or an enterprise's;
- nobody changes their own account or roles (no self-escalation, no locking oneself out);
- the account itself (password, authenticator, active or not) is changed by a department administrator
  only when every role of the person is in their departments and the person is no city administrator;
- a person's last role is not withdrawn: a leaver's account is deactivated instead, which keeps their
  roles for a return and keeps them on their department's list;
- 三权分立: nobody holds two of the administrator roles (系统管理员 city_admin, 安全管理员, 审计管理员).
Every change is audited (``core.audit``): who, whom, which role, which department, when, from where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import services as accounts
from tongban.accounts.errors import InvalidDetailsError
from tongban.accounts.types import NewStaffPassword
from tongban.core import audit
from tongban.organizations.errors import StaffConflict, StaffError, StaffForbidden, StaffNotFound
from tongban.organizations.models import StaffAssignment
from tongban.organizations.selectors import (
    CITY_WIDE_ROLES,
    SEPARATED_ADMIN_ROLES,
    account_refusal,
    active_role_codes,
    first_roles,
    second_administrator_role,
    staff_member,
    staff_scope,
)
from tongban.organizations.types import StaffMember, StaffScope


@dataclass(frozen=True)
class Actor:
    """Who makes a change and from where (the address is audited; None from a management command)."""

    user_id: int
    client_ip: str | None = None


def actor_scope(actor: Actor) -> StaffScope:
    scope = staff_scope(actor.user_id)
    if scope is None:
        raise StaffNotFound(_("没有找到该工作人员"), code="not_found")
    return scope


def _member(scope: StaffScope, user_id: int) -> StaffMember:
    member = staff_member(scope, user_id)
    if member is None:
        raise StaffNotFound(_("没有找到该工作人员"), code="not_found")
    return member


def _record(
    actor: Actor, event: str, user_id: int, *, department_id: int | None, role: str = "", denied: bool = False
) -> None:
    audit.record(
        event=event,
        actor_id=actor.user_id,
        object_type="user",
        object_id=user_id,
        department_id=department_id,
        denied=denied,
        reason=role,
        ip=actor.client_ip,
    )


def _acting_department(member: StaffMember) -> int | None:
    """The department an account-level change was made for: the person's one department in the
    administrator's reach, when there is exactly one."""
    departments = {grant.department_id for grant in member.grants_in_scope}
    return departments.pop() if len(departments) == 1 else None


def _grants_scope(actor: Actor) -> StaffScope:
    """The actor's scope when they may grant and withdraw roles; the 系统管理员 may not (403, before any
    other check: also for their own account)."""
    scope = actor_scope(actor)
    if not scope.grants_roles:
        raise StaffForbidden(
            _("岗位的授予和撤销由安全管理员负责，系统管理员不能授予或撤销岗位（三权分立）"),
            field="role",
            code="not_allowed",
        )
    return scope


def _refuse_a_system_admin(
    actor: Actor, event: str, user_id: int, department_id: int | None, role: str
) -> None:
    """三权分立: a 系统管理员's grant or withdrawal is refused (403) and audited as denied. Called outside
    the change's transaction, so the audit row stays."""
    scope = actor_scope(actor)
    if scope.grants_roles:
        return
    _record(actor, event, user_id, department_id=department_id, role=role, denied=True)
    _grants_scope(actor)


def _check_role(scope: StaffScope, *, department_id: int | None, role: str) -> None:
    if department_id is None or not scope.covers(department_id):
        raise StaffError(_("请选择您管理的部门"), field="department")
    if role not in active_role_codes():
        raise StaffError(_("请选择岗位"), field="role")
    if role in CITY_WIDE_ROLES and not scope.city_wide:
        raise StaffError(_("只有安全管理员可以授予或撤销该岗位"), field="role")


def _separation_message() -> str:
    return _("系统管理员、安全管理员和审计管理员须由不同人员担任（三权分立）")


def refuse_second_administrator_role(user_id: int, role: str) -> None:
    """三权分立 (等保 8.1.4.2): refuse ``role`` when it is an administrator role and the person holds
    another. The person's assignments are locked, so two grants at once cannot both pass."""
    held = set(
        StaffAssignment.objects.select_for_update().filter(user_id=user_id).values_list("role", flat=True)
    )
    if second_administrator_role(held, role):
        raise StaffConflict(_separation_message(), field="role", code="separation_of_duties")


def _refuse_self(scope: StaffScope, user_id: int) -> None:
    if user_id == scope.user_id:
        raise StaffError(_("您不能修改自己的账户和岗位，请联系其他管理员"), code="self")


@sensitive_variables("created")
@transaction.atomic
def create_staff(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    phone: str,
    department_id: int | None,
    roles: Sequence[str],
) -> NewStaffPassword:
    """A new staff account with ``roles`` in one of the administrator's departments; returns its first
    password, to be shown once (``accounts.services.staff_accounts``). At the first login the new staff
    member binds an authenticator, as every staff member does.

    Rules: the account's (a free user name, 姓名, 手机号码) and the module's for each role; at least one role.
    Raises ``InvalidDetailsError`` with every problem by field (username, full_name, phone, department,
    roles); audited as account.created and one role.granted per role.
    """
    scope = actor_scope(actor)
    if not scope.manages_accounts:
        raise StaffForbidden(
            _("人员账户由系统管理员创建，安全管理员只负责岗位授权（三权分立）"), code="not_allowed"
        )
    problems = accounts.staff_account_problems(
        username=username.strip(),
        full_name=full_name.strip(),
        phone=accounts.clean_staff_phone(phone),
        taken_is_a_problem=True,
    )
    if department_id is None or not scope.covers(department_id):
        problems["department"] = _("请选择部门")
    if not roles:
        problems["roles"] = _("请至少选择一个岗位")
    elif any(role not in dict(first_roles(scope)) for role in roles):
        problems["roles"] = _("只能选择列出的岗位")
    elif len(set(roles) & SEPARATED_ADMIN_ROLES) > 1:
        problems["roles"] = _separation_message()
    if problems:
        raise InvalidDetailsError(problems)
    assert department_id is not None  # checked above
    created = accounts.create_staff_account(username=username, full_name=full_name, phone=phone)
    _record(actor, "account.created", created.user_id, department_id=department_id)
    for role in dict.fromkeys(roles):
        StaffAssignment.objects.create(user_id=created.user_id, department_id=department_id, role=role)
        _record(actor, "role.granted", created.user_id, department_id=department_id, role=role)
    return created


def grant_role(*, actor: Actor, user_id: int, department_id: int | None, role: str) -> None:
    """Give the staff member ``user_id`` ``role`` in ``department_id`` (module rules). Raises
    ``StaffForbidden`` for a 系统管理员 (audited as a denied role.granted), ``StaffNotFound``,
    ``StaffError`` (field department or role) or ``StaffConflict`` when they hold it already; audited as
    role.granted."""
    _refuse_a_system_admin(actor, "role.granted", user_id, department_id, role)
    _grant_role(actor=actor, user_id=user_id, department_id=department_id, role=role)


@transaction.atomic
def _grant_role(*, actor: Actor, user_id: int, department_id: int | None, role: str) -> None:
    scope = _grants_scope(actor)
    member = _member(scope, user_id)
    _refuse_self(scope, user_id)
    _check_role(scope, department_id=department_id, role=role)
    refuse_second_administrator_role(user_id, role)
    _assignment, created = StaffAssignment.objects.get_or_create(
        user_id=user_id, department_id=department_id, role=role
    )
    if not created:
        raise StaffConflict(
            _("%(name)s已有该部门的这个岗位") % {"name": member.account.display_name}, field="role"
        )
    _record(actor, "role.granted", user_id, department_id=department_id, role=role)


def withdraw_role(*, actor: Actor, user_id: int, department_id: int, role: str) -> None:
    """Take ``role`` in ``department_id`` from the staff member ``user_id`` (module rules; never their last
    role). Raises ``StaffForbidden`` for a 系统管理员 (audited as a denied role.revoked), ``StaffNotFound``
    (also for a role they do not hold) or ``StaffError``; audited as role.revoked."""
    _refuse_a_system_admin(actor, "role.revoked", user_id, department_id, role)
    _withdraw_role(actor=actor, user_id=user_id, department_id=department_id, role=role)


@transaction.atomic
def _withdraw_role(*, actor: Actor, user_id: int, department_id: int, role: str) -> None:
    scope = _grants_scope(actor)
    _member(scope, user_id)
    _refuse_self(scope, user_id)
    _check_role(scope, department_id=department_id, role=role)
    held = StaffAssignment.objects.select_for_update().filter(user_id=user_id)
    assignment = next((a for a in held if (a.department_id, a.role) == (department_id, role)), None)
    if assignment is None:
        raise StaffNotFound(_("该人员没有这个岗位"), code="not_found")
    if len(held) == 1:
        raise StaffError(
            _("这是该人员唯一的岗位，不能撤销。如该人员已离职，请停用其账户。"), code="last_role"
        )
    assignment.delete()
    _record(actor, "role.revoked", user_id, department_id=department_id, role=role)


def _account_change(actor: Actor, user_id: int) -> tuple[StaffScope, StaffMember]:
    scope = actor_scope(actor)
    member = _member(scope, user_id)
    if refusal := account_refusal(scope, user_id, member.grants):
        raise StaffError(refusal, code="not_allowed")
    return scope, member


@transaction.atomic
def remove_staff_authenticator(*, actor: Actor, user_id: int) -> None:
    """重置身份验证器: forget the authenticator of ``user_id`` (a lost or new phone); at the next login
    they bind a new one. Raises ``StaffNotFound``, ``StaffError`` (module rules) or ``StaffConflict``
    when none is bound; audited as account.authenticator_removed."""
    _scope, member = _account_change(actor, user_id)
    if not accounts.remove_authenticator(user_id=user_id):
        raise StaffConflict(_("该人员还没有绑定身份验证器，下次登录时会提示绑定"), code="no_authenticator")
    _record(actor, "account.authenticator_removed", user_id, department_id=_acting_department(member))


@sensitive_variables("issued")
@transaction.atomic
def issue_new_password(*, actor: Actor, user_id: int) -> NewStaffPassword:
    """重设密码: a new password for ``user_id``, returned once; their open sessions end. Raises
    ``StaffNotFound`` or ``StaffError`` (module rules); audited as account.password_issued."""
    _scope, member = _account_change(actor, user_id)
    issued = accounts.issue_staff_password(user_id=user_id)
    _record(actor, "account.password_issued", user_id, department_id=_acting_department(member))
    return issued


@transaction.atomic
def set_staff_active(*, actor: Actor, user_id: int, active: bool) -> None:
    """停用 a leaver's account (they can no longer log in; roles are kept, and the tasks in their hands
    are listed for 重置处理人) or 启用 it again. Raises ``StaffNotFound``, ``StaffError`` (module rules) or
    ``StaffConflict`` when it already is; audited as account.deactivated or account.reactivated."""
    _scope, member = _account_change(actor, user_id)
    if not accounts.set_staff_active(user_id=user_id, active=active):
        already = _("该账户已是启用状态") if active else _("该账户已停用")
        raise StaffConflict(already, code="unchanged")
    event = "account.reactivated" if active else "account.deactivated"
    _record(actor, event, user_id, department_id=_acting_department(member))
