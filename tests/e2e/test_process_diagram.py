"""Issue 4's diagram in a real browser: bpmn-js draws the enterprise start-up process of a demo case
in parallel approval, with the done steps and the current (parallel) steps highlighted — for the
applicant and for staff. Issue 8: a BPMN MIWG reference model imported view-only is drawn too."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.selectors import user_id_by_username
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.accounts.types import UserRef
from tongban.applications.selectors import applications_of
from tongban.demo.loader import load_demo_city
from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow.tests.helpers import MIWG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def startup_case(transactional_db, settings):
    settings.DEBUG = True  # demo accounts exist only in DEBUG
    load_demo_city(with_documents=False)
    applicant_id = user_id_by_username("13800000002")
    case = next(a for a in applications_of(applicant_id) if a.status == "accepted")
    return applicant_id, case.pk


def _session(context, live_server, client: Client) -> None:
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _diagram_markers(page) -> tuple[set[str], set[str]]:
    expect(page.locator(".process-diagram[data-ready=true]")).to_be_visible(timeout=15000)
    done = set(
        page.eval_on_selector_all(".djs-element.process-done", "els => els.map(e => e.dataset.elementId)")
    )
    current = set(
        page.eval_on_selector_all(".djs-element.process-current", "els => els.map(e => e.dataset.elementId)")
    )
    return done, current


def test_the_applicant_and_staff_see_the_current_steps_highlighted(
    page, live_server, startup_case, foreign_requests
):
    applicant_id, application_id = startup_case
    client = Client()
    client.force_login(get_user_model().objects.get(pk=applicant_id))
    _session(page.context, live_server, client)

    page.goto(f"{live_server.url}/applications/{application_id}/")
    done, current = _diagram_markers(page)
    assert {"accept", "market_decide"} <= done
    # The three departments still deciding, and the join that waits for them.
    assert current == {"tax_decide", "social_decide", "seal_decide", "join"}
    # The step list says the same without JavaScript and to screen readers.
    expect(page.locator(".process-steps li.step-current")).to_have_count(3)
    assert axe_violations(page) == []

    staff = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_client = Client()
    login_staff(
        staff_client,
        UserRef(id=user_id_by_username("tax_approver"), username="tax_approver", full_name="", kind="staff"),
    )
    _session(staff, live_server, staff_client)
    staff_page = staff.new_page()
    staff_page.goto(f"{live_server.url}/staff/tasks/")
    staff_page.get_by_role("link", name="YZ").first.click()
    expect(staff_page.get_by_role("heading", level=1)).to_contain_text("税务登记")
    staff_done, staff_current = _diagram_markers(staff_page)
    assert staff_current == current
    assert staff_done == done
    staff.close()
    assert foreign_requests == []


def test_a_reference_model_imported_view_only_is_drawn_by_bpmn_js(page, live_server, foreign_requests):
    """Issue 8: a department administrator uploads MIWG B.1.0 (every element of the Descriptive
    conformance class), asks for view-only import, and sees it drawn with why it cannot run."""
    admin = ensure_user(
        username="dept_admin", full_name="管理员", kind="staff", password="Correct-horse-9-battery"
    )
    department = DepartmentFactory(name="云州市锦江区市场监督管理局", short_name="锦江区市场监管局")
    assign_role(user_id=admin.id, department_id=department.pk, role="department_admin")
    client = Client()
    login_staff(client, admin)
    _session(page.context, live_server, client)

    page.goto(f"{live_server.url}/staff/processes/")
    page.get_by_label("流程标识").fill("miwg_b1")
    page.get_by_label("BPMN文件").set_input_files(str(MIWG / "B.1.0.bpmn"))
    page.get_by_label("无法运行时仅作查看导入").check()
    page.get_by_role("button", name="上传").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("B.1.0 v1")
    expect(page.get_by_text("流程定义已保存为仅供查看（不可运行）的版本")).to_be_visible()
    expect(page.locator(".view-only-reasons li").first).to_contain_text("平台不运行上传流程中的服务任务")
    expect(page.locator(".process-diagram[data-ready=true]")).to_be_visible(timeout=15000)
    assert page.locator(".process-diagram .djs-element").count() > 30
    assert axe_violations(page) == []
    assert foreign_requests == []
