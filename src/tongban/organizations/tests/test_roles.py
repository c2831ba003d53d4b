"""岗位管理 (issue 14): roles are data. A city administrator adds, renames, deactivates; a built-in role
or one in use (held, or named by a published process) is not deactivated; assignments accept only
active roles; the page is the city administrator's only and shows its errors (UX.md)."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.organizations import selectors, services
from tongban.organizations.errors import OrganizationError, StaffError, StaffNotFound
from tongban.organizations.models import Role, StaffAssignment, StaffRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(db):
    """The data migrations' rows, also after a transactional test elsewhere flushed the tables
    (PostgreSQL runs): running it again changes nothing where they are present."""
    for migration in (
        "tongban.organizations.migrations.0005_seed_builtin_roles",
        "tongban.organizations.migrations.0007_seed_security_and_audit_admins",
        "tongban.documents.migrations.0002_seed_document_roles",
        "tongban.archives.migrations.0002_seed_archivist_and_retention_schedule",
        "tongban.meetings.migrations.0002_seed_meeting_admin_role",
        "tongban.tracking.migrations.0002_seed_tracking_officer",
        "tongban.briefings.migrations.0002_seed_briefing_roles_and_levels",
        "tongban.notices.migrations.0002_seed_notice_publisher_role",
        "tongban.disclosure_requests.migrations.0002_seed_roles",
        "tongban.consultations.migrations.0002_seed_consultation_roles",
        "tongban.hotline.migrations.0002_seed_roles_categories_limits",
        "tongban.disclosure.migrations.0002_seed_disclosure_roles",
    ):
        importlib.import_module(migration).seed(django_apps, None)


PAGE = reverse("organizations:roles")


@pytest.fixture
def city_admin(department):
    return make_staff("city_admin", department, "city_admin")


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_the_built_in_roles_are_seeded_with_department_head():
    """Every built-in role is a row (the 公文 and 档案 roles seeded by their apps' migrations)."""
    assert sorted(Role.objects.filter(is_builtin=True).values_list("code", flat=True)) == sorted(
        StaffRole.values
    )
    assert list(Role.objects.filter(is_builtin=True).values_list("code", flat=True))[:9] == [
        "catalog_editor",
        "clerk",
        "reviewer",
        "approver",
        "supervisor",
        "department_admin",
        "city_supervisor",
        "city_admin",
        "department_head",
    ]
    assert selectors.role_label("department_head") == "部门负责人"
    assert ("department_head", "部门负责人") in selectors.role_choices()


def test_a_new_role_can_be_granted_renamed_and_listed(department, city_admin):
    role_id = services.create_role(actor_id=city_admin.id, code="finance_review", name="财务审核")
    assert ("finance_review", "财务审核") in selectors.role_choices()
    person = make_staff("finance", department, "finance_review")
    services.rename_role(actor_id=city_admin.id, role_id=role_id, name="财务复核")
    assert selectors.role_label("finance_review") == "财务复核"
    assert [a.role_label for a in selectors.assignments_of(person.id)] == ["财务复核"]


def test_an_unknown_or_inactive_role_is_not_assigned(department, city_admin):
    role_id = services.create_role(actor_id=city_admin.id, code="legal_review", name="法制审核")
    services.set_role_active(actor_id=city_admin.id, role_id=role_id, active=False)
    someone = make_staff("someone", department, "clerk")
    for role in ("legal_review", "no_such_role"):
        with pytest.raises(OrganizationError):
            services.assign_role(user_id=someone.id, department_id=department.pk, role=role)
        with pytest.raises(StaffError):
            services.grant_role(
                actor=services.Actor(user_id=city_admin.id),
                user_id=someone.id,
                department_id=department.pk,
                role=role,
            )
    assert list(StaffAssignment.objects.filter(user_id=someone.id).values_list("role", flat=True)) == [
        "clerk"
    ]
    assert "legal_review" not in dict(selectors.role_choices())


def test_a_built_in_role_is_never_deactivated(city_admin):
    head = Role.objects.get(code="department_head")
    with pytest.raises(StaffError) as refused:
        services.set_role_active(actor_id=city_admin.id, role_id=head.pk, active=False)
    assert refused.value.message == "“部门负责人”是平台内置岗位，不能停用"
    assert Role.objects.get(pk=head.pk).is_active


def test_a_held_role_is_not_deactivated(department, city_admin):
    role_id = services.create_role(actor_id=city_admin.id, code="finance_review", name="财务审核")
    make_staff("finance", department, "finance_review")
    with pytest.raises(StaffError) as refused:
        services.set_role_active(actor_id=city_admin.id, role_id=role_id, active=False)
    assert refused.value.message == "“财务审核”仍在使用，不能停用：有1条岗位授权使用该岗位，请先撤销"
    assert Role.objects.get(pk=role_id).is_active


def test_an_unused_role_is_deactivated_and_reactivated(city_admin):
    role_id = services.create_role(actor_id=city_admin.id, code="legal_review", name="法制审核")
    services.set_role_active(actor_id=city_admin.id, role_id=role_id, active=False)
    assert not Role.objects.get(pk=role_id).is_active
    services.set_role_active(actor_id=city_admin.id, role_id=role_id, active=True)
    assert Role.objects.get(pk=role_id).is_active


def test_only_a_city_administrator_manages_roles(department):
    dept_admin = make_staff("dept_admin", department, "department_admin")
    with pytest.raises(StaffNotFound):
        services.create_role(actor_id=dept_admin.id, code="legal_review", name="法制审核")
    client = _client(dept_admin)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"code": "legal_review", "name": "法制审核"}).status_code == 404
    role = Role.objects.get(code="clerk")
    assert (
        client.post(reverse("organizations:role_status", args=[role.pk]), {"active": "0"}).status_code == 404
    )
    assert not Role.objects.filter(code="legal_review").exists()


def test_the_role_pages_add_rename_and_deactivate(city_admin):
    client = _client(city_admin)
    assert "部门负责人" in client.get(PAGE).content.decode()
    assert (
        client.post(
            PAGE, {"code": "legal_review", "name": "法制审核", "description": "合法性审核"}
        ).status_code
        == 302
    )
    role = Role.objects.get(code="legal_review")
    edit = reverse("organizations:role_edit", args=[role.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"name": "印章保管", "description": ""}).status_code == 302
    assert (
        client.post(reverse("organizations:role_status", args=[role.pk]), {"active": "0"}).status_code == 302
    )
    role.refresh_from_db()
    assert (role.name, role.is_active) == ("印章保管", False)


def test_the_role_pages_show_their_errors(department, city_admin):
    client = _client(city_admin)
    taken = client.post(PAGE, {"code": "clerk", "name": "受理员"})
    assert taken.status_code == 400
    page = taken.content.decode()
    assert "<title>错误：" in page
    assert "请修改以下问题" in page
    assert "岗位代码“clerk”已被使用，请换一个" in page
    bad = client.post(PAGE, {"code": "Finance Review", "name": ""}).content.decode()
    assert "岗位代码须以小写字母开头" in bad
    clerk = Role.objects.get(code="clerk")
    refused = client.post(reverse("organizations:role_status", args=[clerk.pk]), {"active": "0"})
    assert refused.status_code == 400
    assert "“受理人员”是平台内置岗位，不能停用" in refused.content.decode()
    assert Role.objects.get(pk=clerk.pk).is_active


def test_import_staff_accepts_a_city_s_role_by_name(department, city_admin):
    services.create_role(actor_id=city_admin.id, code="finance_review", name="财务审核")
    imported = services.import_staff(
        actor=services.Actor(user_id=city_admin.id),
        lines=[
            services.StaffLine(
                number=2,
                username="zhou",
                full_name="周会计",
                phone="",
                department=department.name,
                roles="财务审核",
            )
        ],
    )
    assert len(imported.created) == 1
    assert list(
        StaffAssignment.objects.filter(role="finance_review").values_list("department_id", flat=True)
    ) == [department.pk]
