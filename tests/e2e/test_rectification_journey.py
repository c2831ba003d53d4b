"""Issue 13's 好差评 loop in a real browser: the applicant rates a finished application 非常不满意 (a
reason is asked for), the 评价 link goes; the department's clerk finds the 差评整改 in the workbench,
answers with an attachment, records the 回访 and closes it; the applicant sees 整改结果 and 回访 on the
application's page. Every page passes axe without sideways scroll, at 390 and 1280 px."""

import pytest
from conftest import PASSWORD, make_staff
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.tests.factories import pdf_bytes
from tongban.core.calendar import seed_year
from tongban.ratings.tests.factories import finished_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url
    assert not has_sideways_scroll(page), page.url


@pytest.fixture
def finished(transactional_db, clamd, department, publish_item):
    seed_year(2026)
    citizen = ensure_user(
        username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD, phone="13800138000"
    )
    clerk = make_staff("market_clerk", department, role="clerk")
    application_id = finished_application(
        applicant_id=citizen.id, item=publish_item(department), clerk_id=clerk.id
    )
    return application_id, clerk


def _browser_as(browser, live_server, width, *, staff=None, username=None):
    client = Client()
    if staff is not None:
        login_staff(client, staff)
    else:
        client.login(username=username, password=PASSWORD)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_bad_rating_is_rectified_and_the_applicant_sees_the_outcome(
    browser, live_server, finished, tmp_path, width
):
    application_id, clerk = finished
    url = live_server.url
    citizen_context, citizen = _browser_as(browser, live_server, width, username="citizen_a")
    citizen.goto(url + "/my/applications/")
    citizen.get_by_role("link", name="评价").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("评价服务")
    for question in ("总体评价", "办事效率", "办事指南准确性", "办理便利度", "平台好用程度"):
        citizen.get_by_role("group", name=question).get_by_label("非常不满意").check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_role("alert")).to_contain_text("选择不满意或非常不满意时，请写明原因")
    _accessible(citizen)
    citizen.get_by_label("评价内容（选填）").fill("窗口推诿，没有说明退件理由")
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("办件进度")
    expect(citizen.get_by_text("办理部门正在整改，整改后会回访您。")).to_be_visible()
    _accessible(citizen)
    citizen.goto(url + "/my/applications/")
    expect(citizen.get_by_role("link", name="评价")).to_have_count(0)

    staff_context, staff = _browser_as(browser, live_server, width, staff=clerk)
    staff.goto(url + "/staff/rectifications/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("差评整改")
    _accessible(staff)
    staff.locator("table a").first.click()
    expect(staff.get_by_text("窗口推诿，没有说明退件理由")).to_be_visible()
    expect(staff.get_by_text("13800138000")).to_be_visible()
    _accessible(staff)
    staff.get_by_role("button", name="提交整改情况").click()
    expect(staff.get_by_role("alert")).to_contain_text("请填写整改情况")
    _accessible(staff)
    staff.get_by_label("整改情况").fill("已约谈窗口人员，书面说明退件理由并致歉")
    scan = tmp_path / "约谈记录.pdf"
    scan.write_bytes(pdf_bytes("talk"))
    staff.get_by_label("附件（选填）").set_input_files(str(scan))
    staff.get_by_role("button", name="提交整改情况").click()
    expect(staff.get_by_text("整改情况已提交，请回访评价人。")).to_be_visible()
    expect(staff.get_by_role("link", name="约谈记录.pdf")).to_be_visible()
    _accessible(staff)
    staff.get_by_label("日", exact=True).fill("32")
    staff.get_by_label("满意", exact=True).check()
    staff.get_by_role("button", name="记录回访").click()
    expect(staff.get_by_role("alert")).to_contain_text("回访日期须为真实存在的日期")
    _accessible(staff)
    staff.get_by_label("日", exact=True).fill(str(timezone.localdate().day))
    staff.get_by_label("满意", exact=True).check()
    staff.get_by_label("回访情况").fill("评价人表示认可")
    staff.get_by_role("button", name="记录回访").click()
    expect(staff.get_by_text("回访已记录。")).to_be_visible()
    staff.get_by_role("button", name="办结整改").click()
    expect(staff.get_by_text("整改已办结，评价人将收到通知。")).to_be_visible()
    _accessible(staff)
    staff_context.close()

    citizen.goto(url + f"/applications/{application_id}/")
    expect(citizen.get_by_text("已约谈窗口人员，书面说明退件理由并致歉", exact=False)).to_be_visible()
    expect(citizen.get_by_text("回访，您的意见：满意", exact=False)).to_be_visible()
    _accessible(citizen)
    citizen_context.close()
