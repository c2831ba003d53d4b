"""政务信息报送 in a real browser: a unit's 信息员 submits a 信息 (after an error summary), the 信息编辑 of
the general office adopts it into a new issue and 印发 it, the issue is circulated to a department whose
staff member finds it in 信息待阅 and opens it (a read receipt), and the editor sees it read — every page
without axe violations and without sideways scroll on a phone."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.briefings.services import issues
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    importlib.import_module("tongban.briefings.migrations.0002_seed_briefing_roles_and_levels").seed(
        django_apps, None
    )
    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办公室")
    market = DepartmentFactory(name="云州市市场监督管理局", short_name="市市场监管局")
    education = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    editor = make_staff("info_editor", office, "briefing_editor")
    issues.create_publication(user_id=editor.id, department_id=office.pk, name="云州政务信息")
    return {
        "editor": editor,
        "reporter": make_staff("market_reporter", market, "briefing_reporter"),
        "reader": make_staff("teacher", education, "clerk"),
    }


def _phone(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _clean(page):
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []


def test_a_briefing_is_submitted_adopted_published_circulated_and_read(browser, live_server, people):
    context, page = _phone(browser, live_server, people["reporter"])
    page.goto(f"{live_server.url}/staff/briefings/")
    _clean(page)
    page.get_by_role("link", name="报送信息").click()
    page.get_by_role("button", name="报送").click()
    assert page.title().startswith("错误：报送信息")
    expect(page.get_by_role("alert")).to_contain_text("请输入标题")
    _clean(page)
    page.get_by_label("标题").fill("市市场监管局推行“证照分离”改革")
    page.get_by_label("信息类型").select_option(label="经验做法")
    page.get_by_label("正文").fill("今年以来，全市新增市场主体一千二百户。\n办理时间平均压缩一半。")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_role("status")).to_contain_text("已报送")
    expect(page.get_by_text("待审核")).to_be_visible()
    _clean(page)
    context.close()

    context, page = _phone(browser, live_server, people["editor"])
    page.goto(f"{live_server.url}/staff/briefings/?status=submitted")
    _clean(page)
    page.get_by_role("link", name="市市场监管局推行“证照分离”改革").click()
    _clean(page)
    page.get_by_label("采用到").select_option(label="新建一期")
    page.get_by_role("button", name="采用", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已采用")
    page.get_by_label("编者按（选填）").fill("各地可结合实际借鉴。")
    page.get_by_role("button", name="保存编者按").click()
    _clean(page)
    page.get_by_role("button", name="印发").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第1期（总第1期）")
    page.get_by_label("云州市教育局").check()
    page.get_by_role("button", name="送传阅").click()
    expect(page.get_by_role("status")).to_contain_text("已送1人传阅")
    expect(page.get_by_role("table")).to_contain_text("未阅")
    _clean(page)
    context.close()

    context, page = _phone(browser, live_server, people["reader"])
    page.goto(f"{live_server.url}/staff/briefings/reading/")
    _clean(page)
    page.get_by_role("link", name="第1期").click()
    expect(page.get_by_role("heading", name="市市场监管局推行“证照分离”改革")).to_be_visible()
    expect(page.get_by_text("各地可结合实际借鉴。")).to_be_visible()
    _clean(page)
    context.close()

    context, page = _phone(browser, live_server, people["editor"])
    page.goto(f"{live_server.url}/staff/briefings/issues/")
    _clean(page)
    page.get_by_role("link", name="云州政务信息").click()
    expect(page.get_by_role("table")).to_contain_text("已阅")
    expect(page.get_by_role("table")).not_to_contain_text("未阅")
    page.goto(
        f"{live_server.url}/staff/briefings/ranking/?period=year&year={timezone.localdate().year}&index=1"
    )
    _clean(page)
    page.goto(f"{live_server.url}/staff/briefings/scoring/")
    _clean(page)
    context.close()
