"""一件事 in a real browser (issue 19): a citizen searches 开饭店, opens the 开办餐饮店 guide, answers
the 情形 questions (户外招牌: 是), fills the combined form once, uploads each shared material once and
submits; the tracking page lists the linked applications, and the city urban management bureau's
clerk finds the signage case in 待办 with the 一件事 number. The demo city's items and bundles."""

import re

import pytest
from conftest import PASSWORD
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.tests.factories import pdf_bytes
from tongban.demo.loader import load_demo_city
from tongban.organizations.selectors import department_by_name
from tongban.organizations.services import assign_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(transactional_db, clamd):
    load_demo_city(with_accounts=False)
    urban = department_by_name("云州市城市管理和综合执法局")
    clerk = ensure_user(username="urban_clerk_e2e", full_name="华勇", kind="staff", password=PASSWORD)
    assign_role(user_id=clerk.id, department_id=urban.id, role="clerk")
    return clerk


def _context_of(browser, client, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_open_a_restaurant_as_one_bundle(browser, live_server, city, tmp_path):
    url = live_server.url
    ensure_user(
        username="13800000077", full_name="张三", kind="citizen", password=PASSWORD, phone="13800000077"
    )
    citizen = Client()
    assert citizen.login(username="13800000077", password=PASSWORD)
    page = _context_of(browser, citizen, live_server)

    page.goto(url + "/search/?q=开饭店")
    first = page.locator(".featured-result").first
    expect(first).to_contain_text("开办餐饮店")
    first.get_by_role("link", name="开办餐饮店").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开办餐饮店")
    expect(page.get_by_role("rowheader", name="户外广告设施设置审批")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="开始办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("确认办理情形")
    page.get_by_role("group", name="是否需要设置户外招牌？").get_by_label("是").check()
    page.get_by_role("group", name="营业场所是否属于公众聚集场所？").get_by_label("否").check()
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("填写合并申请表")
    # The three items' forms share every field: each is asked once.
    expect(page.get_by_label("申请人姓名")).to_have_count(1)
    expect(page.get_by_label("申请人姓名")).to_have_value("张三")
    page.get_by_label("身份证号码").fill("110101199003074514")
    page.get_by_label("现居住地址").fill("云州市锦江区滨江路1号")
    page.get_by_label("申请事由").fill("开办张记面馆，申请营业执照、食品经营许可和门头招牌")
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("上传申请材料")
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(pdf_bytes())
    count = page.locator("input[type=file]").count()
    assert count > 0
    for n in range(count):
        page.locator("input[type=file]").nth(n).set_input_files(pdf)
        page.locator("form.form-field").nth(n).locator("button[type=submit]").click()
        expect(page.locator("form.form-field").nth(n)).to_contain_text("已上传")
    page.get_by_role("button", name="一次提交").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("开办餐饮店")
    bundle_number = page.locator(".summary-list dd").first.inner_text()
    assert re.fullmatch(r"YZYJ\d{16}", bundle_number)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("rowheader", name="户外广告设施设置审批")).to_be_visible()
    expect(page.get_by_text("待预审", exact=True)).to_have_count(3)  # each linked application
    assert axe_violations(page) == []

    staff = Client()
    login_staff(staff, city)
    clerk = _context_of(browser, staff, live_server)
    clerk.goto(url + "/staff/tasks/")
    expect(clerk.get_by_role("link", name=f"一件事 {bundle_number}")).to_be_visible()
    clerk.get_by_role("link", name=f"一件事 {bundle_number}").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text(f"一件事 {bundle_number}")
    expect(clerk.locator("tbody tr")).to_have_count(3)
