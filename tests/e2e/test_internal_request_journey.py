"""内部事项 in a real browser: a staff member starts 请假 from 发起, the department head approves it from
the inbox's 内部事项 filter, HR signs its 会签, and the initiator sees it 已同意 in 我的申请 — every page
without axe violations and without sideways scroll on a phone."""

from pathlib import Path

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.organizations.services import assign_role
from tongban.workflow import services as workflow_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LEAVE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "tongban"
    / "demo"
    / "data"
    / "processes"
    / "office_leave.bpmn"
)


@pytest.fixture
def office(transactional_db, department):
    workflow_services.install_definition(key="office_leave", data=LEAVE.read_bytes(), family="internal")
    people = {
        role: make_staff(f"office_{role}", department, role=role)
        for role in ("clerk", "approver", "reviewer")
    }
    # 部门负责人审批 goes to the department's 部门负责人 (assignee department_head).
    assign_role(user_id=people["approver"].id, department_id=department.pk, role="department_head")
    return people


def _phone(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _clean(page):
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []


def test_a_leave_request_is_started_approved_and_seen_approved(browser, live_server, office):
    initiator, page = _phone(browser, live_server, office["clerk"])
    page.goto(f"{live_server.url}/staff/start/")
    _clean(page)
    page.get_by_role("link", name="请假").click()
    page.get_by_role("button", name="提交审批").click()
    assert page.title().startswith("错误：请假")
    expect(page.get_by_role("alert")).to_contain_text("请修改以下问题")
    _clean(page)
    page.get_by_label("年休假").check()
    page.locator("#field-start_date--year").fill("2026")
    page.locator("#field-start_date--month").fill("12")
    page.locator("#field-start_date--day").fill("14")
    page.get_by_label("请假天数").fill("2")
    page.get_by_label("请假事由").fill("回老家探亲")
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("status")).to_contain_text("已发起：请假")
    expect(page.get_by_role("heading", level=1)).to_have_text("请假（office_clerk）")
    _clean(page)
    initiator.close()

    head, page = _phone(browser, live_server, office["approver"])
    page.goto(f"{live_server.url}/staff/tasks/?family=internal")
    _clean(page)
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("部门负责人审批")
    expect(page.get_by_text("回老家探亲")).to_be_visible()
    _clean(page)
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    head.close()

    hr, page = _phone(browser, live_server, office["reviewer"])
    page.goto(f"{live_server.url}/staff/tasks/")
    page.get_by_role("link", name="签署").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("人事会签")
    expect(page.get_by_text("回老家探亲")).to_have_count(0)  # 请假事由 is hidden from HR
    _clean(page)
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="签署").click()
    expect(page.get_by_role("status")).to_contain_text("已签署")
    hr.close()

    initiator, page = _phone(browser, live_server, office["clerk"])
    page.goto(f"{live_server.url}/staff/requests/")
    expect(page.get_by_role("table")).to_contain_text("已同意")
    _clean(page)
    page.locator("tbody a").first.click()
    expect(page.get_by_role("table")).to_contain_text("部门负责人审批")
    # The demo model's diagram (drawn with BPMNDI) with the steps taken marked done.
    expect(page.locator(".process-diagram[data-ready=true]")).to_be_visible(timeout=15000)
    done = page.eval_on_selector_all(".djs-element.process-done", "els => els.map(e => e.dataset.elementId)")
    assert {"dept_head", "hr"} <= set(done)
    assert "leader" not in done  # 2 days: not sent to 分管领导
    _clean(page)
    initiator.close()
