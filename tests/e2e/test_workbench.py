"""The staff workbench in a browser: a new staff member logs in, binds an authenticator from the page
(QR code and secret), lands on the workbench and finds the navigation of their roles with counts;
the shell passes axe at 390 px, 1280 px and in 长辈版, without sideways scroll and with targets of
44 px (60 px in 长辈版); an administrator sees the readiness check; logging out ends the session."""

import re

import pyotp
import pytest
from conftest import PASSWORD, make_staff
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.tests.factories import draft_with_materials

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def office(transactional_db, department, publish_item):
    """A market regulator with two cases waiting for 受理, a clerk who never logged in, and a
    department administrator; nobody holds 审核 yet."""
    citizen = ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    for _ in range(2):
        application_id = draft_with_materials(applicant_id=citizen.id, item=item)
        services.submit_application(application_id=application_id, applicant_id=citizen.id)
    make_staff("market_approver", department, role="approver")
    return {
        "clerk": make_staff("market_clerk", department, role="clerk"),
        "admin": make_staff("market_admin", department, role="department_admin"),
    }


def _log_in(page, live_server, username: str) -> None:
    """Password, then bind an authenticator with the secret shown beside the QR code."""
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定身份验证器")
    qr = page.get_by_role("img", name="绑定身份验证器的二维码")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 150  # large enough to scan from the screen
    secret = page.locator("code.totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="绑定并登录").click()


def _check_page(page, *, elder: bool = False) -> None:
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert not has_sideways_scroll(page), page.url
    assert axe_violations(page) == [], page.url
    minimum = 60 if elder else 44
    targets = page.locator("nav.wb-nav a, nav.wb-account a, nav.wb-account button")
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box is not None
        assert box["height"] >= minimum, (page.url, targets.nth(i).inner_text(), box)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_new_clerk_binds_the_authenticator_and_lands_on_the_workbench(browser, live_server, office, size):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
    page = context.new_page()
    _log_in(page, live_server, "market_clerk")

    expect(page).to_have_url(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    navigation = page.get_by_role("navigation", name="工作台导航")
    expect(navigation.get_by_role("link")).to_have_text(
        [
            "待办 2件",
            "已办",
            "发起",
            "我的申请",
            "拟稿",
            "发文",
            "抄送我的",
            "待阅",
            "信息待阅",
            "通知公告",
            "会议",
            "我的日程",
            "通讯录",
            "当日预约",
            "窗口叫号",
            "证照",
            "常用语和签名",
            "代理设置",
        ]
    )
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    _check_page(page)

    navigation.get_by_role("link", name="待办").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办件办理")
    expect(navigation.locator("[aria-current=page]")).to_have_text("待办 2件")
    _check_page(page)

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("退出"))
    page.goto(f"{live_server.url}/staff/tasks/")
    expect(page).to_have_url(re.compile(r"/staff/login/\?next=/staff/tasks/$"))
    context.close()


def test_the_workbench_in_elder_mode(browser, live_server, office):
    context = browser.new_context(locale="zh-CN", viewport=SIZES["phone"])
    page = context.new_page()
    _log_in(page, live_server, "market_clerk")
    page.get_by_role("link", name="长辈版").click()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    _check_page(page, elder=True)
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('main p, main li, main a')].map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 18
    context.close()


def test_an_administrator_finds_the_missing_reviewer(browser, live_server, office):
    context = browser.new_context(locale="zh-CN", viewport=SIZES["phone"])
    page = context.new_page()
    _log_in(page, live_server, "market_admin")
    expect(page.get_by_role("heading", name="有办理环节无人承办")).to_be_visible()
    _check_page(page)
    page.get_by_role("link", name="查看岗位配置检查").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("岗位配置检查")
    row = page.get_by_role("row").filter(has_text="审查")
    expect(row).to_contain_text("审核人员")
    _check_page(page)
    context.close()
