"""The staff shell on every staff page: header with the user and a logout button, the navigation, one
h1; the workbench home; landing there after login is tested in accounts."""

import re

import pytest
from conftest import make_staff
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.organizations.services import assign_role
from tongban.workbench.tests import test_nav

ALL_ROLES = [
    "clerk",
    "reviewer",
    "approver",
    "catalog_editor",
    "supervisor",
    "department_admin",
    "city_admin",
    "archivist",
    "tracking_officer",
    "briefing_reporter",
    "briefing_editor",
]
ACCOUNTS = len(test_nav.ACCOUNTS)
LOGOUT_FORM = re.compile(
    r'<form action="/account/logout/" method="post" class="wb-inline-form" hx-boost="false">'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">\s*'
    r'<button type="submit" class="link-button">退出登录</button>'
)


@pytest.fixture
def everything(department):
    """A staff member holding every role: the navigation lists every page."""
    user = make_staff("all_roles", department, role="clerk")
    for role in ALL_ROLES[1:]:
        assign_role(user_id=user.id, department_id=department.pk, role=role)
    assign_role(user_id=user.id, department_id=department.pk, role="document_clerk")  # 收文
    assign_role(user_id=user.id, department_id=department.pk, role="meeting_admin")  # 会议室管理
    return user


def _shell_parts(body: str) -> dict[str, int]:
    return {
        "h1": len(re.findall(r"<h1[ >]", body)),
        "main": body.count("<main "),
        "skip": body.count('<a class="skip-link" href="#main">跳到主要内容</a>'),
        "nav": body.count('<nav class="wb-nav" aria-label="工作台导航">'),
        "logout": len(LOGOUT_FORM.findall(body)),
        "search": body.count('class="header-search"'),  # the portal's search, not a page's own filter
    }


def test_every_page_of_the_navigation_has_the_shell_and_a_logout_button(client, everything):
    login_staff(client, everything)
    home = client.get(reverse("workbench:home"))
    navigation = home.content.decode().split('aria-label="工作台导航"')[1].split("</nav>")[0]
    links = re.findall(r'<li><a href="([^"]+)"', navigation)
    assert (
        len(links) == 45 + ACCOUNTS
    )  # every entry (系统管理 once its page is merged); 窗口叫号 and 遮蔽规则 since issues 19 and 17; 部门管理 (20); 一件事管理 (19)
    pages = [reverse("workbench:home"), reverse("notifications:inbox")]
    pages += [link.replace("&amp;", "&") for link in links if not link.startswith(f"/{settings.ADMIN_URL}")]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        parts = _shell_parts(response.content.decode())
        assert parts == {"h1": 1, "main": 1, "skip": 1, "nav": 1, "logout": 1, "search": 0}, page


def test_the_staff_login_has_the_staff_header_without_navigation_or_logout(client, db):
    body = client.get(reverse("accounts:staff_login")).content.decode()
    assert _shell_parts(body) == {"h1": 1, "main": 1, "skip": 1, "nav": 0, "logout": 0, "search": 0}
    assert "长辈版" in body
    assert '<span class="wb-title">工作台</span>' in body


def test_the_header_names_the_user_and_the_departments(client, department, clerk):
    login_staff(client, clerk)
    body = client.get(reverse("applications:staff_inbox")).content.decode()
    assert (
        f'<span class="wb-user">market_clerk<span class="wb-departments">（{department.short_name}）</span></span>'
        in body
    )


def test_the_logout_button_ends_the_session(client, clerk):
    login_staff(client, clerk)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:logged_out")
    inbox = client.get(reverse("applications:staff_inbox"))
    assert inbox["Location"] == f"{reverse('accounts:staff_login')}?next=/staff/tasks/"


def test_elder_mode_keeps_the_shell(client, clerk):
    login_staff(client, clerk)
    client.cookies["tongban_elder"] = "1"
    body = client.get(reverse("workbench:home")).content.decode()
    assert '<html lang="zh-CN" class="elder">' in body
    assert "?on=0&amp;next=/staff/" in body  # 标准版
    assert _shell_parts(body)["nav"] == 1


def test_a_citizen_gets_no_workbench(citizen_client):
    assert citizen_client.get(reverse("workbench:home")).status_code == 404


def test_the_home_page_counts_the_work_and_lists_the_roles(client, department, clerk, submit):
    submit(2)
    login_staff(client, clerk)
    body = client.get(reverse("workbench:home")).content.decode()
    panel = body.split('<h2 id="panel-todo">待办</h2>')[1].split("</section>")[0]
    assert (
        '<a href="/staff/tasks/?family=application"><span class="wb-counts-label">办件</span> '
        '<span class="wb-counts-number">2件</span></a>' in panel
    )
    assert (
        '<span class="wb-counts-label">内部事项</span> <span class="wb-counts-number wb-counts-zero">0件</span>'
        in panel
    )
    assert f"<li>{department.short_name}：受理人员</li>" in body
    assert "岗位配置检查" not in body  # not an administrator


def test_my_messages_is_a_workbench_page_for_staff_and_a_portal_page_for_citizens(clerk, citizen_client):
    staff = Client()
    login_staff(staff, clerk)
    assert 'aria-label="工作台导航"' in staff.get(reverse("notifications:inbox")).content.decode()
    portal = citizen_client.get(reverse("notifications:inbox")).content.decode()
    assert 'aria-label="工作台导航"' not in portal
    assert 'class="header-search"' in portal
