"""Issue 8's mobile pass: the staff pages on a 390 × 844 phone screen — 待办, 已办, a task, the case,
抄送我的 and 流程监控 — fit without sideways scroll, have no serious or critical axe findings, keep
their primary actions (签收, 办理, 退回) visible and at least 44 px tall, and show tables as stacked
cards or in a captioned scrolling box; approving and returning work by tapping."""

import re

import pytest
from conftest import PASSWORD
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.selectors import applications_by_ids
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.organizations.services import assign_role
from tongban.workflow import services as workflow_services
from tongban.workflow.selectors import open_tasks_of, process_record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TAP_TARGET = 44
# Demo-like staff of the market regulator (names as in the demo city).
STAFF = {
    "clerk": ("market_clerk", "赵敏"),
    "reviewer": ("market_reviewer", "孙丽"),
    "approver": ("market_approver", "郑伟"),
    "department_admin": ("process_admin", "高远"),
}


def _advance(application_id: int, staff: dict, steps: list[tuple[str, str, str]]) -> None:
    for step, role, action in steps:
        [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
        services.handle_task(task_id=task.id, staff_id=staff[role].id, action=action, opinion="同意")


def _number(application_id: int) -> str:
    return applications_by_ids({application_id})[application_id].number


def _task_of(application_id: int, step: str):
    [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
    return task


@pytest.fixture
def office(transactional_db, department, publish_item):
    """The market regulator's morning: a new case waiting for 受理 (unclaimed), a case at 决定 and
    one at 办结, a case copied to the clerk, and a department administrator watching them."""
    staff = {}
    for role, (username, name) in STAFF.items():
        staff[role] = ensure_user(username=username, full_name=name, kind="staff", password=PASSWORD)
        assign_role(user_id=staff[role].id, department_id=department.pk, role=role)
    citizen = ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    cases = {}
    for name in ("new", "decide", "close"):
        application_id = draft_with_materials(applicant_id=citizen.id, item=item)
        services.submit_application(application_id=application_id, applicant_id=citizen.id)
        cases[name] = application_id
    _advance(cases["decide"], staff, [("accept", "clerk", "accept"), ("review", "reviewer", "pass")])
    _advance(
        cases["close"],
        staff,
        [("accept", "clerk", "accept"), ("review", "reviewer", "pass"), ("decide", "approver", "approve")],
    )
    workflow_services.copy_case(
        task_id=_task_of(cases["decide"], "decide").id,
        user_id=staff["approver"].id,
        to_user_ids=[staff["clerk"].id],
        note="请了解该办件进展",
    )
    return staff, cases


@pytest.fixture
def phone(browser, live_server):
    """phone(user) → a page on a touch screen 390 px wide, logged in as ``user``."""
    contexts = []

    def _open(user):
        client = Client()
        login_staff(client, user)
        context = browser.new_context(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _serious(page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


def _tables_that_overflow(page) -> list[str]:
    """Tables wider than the screen that are not inside a captioned box scrolling sideways."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main table')].filter(table => {
            if (table.getBoundingClientRect().right <= window.innerWidth) return false;
            const box = table.closest('.table-scroll');
            const scrolls = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
                && box.getBoundingClientRect().right <= window.innerWidth;
            return !(scrolls && table.caption);
        }).map(table => table.caption ? table.caption.textContent.trim() : table.outerHTML.slice(0, 80))"""
    )


def _assert_fits_a_phone(page, *, actions=()) -> None:
    """No sideways scroll, no serious/critical axe findings, tables fit, actions tall enough."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], page.url
    assert _serious(page) == [], page.url
    assert _tables_that_overflow(page) == [], page.url
    for action in actions:
        expect(action).to_be_visible()
        box = action.bounding_box()
        assert box is not None
        assert box["height"] >= TAP_TARGET, (page.url, action, box)
        assert box["x"] >= 0, (page.url, action, box)
        assert box["x"] + box["width"] <= PHONE["width"], (page.url, action, box)


def test_staff_pages_fit_a_phone_screen(phone, live_server, office):
    staff, cases = office
    page = phone(staff["clerk"])

    page.goto(f"{live_server.url}/staff/tasks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("办件办理")
    new_row = page.get_by_role("row").filter(has_text=_number(cases["new"]))
    close_row = page.get_by_role("row").filter(has_text=_number(cases["close"]))
    _assert_fits_a_phone(
        page,
        actions=[
            new_row.get_by_role("button", name="签收"),
            close_row.get_by_role("button", name="签收"),
            page.get_by_role("link", name="已办"),
            page.get_by_role("link", name="抄送我的"),
        ],
    )

    close_row.get_by_role("button", name="签收").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("办结")
    _assert_fits_a_phone(
        page,
        actions=[
            page.locator("label").filter(has_text=re.compile("^办结$")),  # the radio's tap target
            page.get_by_role("button", name="提交"),
            page.locator("summary").filter(has_text=re.compile("^退回$")),
        ],
    )

    page.goto(f"{live_server.url}/staff/tasks/")  # claimed now: the row offers 办理
    _assert_fits_a_phone(page, actions=[close_row.get_by_role("link", name="办理")])

    page.get_by_role("link", name="已办").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("办件办理")
    expect(page.locator("[aria-current=page]")).to_have_text("已办")
    _assert_fits_a_phone(page, actions=[page.get_by_role("button", name="撤回").first])

    page.goto(f"{live_server.url}/staff/applications/{cases['close']}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(_number(cases["close"]))
    _assert_fits_a_phone(page)

    page.goto(f"{live_server.url}/staff/copies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("抄送我的")
    copied = page.get_by_role("link", name=_number(cases["decide"]))
    _assert_fits_a_phone(page, actions=[copied])
    copied.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(_number(cases["decide"]))
    _assert_fits_a_phone(page)

    admin = phone(staff["department_admin"])
    admin.goto(f"{live_server.url}/staff/monitor/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("流程监控")
    _assert_fits_a_phone(
        admin,
        actions=[
            admin.get_by_role("button", name="筛选"),
            admin.get_by_role("button", name="挂起").first,
            admin.get_by_role("button", name="重置处理人").first,
        ],
    )


def test_approve_and_return_by_tapping_on_a_phone(phone, live_server, office):
    staff, cases = office

    page = phone(staff["approver"])
    page.goto(f"{live_server.url}/staff/tasks/")
    page.get_by_role("row").filter(has_text=_number(cases["decide"])).get_by_role("button", name="签收").tap()
    page.get_by_role("radio", name="准予").tap()
    page.get_by_label("办理意见").fill("经审查，符合法定条件，同意。")
    _assert_fits_a_phone(page, actions=[page.get_by_role("button", name="提交")])
    page.get_by_role("button", name="提交").tap()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    assert _task_of(cases["decide"], "close").step == "close"

    page = phone(staff["clerk"])
    page.goto(f"{live_server.url}/staff/tasks/{_task_of(cases['close'], 'close').id}/")
    page.locator("summary").filter(has_text=re.compile("^退回$")).tap()
    page.get_by_role("radio", name="审查").tap()
    page.get_by_label("退回理由").fill("经营场所证明已过期，请重新审查")
    page.get_by_role("checkbox", name="直送：办理后直接送回本环节").tap()
    send_back = page.get_by_role("button", name="退回", exact=True)
    _assert_fits_a_phone(page, actions=[send_back])
    send_back.tap()
    expect(page.get_by_role("status")).to_contain_text("已退回")
    [back] = open_tasks_of(subject_of(cases["close"]))
    assert back.step == "review"
    assert back.return_reason == "经营场所证明已过期，请重新审查"
    assert [(r.name, r.status) for r in process_record(subject_of(cases["close"]))][-2:] == [
        ("办结", "returned"),
        ("审查", "open"),
    ]
