"""The form engine's enhancements in a real browser: the 明细表's amounts and total update while typing
(Decimal-exact, as the server computes them), a conditional field appears when its condition holds,
rows are added and removed, and the page passes axe at 390 px, 1280 px and in elder mode."""

import re

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.schemaforms.tests.helpers import example

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13800000031"


@pytest.fixture
def form_item(transactional_db, department, publish_item):
    schema, ui = example("purchase_request")
    ensure_user(username=PHONE, full_name="张三", kind="citizen", password=PASSWORD, phone=PHONE)
    return publish_item(department, form_schema=schema, ui_schema=ui)


def test_rows_totals_and_conditions_live(page, live_server, form_item, foreign_requests):
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "/account/login/")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(f"{url}/services/{form_item.implementation_code}/")
    page.get_by_role("button", name="开始办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("填写申请表")

    reason = page.get_by_label("超预算说明")
    expect(reason).to_be_hidden()
    total = page.locator("#field-total")
    expect(total).to_have_text("0.00")

    page.get_by_label("第1行品名").fill("台式电脑")
    page.get_by_label("第1行数量").fill("10")
    page.get_by_label("第1行单价（元）").fill("4999.99")
    expect(page.locator("#field-items-0-amount")).to_have_text("49,999.90")
    expect(total).to_have_text("49,999.90")
    expect(reason).to_be_hidden()

    # 增加一行 is a plain submit: the page comes back with a second row, focused, what was typed kept.
    page.get_by_role("button", name="增加一行").click()
    second = page.get_by_label("第2行品名")
    expect(second).to_be_focused()
    expect(page.get_by_label("第1行品名")).to_have_value("台式电脑")
    second.fill("鼠标")
    page.get_by_label("第2行数量").fill("3")
    page.get_by_label("第2行单价（元）").fill("0.1")
    expect(total).to_have_text("50,000.20")
    expect(reason).to_be_visible()  # 合计 > 50000
    assert axe_violations(page) == []

    page.get_by_role("button", name="删除 第2行").click()
    expect(page.get_by_label("第2行品名")).to_have_count(0)
    expect(total).to_have_text("49,999.90")
    expect(reason).to_be_hidden()

    page.set_viewport_size({"width": 390, "height": 900})
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []

    page.goto(url + "/elder/?on=1&next=" + page.url.removeprefix(url))
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    assert axe_violations(page) == []
    size = page.get_by_label("第1行品名").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 18
    assert foreign_requests == []
