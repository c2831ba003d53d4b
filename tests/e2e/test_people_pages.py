"""The 人员管理 pages by UX.md: at 390 and 1280 px and in elder mode, with and without JavaScript, each
page has no axe finding and no sideways scroll, elder text is at least 18 px, tables have header
cells and the create form's errors are summarised and link to their fields."""

import re

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.organizations.models import StaffAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db, department, other_department):
    admin = make_staff("dept_admin", department, role="department_admin")
    clerk = make_staff("clerk", department, role="clerk")
    StaffAssignment.objects.create(user_id=clerk.id, department_id=department.pk, role="reviewer")
    make_staff("stranger", other_department, role="clerk")
    return admin, clerk


def _browser_of(browser, live_server, user, *, width, javascript=True):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


TEXT = "main p, main li, main td, main th, main dd, main dt, main label, main legend, main a, main button, main .tag"


def _smallest_text(page) -> float:
    """The smallest font size, in px, of any text element in <main>."""
    return page.evaluate(
        "sel => Math.min(...[...document.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize)))",
        TEXT,
    )


def _pages(live_server, clerk):
    base = live_server.url
    return [
        base + "/staff/people/",
        base + "/staff/people/?q=clerk&role=clerk",
        base + "/staff/people/new/",
        base + f"/staff/people/{clerk.id}/",
        base + f"/staff/people/{clerk.id}/deactivate/",
        base + f"/staff/people/{clerk.id}/password/",
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_people_pages_pass_axe_without_sideways_scroll(browser, live_server, people, width):
    admin, clerk = people
    context = _browser_of(browser, live_server, admin, width=width)
    page = context.new_page()
    for url in _pages(live_server, clerk):
        page.goto(url)
        assert axe_violations(page) == [], url
        assert not has_sideways_scroll(page), url
    page.goto(live_server.url + "/staff/people/")
    expect(page.get_by_role("columnheader", name="岗位")).to_have_count(1)
    expect(page.get_by_role("link", name="stranger")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_people_pages_in_elder_mode(browser, live_server, people, javascript):
    admin, clerk = people
    context = _browser_of(browser, live_server, admin, width=390, javascript=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/staff/people/")
    page.get_by_role("link", name="长辈版").click()
    expect(page.locator("html")).to_have_class("elder")
    for url in _pages(live_server, clerk):
        page.goto(url)
        assert _smallest_text(page) >= 18, url
        assert not has_sideways_scroll(page), url
        if javascript:
            assert axe_violations(page) == [], url
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_create_form_s_errors_link_to_their_fields(browser, live_server, people, javascript):
    admin, _clerk = people
    context = _browser_of(browser, live_server, admin, width=390, javascript=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/staff/people/new/")
    page.get_by_label("用户名").fill("Wang")
    page.get_by_role("button", name="添加人员").click()
    expect(page).to_have_title(re.compile("^错误：添加人员"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "用户名须以小写字母开头，只能包含小写字母、数字、下划线、点和连字符",
            "请输入姓名",
            "请至少选择一个岗位",
        ]
    )
    expect(page.get_by_label("用户名")).to_have_value("Wang")
    summary.get_by_role("link", name="请至少选择一个岗位").click()
    expect(page.get_by_label("事项管理员")).to_be_focused()
    if javascript:
        assert axe_violations(page) == []
    context.close()
