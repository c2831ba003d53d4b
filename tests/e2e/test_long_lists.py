"""Long lists in a browser, a page at a time (issue 18): a citizen with 25 applications sees 20 in
我的办件 and the rest after 显示更多; a clerk with 55 waiting tasks sees 50 in 待办 and the rest after
显示更多 (htmx appends the rows and replaces the link), each row once; the 待办 count in the
navigation says 55件; the pages pass axe."""

import pyotp
import pytest
from conftest import PASSWORD, make_staff
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.services import ensure_user
from tongban.applications.tests.factories import submitted_applications

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_lists(transactional_db, department, publish_item):
    citizen = ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    ids = submitted_applications(applicant_id=citizen.id, item=publish_item(department), count=55)
    make_staff("market_clerk", department, role="clerk")
    return ids


def _rows(page, body_id: str) -> list[str]:
    """Each row's text (it holds the 办件编号, so equal texts are the same row twice)."""
    return page.locator(f"#{body_id} > tr").all_inner_texts()


def test_a_citizen_reads_my_applications_a_page_at_a_time(page, live_server, long_lists):
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("手机号码").fill("13800000001")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(f"{live_server.url}/my/applications/")
    expect(page.locator("#mine-rows > tr")).to_have_count(20)
    for more in (40, 55):
        page.get_by_role("link", name="显示更多").click()
        expect(page.locator("#mine-rows > tr")).to_have_count(more)
    expect(page.get_by_role("link", name="显示更多")).to_have_count(0)
    assert len(set(_rows(page, "mine-rows"))) == 55
    assert axe_violations(page) == []


def test_a_clerk_reads_the_inbox_a_page_at_a_time(page, live_server, long_lists):
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("用户名").fill("market_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="继续").click()
    secret = page.locator("code.totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="绑定并登录").click()
    page.goto(f"{live_server.url}/staff/tasks/")
    expect(page.get_by_role("navigation", name="工作台导航").get_by_text("55件")).to_be_visible()
    expect(page.locator("#task-rows > tr")).to_have_count(50)
    page.get_by_role("link", name="显示更多").click()
    expect(page.locator("#task-rows > tr")).to_have_count(55)
    expect(page.get_by_role("link", name="显示更多")).to_have_count(0)
    assert len(set(_rows(page, "task-rows"))) == 55
    assert axe_violations(page) == []
