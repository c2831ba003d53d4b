"""岗位配置检查 for administrators: the page, its scope, and the banner on the workbench home."""

import pytest
from conftest import make_staff
from django.contrib.auth import get_user_model
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff

PAGE = "/staff/readiness/"


@pytest.fixture
def item(department, publish_item):
    """An item of ``department`` with a clerk and an approver but no reviewer: 审查 has nobody."""
    make_staff("market_clerk", department, role="clerk")
    make_staff("market_approver", department, role="approver")
    return publish_item(department)


def test_a_department_administrator_sees_the_step_nobody_holds(client, department, item):
    login_staff(client, make_staff("market_admin", department, role="department_admin"))
    response = client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "共1个环节无人承办。" in body
    assert (
        f'<td data-label="环节">审查</td>\n    <td data-label="承办部门">{department.short_name}</td>' in body
    )
    assert '<td data-label="所缺岗位">审核人员</td>' in body
    home = client.get(reverse("workbench:home")).content.decode()
    assert "1个办理环节在承办部门没有人担任所需岗位" in home


def test_granting_the_role_clears_the_page_and_the_banner(client, department, item):
    login_staff(client, make_staff("market_admin", department, role="department_admin"))
    make_staff("market_reviewer", department, role="reviewer")
    assert "每个网上办理事项的每个环节都有人承办。" in client.get(PAGE).content.decode()
    home = client.get(reverse("workbench:home")).content.decode()
    assert "没有人担任所需岗位" not in home
    assert "每个网上办理事项的每个环节都有人承办" in home


def test_the_administrator_of_another_department_sees_nothing_of_it(client, other_department, item):
    login_staff(client, make_staff("civil_admin", other_department, role="department_admin"))
    assert "无人承办的环节" not in client.get(PAGE).content.decode()


def test_a_city_administrator_sees_every_department(client, other_department, item):
    login_staff(client, make_staff("city_admin", other_department, role="city_admin"))
    body = client.get(PAGE).content.decode()
    assert "全市各部门" in body
    assert "共1个环节无人承办。" in body


@pytest.mark.parametrize(
    "role", ["clerk", "reviewer", "approver", "supervisor", "city_supervisor", "catalog_editor"]
)
def test_anyone_else_gets_a_404(client, department, item, role):
    login_staff(client, make_staff("someone", department, role=role))
    assert client.get(PAGE).status_code == 404
    assert "岗位配置检查" not in client.get(reverse("workbench:home")).content.decode()


def test_an_inactive_department_administrator_role_does_not_count(client, department, item):
    from tongban.organizations.tests.factories import DepartmentFactory

    closed = DepartmentFactory(is_active=False)
    login_staff(client, make_staff("old_admin", closed, role="department_admin"))
    assert client.get(PAGE).status_code == 404


def test_deactivated_accounts_do_not_hold_their_roles(client, department, item):
    reviewer = make_staff("market_reviewer", department, role="reviewer")
    get_user_model().objects.filter(pk=reviewer.id).update(is_active=False)
    login_staff(client, make_staff("market_admin", department, role="department_admin"))
    assert "共1个环节无人承办。" in client.get(PAGE).content.decode()
