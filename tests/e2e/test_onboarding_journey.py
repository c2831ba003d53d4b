"""Issue 13's must-show, in a real browser from a fresh demo city: the department administrator of
锦江区人社局 (demo account hr_admin) adds a clerk in 人员管理 with the 受理人员 role; the clerk logs in
with the password shown once, binds an authenticator (the secret is read off the page and the code
computed here), lands on the workbench (工作台) and handles the demo citizen's 失业登记 to the end, with one
补正 round that the citizen answers by replacing the named material."""

import re

import pyotp
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.applications.tests.factories import pdf_bytes
from tongban.core.sms.backends import locmem
from tongban.demo.loader import DEMO_PASSWORD, load_demo_city
from tongban.demo.sharing import DEMO_CITIZEN_ID

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEM = "失业登记"
ASKED_FOR = "失业登记承诺书"


@pytest.fixture
def demo_city(transactional_db, settings, clamd):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    cache.clear()
    locmem.outbox.clear()
    settings.DEBUG = True  # demo accounts are made only in development
    load_demo_city(with_accounts=True, with_documents=False)
    settings.DEBUG = False


def _checked(page) -> None:
    assert axe_violations(page) == [], page.url
    assert not has_sideways_scroll(page), page.url


def _second_factor(page) -> None:
    """The first login's enrolment page: the secret is shown as text; the code is computed from it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定身份验证器")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="绑定并登录").click()


def _staff_login(page, username, password) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="继续").click()
    _second_factor(page)


def test_a_department_admin_onboards_a_clerk_who_handles_a_case_with_one_correction(
    browser, live_server, demo_city, tmp_path
):
    url = live_server.url

    # 1. The department administrator adds a clerk, on a phone.
    admin = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    page = admin.new_page()
    page.goto(url + "/staff/login/?next=/staff/people/")
    _staff_login(page, "hr_admin", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("人员管理")
    _checked(page)
    page.get_by_role("link", name="添加人员").click()
    page.get_by_role("button", name="添加人员").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入用户名")
    expect(page).to_have_title(re.compile("^错误：添加人员"))
    _checked(page)
    page.get_by_label("用户名").fill("zhou.min")
    page.get_by_label("姓名").fill("周敏")
    page.get_by_label("手机号码（选填）").fill("13900002222")
    expect(page.get_by_label("部门", exact=True)).to_have_value(re.compile(r"^\d+$"))  # their one department
    page.get_by_label("受理人员").check()
    page.get_by_role("button", name="添加人员").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人员已添加")
    _checked(page)
    password = page.locator(".one-time-password").inner_text()
    page.get_by_role("link", name="查看人员").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("周敏")
    expect(page.get_by_role("row", name=re.compile("锦江区人社局.*受理人员"))).to_be_visible()
    _checked(page)
    admin.close()

    # 2. The demo citizen applies for 失业登记 online.
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    page = citizen.new_page()
    page.goto(url + "/account/login/")
    page.get_by_label("手机号码").fill("13800000001")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(url + f"/search/?q={ITEM}")
    page.get_by_role("link", name=ITEM, exact=True).click()
    page.get_by_role("button", name="开始办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("填写申请表")
    page.get_by_label("身份证号码").fill(DEMO_CITIZEN_ID)
    page.get_by_label("联系电话").fill("13800000001")
    page.get_by_label("现居住地址").fill("云州市锦江区东湖路35号")
    page.get_by_label("申请事由").fill("已与原单位解除劳动合同，申请失业登记")
    page.get_by_role("button", name="继续").click()
    first = tmp_path / "承诺书.pdf"
    first.write_bytes(pdf_bytes("unsigned"))
    for material in ("居民身份证", ASKED_FOR):
        page.get_by_label(material, exact=True).set_input_files(first)
        page.get_by_role("button", name=re.compile(rf"^上传\s*{material}$")).click()
    page.get_by_role("link", name="继续").click()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功")
    number = page.locator(".receipt-number").inner_text()

    # 3. The new clerk logs in (password, then the authenticator bound now) and lands on the workbench.
    clerk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    desk = clerk.new_page()
    desk.goto(url + "/staff/login/")
    _staff_login(desk, "zhou.min", password)
    expect(desk).to_have_url(url + "/staff/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("工作台")
    _checked(desk)
    desk.get_by_role("navigation", name="工作台导航").get_by_role("link", name=re.compile("^待办")).click()
    expect(desk).to_have_url(url + "/staff/tasks/")

    # 4. 受理 asks for a correction of the 承诺书 (it was not signed).
    desk.get_by_role("link", name=number).click()
    desk.locator("summary", has_text="退回补正").click()
    desk.get_by_label("补正说明").fill("失业登记承诺书未签名，请签名后重新上传")
    desk.get_by_label(ASKED_FOR).check()
    desk.get_by_role("button", name="退回补正").click()
    expect(desk.get_by_role("status")).to_contain_text("已退回补正")

    # 5. The citizen must replace exactly that material before the correction is accepted.
    page.goto(url + "/my/applications/")
    page.get_by_role("link", name="补正材料").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补正材料")
    expect(page.get_by_role("note")).to_contain_text("失业登记承诺书未签名，请签名后重新上传")
    expect(page.get_by_label(ASKED_FOR, exact=True)).to_be_visible()
    expect(page.get_by_label("居民身份证", exact=True)).to_have_count(0)  # only what was asked for
    _checked(page)
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_role("alert")).to_contain_text(f"请上传新的“{ASKED_FOR}”")
    signed = tmp_path / "已签名承诺书.pdf"
    signed.write_bytes(pdf_bytes("signed"))
    page.get_by_label(ASKED_FOR, exact=True).set_input_files(signed)
    page.get_by_role("button", name=re.compile(rf"^上传新文件\s*{ASKED_FOR}$")).click()
    expect(page.get_by_role("link", name="已签名承诺书.pdf")).to_be_visible()
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_text("补正材料已提交，请等待审核。")).to_be_visible()
    expect(page.locator(".summary-list .tag")).to_have_text("待预审")

    # 6. The clerk accepts and closes the case (即办: 受理, then 准予并办结).
    desk.goto(url + "/staff/tasks/")
    desk.get_by_role("link", name=number).click()
    expect(desk.get_by_role("link", name="已签名承诺书.pdf")).to_be_visible()
    desk.get_by_label("受理", exact=True).check()
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status")).to_contain_text(f"已办理：{number}")
    desk.get_by_role("link", name=number).click()
    desk.get_by_label("准予并办结").check()
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status")).to_contain_text(f"已办理：{number}")
    expect(desk.get_by_role("link", name=number)).to_have_count(0)
    clerk.close()

    page.goto(url + "/my/applications/")
    expect(page.get_by_role("row", name=re.compile(number))).to_contain_text("已办结")
    citizen.close()
