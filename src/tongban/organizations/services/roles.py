"""岗位管理: a city administrator adds a role (财务审核, 分管领导 …), renames one and deactivates one.

Rules: only a city administrator (``selectors.is_city_admin``); a code is a new lower-case slug and a
name a new one; a built-in role (``StaffRole``) is never deactivated, since code relies on it; a role
still held by someone, or named by a step of a published process (the checks other apps register in
``ROLE_USAGE_CHECKS``), is not deactivated either. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.lookup_codes import clean_code, clean_name
from tongban.organizations.errors import StaffError, StaffNotFound
from tongban.organizations.models import Role, StaffAssignment
from tongban.organizations.selectors import is_city_admin

# Other apps tell why a role is in use (workflow: a step of a published definition names it): each
# check takes a role code and returns a reason, or "" when it does not use it. Registered in
# ``AppConfig.ready()`` so organizations need not know the apps above it.
ROLE_USAGE_CHECKS: list[Callable[[str], str]] = []


def _refuse_unless_city_admin(actor_id: int) -> None:
    if not is_city_admin(actor_id):
        raise StaffNotFound(_("没有找到该页面"), code="not_found")


def _record(actor_id: int, event: str, role: Role) -> None:
    audit.record(event=event, actor_id=actor_id, object_type="role", object_id=role.pk, reason=role.code)


@transaction.atomic
def create_role(*, actor_id: int, code: str, name: str, description: str = "") -> int:
    """A new active role; returns its id. Raises ``StaffError`` by field (code, name, description)."""
    _refuse_unless_city_admin(actor_id)
    code = clean_code(
        code,
        what=_("岗位"),
        in_use=lambda taken: Role.objects.filter(code=taken).exists(),
        error=StaffError,
    )
    clean = clean_name(name, what=_("岗位"), same_name=Role.objects.all(), error=StaffError)
    if len(description.strip()) > 200:
        raise StaffError(_("说明不能超过200个字"), field="description")
    role = Role.objects.create(code=code, name=clean, description=description.strip())
    _record(actor_id, "role.created", role)
    return role.pk


@transaction.atomic
def rename_role(*, actor_id: int, role_id: int, name: str, description: str = "") -> None:
    """A new name (and description) for a role; its code, which assignments and steps name, stays."""
    _refuse_unless_city_admin(actor_id)
    role = Role.objects.select_for_update().filter(pk=role_id).first()
    if role is None:
        raise StaffNotFound(_("没有找到该岗位"), code="not_found")
    role.name = clean_name(name, what=_("岗位"), same_name=Role.objects.exclude(pk=role.pk), error=StaffError)
    if len(description.strip()) > 200:
        raise StaffError(_("说明不能超过200个字"), field="description")
    role.description = description.strip()
    role.save(update_fields=["name", "description"])
    _record(actor_id, "role.renamed", role)


def role_in_use(code: str) -> list[str]:
    """Why the role cannot be deactivated: who holds it, and what else names it."""
    reasons = []
    holders = StaffAssignment.objects.filter(role=code).count()
    if holders:
        reasons.append(_("有%(count)d条岗位授权使用该岗位，请先撤销") % {"count": holders})
    reasons += [reason for check in ROLE_USAGE_CHECKS if (reason := check(code))]
    return reasons


@transaction.atomic
def set_role_active(*, actor_id: int, role_id: int, active: bool) -> None:
    """停用 a role nobody uses (it is no longer offered to assignments or steps) or 启用 it again.
    Raises ``StaffError`` with every reason it is still in use, or for a built-in role."""
    _refuse_unless_city_admin(actor_id)
    role = Role.objects.select_for_update().filter(pk=role_id).first()
    if role is None:
        raise StaffNotFound(_("没有找到该岗位"), code="not_found")
    if role.is_active == active:
        raise StaffError(_("该岗位已启用") if active else _("该岗位已停用"), code="unchanged")
    if not active:
        if role.is_builtin:
            raise StaffError(_("“%(name)s”是平台内置岗位，不能停用") % {"name": role.name}, code="builtin")
        if reasons := role_in_use(role.code):
            raise StaffError(
                _("“%(name)s”仍在使用，不能停用：%(reasons)s")
                % {"name": role.name, "reasons": "；".join(reasons)},
                code="in_use",
            )
    role.is_active = active
    role.save(update_fields=["is_active"])
    _record(actor_id, "role.activated" if active else "role.deactivated", role)
