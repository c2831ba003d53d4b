"""取号叫号 in a real browser (issue 19): a walk-in takes a number at the hall's kiosk page; the window
clerk calls the next number on the window panel; the hall's display screen (refreshed by htmx) shows
the call, and the walk-in's ticket page tells them which window to go to. The test's own data."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.tests.helpers import login_staff
from tongban.appointments.tests.conftest import window
from tongban.organizations.tests.factories import ServiceHallFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hall_with_window(transactional_db, department, publish_item):
    from conftest import make_staff

    hall = ServiceHallFactory(name="云州市政务服务中心")
    window_id = window(hall, "A01", department)
    item = publish_item(department, hall_id=hall.pk, name="食品经营许可证核发")
    clerk = make_staff("market_clerk", department, role="clerk")
    return hall, window_id, item, clerk


def test_a_walk_in_is_called_on_the_hall_screen(page, browser, live_server, hall_with_window):
    hall, window_id, _item, clerk = hall_with_window
    page.goto(f"{live_server.url}/halls/{hall.pk}/queue/")
    page.get_by_role("button", name="食品经营许可证核发").click()
    expect(page.locator(".receipt-number")).to_have_text("A001")
    expect(page.get_by_text("前面还有 0 人等候")).to_be_visible()
    ticket_url = page.url

    screen_context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    screen = screen_context.new_page()
    screen.goto(f"{live_server.url}/halls/{hall.pk}/queue/display/")
    expect(screen.get_by_text("请耐心等候叫号")).to_be_visible()

    client = Client()
    login_staff(client, clerk)
    staff_context = browser.new_context(locale="zh-CN")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    staff_context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    staff = staff_context.new_page()
    staff.goto(f"{live_server.url}/staff/queue/windows/{window_id}/")
    staff.get_by_role("button", name="叫下一位").click()
    expect(staff.get_by_text("请A001号到A01号窗口")).to_be_visible()

    # The screen polls every 3 seconds: no reload.
    expect(screen.locator(".queue-display-latest")).to_have_text("请 A001 号到 A01 号窗口", timeout=10_000)
    assert axe_violations(screen) == []
    page.goto(ticket_url)
    expect(page.get_by_text("请到A01号窗口办理")).to_be_visible()
    assert axe_violations(page) == []

    staff.get_by_role("button", name="办结").click()
    expect(staff.get_by_text("当前没有正在办理的号。")).to_be_visible()
    expect(screen.get_by_text("请耐心等候叫号")).to_be_visible(timeout=10_000)
