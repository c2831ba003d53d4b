"""Issue 8's journey in a real browser: the approver signs 决定 with a common phrase; at 办结 the clerk
sends the case back to 审查 with a reason and 直送; the reviewer sees the reason and fixes it; the case
goes straight back to the clerk's 办结 (决定 is not asked again) — all on a 390 px wide phone screen."""

import pytest
from conftest import PASSWORD, make_staff
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.workflow.selectors import open_tasks_of, process_record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_at_decision(transactional_db, department, publish_item):
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    application_id = draft_with_materials(applicant_id=citizen.id, item=publish_item(department))
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    staff = {
        role: make_staff(f"market_{role}", department, role=role)
        for role in ("clerk", "reviewer", "approver")
    }
    for step, role, action in (("accept", "clerk", "accept"), ("review", "reviewer", "pass")):
        [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
        services.handle_task(task_id=task.id, staff_id=staff[role].id, action=action, opinion="同意")
    return application_id, staff


def _phone(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _open_task(page, live_server, application_id, step):
    [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
    page.goto(f"{live_server.url}/staff/tasks/{task.id}/")


def test_send_back_with_direct_return_and_a_common_phrase_on_a_phone(browser, live_server, case_at_decision):
    application_id, staff = case_at_decision

    approver, page = _phone(browser, live_server, staff["approver"])
    _open_task(page, live_server, application_id, "decide")
    page.get_by_label("准予").check()
    page.get_by_label("常用语").select_option("经审查，符合法定条件，拟同意。")
    expect(page.get_by_label("办理意见")).to_have_value("经审查，符合法定条件，拟同意。")
    assert not has_sideways_scroll(page)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    approver.close()

    clerk, page = _phone(browser, live_server, staff["clerk"])
    _open_task(page, live_server, application_id, "close")
    page.locator("summary", has_text="退回").click()
    page.get_by_label("审查").check()
    page.get_by_label("退回理由").fill("经营场所证明已过期，请重新审查")
    page.get_by_label("直送：办理后直接送回本环节").check()
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已退回")
    clerk.close()

    reviewer, page = _phone(browser, live_server, staff["reviewer"])
    _open_task(page, live_server, application_id, "review")
    expect(page.get_by_role("note")).to_contain_text("经营场所证明已过期，请重新审查")
    page.get_by_label("办理意见").fill("已核验新的经营场所证明，符合条件")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    reviewer.close()

    [back_at] = open_tasks_of(subject_of(application_id))
    assert back_at.step == "close"  # straight back: 决定 was not asked again
    assert [(r.name, r.status, r.action_label) for r in process_record(subject_of(application_id))][-4:] == [
        ("办结", "returned", "退回至审查"),
        ("审查", "completed", "审查通过"),
        ("决定", "completed", "直送跳过"),
        ("办结", "open", ""),
    ]
