"""Issue 6's journey in a real browser: an enterprise finds its 营业执照 in 我的证照, makes a 加注件 link for
its bank, the bank opens it; staff of the issuing department revoke the license and the QR page says so.
Every page passes axe at 390 and 1280 px without sideways scroll."""

import re

import pyotp
import pytest
from conftest import PASSWORD, make_staff
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.licenses.selectors import licenses_of
from tongban.licenses.tests.factories import (
    business_license_type,
    close_application,
    enterprise,
    submitted_application,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url
    assert not has_sideways_scroll(page), page.url


@pytest.fixture
def issued(transactional_db, department, publish_item):
    cache.clear()
    holder = enterprise()
    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    application_id = submitted_application(item, applicant_id=holder.id)
    close_application(application_id)  # autocommit: the receiver issues the license at once
    return licenses_of(holder.id).get()


@pytest.mark.parametrize("width", [390, 1280])
def test_holder_shares_the_license_and_staff_revoke_it(page, live_server, issued, department, width):
    url = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url + "/account/login/")
    page.get_by_label("手机号码").fill("13800000002")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    page.goto(url + "/account/")
    page.get_by_role("link", name="我的证照").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的证照")
    _accessible(page)
    page.get_by_role("link", name=re.compile("^查看")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("营业执照")
    _accessible(page)

    page.get_by_role("button", name="生成加注件").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入用途")
    _accessible(page)
    page.get_by_label("用途").fill("办理银行开户")
    page.get_by_label("有效天数").fill("3")
    page.get_by_label("住所").check()
    page.get_by_role("button", name="生成加注件").click()
    expect(page.get_by_text("已生成加注件链接。")).to_be_visible()
    share_url = page.get_by_role("link", name=re.compile("^加注件链接")).get_attribute("href")

    bank = page.context.browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    bank_page = bank.new_page()
    assert share_url.startswith(url), share_url  # shared links are absolute (sent to the bank)
    bank_page.goto(share_url)
    expect(bank_page.get_by_text("本加注件仅用于：办理银行开户", exact=False)).to_be_visible()
    expect(bank_page.get_by_text("云州市锦江区滨江路18号")).to_be_visible()
    _accessible(bank_page)

    approver = make_staff("market_approver", department, role="approver")
    staff = page.context.browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    staff_page = staff.new_page()
    staff_page.goto(url + "/staff/login/?next=/staff/licenses/")
    staff_page.get_by_label("用户名").fill(approver.username)
    staff_page.get_by_label("密码").fill(PASSWORD)
    staff_page.get_by_role("button", name="继续").click()
    secret = staff_page.locator(".totp-secret").inner_text().replace(" ", "")
    staff_page.get_by_label("验证码").fill(pyotp.TOTP(secret).now())
    staff_page.get_by_role("button", name="绑定并登录").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("本部门签发的电子证照")
    _accessible(staff_page)
    staff_page.get_by_role("link", name=issued.number).click()
    staff_page.get_by_role("button", name="注销证照").click()
    expect(staff_page.get_by_role("alert")).to_contain_text("请输入注销原因")
    _accessible(staff_page)
    staff_page.get_by_label("注销原因").fill("营业执照被依法吊销")
    staff_page.get_by_role("button", name="注销证照").click()
    expect(staff_page.get_by_text("证照已注销。")).to_be_visible()
    _accessible(staff_page)
    staff.close()

    bank_page.goto(url + f"/licenses/verify/{issued.verification_token}/")
    expect(bank_page.get_by_text("已注销", exact=True)).to_be_visible()
    _accessible(bank_page)
    bank.close()
