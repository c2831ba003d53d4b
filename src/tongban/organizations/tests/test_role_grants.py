"""三权分立 for grants (issue 20): the 安全管理员 grants and withdraws roles, the 系统管理员 creates and
changes accounts but grants no role, a department administrator keeps the ordinary roles of their own
department; every grant is audited and no path gives one account two administrator roles."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.organizations.errors import StaffConflict, StaffError, StaffForbidden
from tongban.organizations.models import StaffAssignment
from tongban.organizations.selectors import first_roles, grantable_roles, staff_scope
from tongban.organizations.services import Actor, create_staff, grant_role, import_staff, withdraw_role
from tongban.organizations.services.staff_import import StaffLine
from tongban.organizations.tests.factories import DepartmentFactory

ADMIN_ROLES = ("city_admin", "security_admin", "audit_admin")


@pytest.fixture(autouse=True)
def _seeded(db):
    for migration in (
        "tongban.organizations.migrations.0005_seed_builtin_roles",
        "tongban.organizations.migrations.0007_seed_security_and_audit_admins",
    ):
        importlib.import_module(migration).seed(django_apps, None)


@pytest.fixture
def bureau(db):
    return DepartmentFactory(name="云州市政务服务和数据管理局")


@pytest.fixture
def city_admin(bureau):
    return make_staff("sys_admin", bureau, role="city_admin")


@pytest.fixture
def security_admin(bureau):
    return make_staff("sec_admin", bureau, role="security_admin")


@pytest.fixture
def clerk(department):
    return make_staff("a_clerk", department, role="clerk")


def _roles(user_id):
    return sorted(StaffAssignment.objects.filter(user_id=user_id).values_list("role", flat=True))


def test_T_B6_grants_the_system_admin_is_refused_with_403(client, city_admin, clerk, department):
    with pytest.raises(StaffForbidden):
        grant_role(
            actor=Actor(user_id=city_admin.id), user_id=clerk.id, department_id=department.pk, role="reviewer"
        )
    login_staff(client, city_admin)
    response = client.post(
        reverse("organizations:staff_grant", args=[clerk.id]),
        {"department": department.pk, "role": "reviewer"},
    )
    assert response.status_code == 403
    assert "岗位的授予和撤销由安全管理员负责" in response.content.decode()
    assert _roles(clerk.id) == ["clerk"]
    # Both attempts are in the audit log, as denied.
    attempts = AuditEvent.objects.filter(event="role.granted", object_id=str(clerk.id))
    assert [(a.actor_id, a.result, a.reason) for a in attempts] == [(city_admin.id, "denied", "reviewer")] * 2
    # Its pages offer no grant form and no 撤销 link; it still reaches the person and the account actions.
    page = client.get(reverse("organizations:staff_detail", args=[clerk.id])).content.decode()
    assert reverse("organizations:staff_grant", args=[clerk.id]) not in page
    assert reverse("organizations:staff_withdraw", args=[clerk.id]) not in page
    assert reverse("organizations:staff_new_password", args=[clerk.id]) in page


def test_T_B6_grants_the_system_admin_cannot_withdraw_either(client, city_admin, clerk, department):
    grant_role(
        actor=Actor(user_id=make_staff("sec2", department, role="security_admin").id),
        user_id=clerk.id,
        department_id=department.pk,
        role="reviewer",
    )
    with pytest.raises(StaffForbidden):
        withdraw_role(
            actor=Actor(user_id=city_admin.id), user_id=clerk.id, department_id=department.pk, role="reviewer"
        )
    login_staff(client, city_admin)
    response = client.post(
        reverse("organizations:staff_withdraw", args=[clerk.id]),
        {"department": department.pk, "role": "reviewer"},
    )
    assert response.status_code == 403
    assert _roles(clerk.id) == ["clerk", "reviewer"]


def test_T_B6_grants_the_security_admin_grants_and_withdraws_every_role_audited(
    client, security_admin, clerk, department
):
    login_staff(client, security_admin)
    for role in ("reviewer", "city_supervisor"):
        response = client.post(
            reverse("organizations:staff_grant", args=[clerk.id]), {"department": department.pk, "role": role}
        )
        assert response.status_code == 302, response.content.decode()
    assert _roles(clerk.id) == ["city_supervisor", "clerk", "reviewer"]
    response = client.post(
        reverse("organizations:staff_withdraw", args=[clerk.id]),
        {"department": department.pk, "role": "reviewer"},
    )
    assert response.status_code == 302
    assert _roles(clerk.id) == ["city_supervisor", "clerk"]
    rows = AuditEvent.objects.filter(actor_id=security_admin.id, object_id=str(clerk.id)).order_by("id")
    assert [(r.event, r.reason, r.department_id, r.ip) for r in rows] == [
        ("role.granted", "reviewer", department.pk, "127.0.0.1"),
        ("role.granted", "city_supervisor", department.pk, "127.0.0.1"),
        ("role.revoked", "reviewer", department.pk, "127.0.0.1"),
    ]


def test_T_B6_grants_the_security_admin_makes_a_system_admin_but_not_of_itself(security_admin, clerk, bureau):
    grant_role(
        actor=Actor(user_id=security_admin.id), user_id=clerk.id, department_id=bureau.pk, role="city_admin"
    )
    assert "city_admin" in _roles(clerk.id)
    with pytest.raises(StaffError):
        grant_role(
            actor=Actor(user_id=security_admin.id),
            user_id=security_admin.id,
            department_id=bureau.pk,
            role="clerk",
        )


def test_T_B6_grants_the_security_admin_creates_and_changes_no_account(
    client, security_admin, clerk, department
):
    scope = staff_scope(security_admin.id)
    assert (scope.city_wide, scope.grants_roles, scope.manages_accounts) == (True, True, False)
    assert first_roles(scope) == []
    with pytest.raises(StaffForbidden):
        create_staff(
            actor=Actor(user_id=security_admin.id),
            username="new_one",
            full_name="新人",
            phone="13900000011",
            department_id=department.pk,
            roles=["clerk"],
        )
    login_staff(client, security_admin)
    assert "添加人员" not in client.get(reverse("organizations:staff_list")).content.decode()
    response = client.post(reverse("organizations:staff_deactivate", args=[clerk.id]))
    assert response.status_code == 200 or response.status_code >= 400
    assert "账户由系统管理员管理" in response.content.decode()


def test_T_B6_grants_the_system_admin_opens_accounts_with_an_ordinary_role_only(city_admin, department):
    scope = staff_scope(city_admin.id)
    assert (scope.grants_roles, scope.manages_accounts) == (False, True)
    assert grantable_roles(scope) == []
    assert not {value for value, _label in first_roles(scope)} & {*ADMIN_ROLES, "city_supervisor"}
    created = create_staff(
        actor=Actor(user_id=city_admin.id),
        username="new_clerk",
        full_name="新人",
        phone="13900000012",
        department_id=department.pk,
        roles=["clerk"],
    )
    assert _roles(created.user_id) == ["clerk"]
    assert AuditEvent.objects.filter(
        event="role.granted", object_id=str(created.user_id), reason="clerk"
    ).exists()
    from tongban.accounts.errors import InvalidDetailsError

    with pytest.raises(InvalidDetailsError):
        create_staff(
            actor=Actor(user_id=city_admin.id),
            username="new_auditor",
            full_name="新人",
            phone="13900000013",
            department_id=department.pk,
            roles=["audit_admin"],
        )


def test_T_B6_grants_a_department_admin_keeps_ordinary_roles_of_their_department(department, clerk):
    dept_admin = make_staff("dept_admin", department, role="department_admin")
    grant_role(
        actor=Actor(user_id=dept_admin.id), user_id=clerk.id, department_id=department.pk, role="reviewer"
    )
    assert _roles(clerk.id) == ["clerk", "reviewer"]
    for role in ADMIN_ROLES:
        with pytest.raises(StaffError):
            grant_role(
                actor=Actor(user_id=dept_admin.id), user_id=clerk.id, department_id=department.pk, role=role
            )
    other = DepartmentFactory(name="云州市教育局")
    with pytest.raises(StaffError):
        grant_role(
            actor=Actor(user_id=dept_admin.id), user_id=clerk.id, department_id=other.pk, role="reviewer"
        )


@pytest.mark.parametrize(("held", "adding"), [(a, b) for a in ADMIN_ROLES for b in ADMIN_ROLES if a != b])
def test_T_B6_grants_no_account_holds_two_administrator_roles(security_admin, bureau, held, adding):
    person = make_staff(f"holder_{held}", bureau, role=held)
    with pytest.raises(StaffConflict):
        grant_role(
            actor=Actor(user_id=security_admin.id), user_id=person.id, department_id=bureau.pk, role=adding
        )
    assert _roles(person.id) == [held]


def test_T_B6_grants_the_import_gives_no_administrator_role(city_admin, department):
    from tongban.organizations.errors import StaffImportError

    line = StaffLine(
        number=2,
        username="imported",
        full_name="导入",
        phone="13900000014",
        department=department.name,
        roles="审计管理员",
    )
    with pytest.raises(StaffImportError) as refused:
        import_staff(actor=Actor(user_id=city_admin.id), lines=[line])
    assert "只能由安全管理员在人员页面授予" in refused.value.message
    assert not StaffAssignment.objects.filter(role="audit_admin").exists()


def test_T_B6_grants_the_system_admin_cannot_give_itself_the_audit_role(client, city_admin, bureau):
    login_staff(client, city_admin)
    response = client.post(
        reverse("organizations:staff_grant", args=[city_admin.id]),
        {"department": bureau.pk, "role": "audit_admin"},
    )
    assert response.status_code == 403
    assert _roles(city_admin.id) == ["city_admin"]
