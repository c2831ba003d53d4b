"""Issue 13: on a fresh demo city a citizen books 结婚登记 at the hall, reschedules and cancels; then books
again, the hall's clerk sees the booking among the published slots and closes that day, and the
citizen sees why the booking was cancelled. Every page passes axe; the staff pages fit a phone."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.access import STAFF_OTP_VERIFIED
from tongban.demo.loader import load_demo_city

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CODE = re.compile(r"[2-9A-HJ-NP-Z]{6}")


@pytest.fixture
def demo_city(transactional_db, settings):
    settings.DEBUG = True  # demo accounts exist only in DEBUG
    load_demo_city(with_documents=False)


def _log_in(context, live_server, username: str, *, staff: bool = False) -> None:
    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    if staff:  # the staff login's second factor, as accounts.tests.helpers.login_staff leaves it
        session = client.session
        session[STAFF_OTP_VERIFIED] = user.pk
        session.save()
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url
    assert not has_sideways_scroll(page), page.url


def _booked_code(page) -> str:
    code = page.locator(".notice h2").inner_text()
    assert CODE.fullmatch(code), code
    return code


def test_citizen_books_reschedules_and_cancels_and_the_hall_closes_a_day(browser, live_server, demo_city):
    foreign_requests: list[str] = []
    citizen = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _log_in(citizen, live_server, "13800000001")
    page = citizen.new_page()
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else foreign_requests.append(r.url)
    )

    # Book from the guide.
    page.goto(f"{live_server.url}/search/?q=结婚登记")
    page.get_by_role("link", name="内地居民结婚登记").click()
    page.get_by_role("link", name="预约到大厅办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("选择预约时段")
    _accessible(page)
    slots = page.locator("input[name=slot]")
    assert slots.count() > 20  # two weeks of half-hour slots
    first_label = page.locator(f"label[for='{slots.nth(0).get_attribute('id')}']").inner_text()
    assert first_label == "09:00–09:30"
    slots.nth(0).check()
    page.get_by_role("button", name="确认预约").click()
    first_code = _booked_code(page)
    expect(page.get_by_text(f"预约成功，您的预约码是 {first_code}")).to_be_visible()
    expect(page.get_by_text("锦江区政务服务中心（")).to_be_visible()
    _accessible(page)

    # Reschedule to the next slot of the same day.
    page.get_by_role("link", name="改约").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("选择新的预约时段")
    _accessible(page)
    page.locator("input[name=slot]").nth(0).check()
    page.get_by_role("button", name="确认改约").click()
    second_code = _booked_code(page)
    assert second_code != first_code
    expect(page.get_by_text(f"改约成功，新的预约码是 {second_code}")).to_be_visible()
    day_and_time = page.locator("dt:text('预约时间') + dd").inner_text()
    assert day_and_time.endswith("09:30–10:00"), day_and_time

    # Cancel it.
    page.get_by_role("button", name="取消预约").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的预约")
    expect(page.get_by_text(f"已取消预约 {second_code}")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator(".tag")).to_have_text(["已取消", "已取消"])
    _accessible(page)

    # Book again, for the hall to close that day.
    page.goto(f"{live_server.url}/search/?q=结婚登记")
    page.get_by_role("link", name="内地居民结婚登记").click()
    page.get_by_role("link", name="预约到大厅办理").click()
    page.locator("input[name=slot]").nth(2).check()
    page.get_by_role("button", name="确认预约").click()
    third_code = _booked_code(page)
    booked_day = page.locator("dt:text('预约时间') + dd").inner_text().split(" ")[0]  # 2026年12月8日
    year, month, day = re.fullmatch(r"(\d+)年(\d+)月(\d+)日", booked_day).groups()
    detail_url = page.url

    # The hall's clerk, on a phone.
    staff = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    _log_in(staff, live_server, "civil_clerk", staff=True)
    desk = staff.new_page()
    desk.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else foreign_requests.append(r.url)
    )
    desk.goto(f"{live_server.url}/staff/appointments/rules/")
    expect(desk.get_by_role("row", name=re.compile("内地居民结婚登记"))).to_contain_text("30分钟")
    _accessible(desk)
    desk.get_by_role("link", name="新建预约规则").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("新建预约规则")
    _accessible(desk)

    desk.get_by_role("link", name="返回预约规则").click()
    desk.get_by_role("link", name="预约时段").click()
    summary = (
        desk.locator("tbody tr")
        .filter(has_text=f"{int(month)}月{int(day)}日 星期")
        .filter(has_text="内地居民结婚登记")
    )
    expect(summary.locator("td[data-label='已预约']")).to_have_text("1")
    _accessible(desk)
    summary.get_by_role("link", name="内地居民结婚登记").click()
    expect(desk.get_by_role("table").locator("caption")).to_have_text("内地居民结婚登记")
    _accessible(desk)

    desk.get_by_role("link", name="停止预约").click()
    desk.get_by_label("停止预约的事项").select_option(label="内地居民结婚登记（锦江区政务服务中心）")
    desk.get_by_label("年", exact=True).fill(year)
    desk.get_by_label("月", exact=True).fill(month)
    desk.get_by_label("日", exact=True).fill(day)
    desk.get_by_label("原因").fill("婚姻登记系统升级，暂停办理")
    _accessible(desk)
    desk.get_by_role("button", name="停止预约并通知申请人").click()
    expect(desk.get_by_text("已停止预约，取消了 1 个预约并通知了申请人。")).to_be_visible()
    expect(desk.locator("tbody tr").filter(has_text=booked_day)).to_contain_text("婚姻登记系统升级，暂停办理")
    _accessible(desk)

    # The citizen learns why.
    page.goto(detail_url)
    expect(page.locator(".notice .tag")).to_have_text("已取消")
    expect(page.locator("dt:text('取消原因') + dd")).to_have_text("大厅停止预约：婚姻登记系统升级，暂停办理")
    page.goto(f"{live_server.url}/my/messages/")
    expect(
        page.get_by_text(re.compile(f"预约码{third_code}）已取消。原因：婚姻登记系统升级，暂停办理"))
    ).to_be_visible()
    assert foreign_requests == []
    staff.close()
    citizen.close()
