"""三权分立 (issue 20, 等保 8.1.4.2): the 系统管理员, 安全管理员 and 审计管理员 are three people."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps

from tongban.accounts.errors import InvalidDetailsError
from tongban.organizations.errors import OrganizationError, StaffConflict
from tongban.organizations.models import StaffAssignment
from tongban.organizations.services import Actor, assign_role, create_staff, grant_role
from tongban.organizations.tests.factories import DepartmentFactory

MESSAGE = "系统管理员、安全管理员和审计管理员须由不同人员担任（三权分立）"


@pytest.fixture(autouse=True)
def _seeded(db):
    # The roles' rows, also after a transactional test elsewhere flushed the tables.
    for migration in (
        "tongban.organizations.migrations.0005_seed_builtin_roles",
        "tongban.organizations.migrations.0007_seed_security_and_audit_admins",
    ):
        importlib.import_module(migration).seed(django_apps, None)


@pytest.fixture
def city_admin(db):
    return make_staff("city_admin", DepartmentFactory(name="云州市政务服务和数据管理局"), role="city_admin")


@pytest.fixture
def security_admin(db):
    # Grants are the 安全管理员's (test_role_grants.py).
    return make_staff(
        "security_officer_granting", DepartmentFactory(name="云州市数据局"), role="security_admin"
    )


def _roles(user_id):
    return sorted(StaffAssignment.objects.filter(user_id=user_id).values_list("role", flat=True))


def test_T_B4_a_security_admin_cannot_also_be_the_audit_admin(security_admin, department):
    person = make_staff("security_officer", department, role="security_admin")
    with pytest.raises(StaffConflict) as refused:
        grant_role(
            actor=Actor(user_id=security_admin.id),
            user_id=person.id,
            department_id=department.pk,
            role="audit_admin",
        )
    assert refused.value.field_errors == {"role": MESSAGE}
    assert _roles(person.id) == ["security_admin"]


def test_an_administrator_may_hold_other_roles(security_admin, department):
    person = make_staff("audit_officer", department, role="audit_admin")
    grant_role(
        actor=Actor(user_id=security_admin.id), user_id=person.id, department_id=department.pk, role="clerk"
    )
    assert _roles(person.id) == ["audit_admin", "clerk"]


def test_a_new_account_is_not_created_with_two_administrator_roles(city_admin, department):
    with pytest.raises(InvalidDetailsError) as refused:
        create_staff(
            actor=Actor(user_id=city_admin.id),
            username="two_hats",
            full_name="两职",
            phone="13900000001",
            department_id=department.pk,
            roles=["city_admin", "audit_admin"],
        )
    # The 系统管理员 opens accounts with ordinary roles only: administrator roles are not even listed.
    assert refused.value.field_errors["roles"] == "只能选择列出的岗位"
    assert not StaffAssignment.objects.filter(role="audit_admin").exists()


def test_the_setup_path_refuses_it_too(department):
    person = make_staff("sys_admin", department, role="city_admin")
    with pytest.raises(OrganizationError):
        assign_role(user_id=person.id, department_id=department.pk, role="security_admin")
    assert _roles(person.id) == ["city_admin"]
