"""依次签署 in a real browser on a 390 px phone: the section head signs 审批 with a common phrase, the
deputy director then finds it in the inbox, sees who signed before, and signs 不同意 with a reason;
the step is decided (会签未通过) and the case goes on to 办结."""

import pytest
from conftest import PASSWORD, make_staff
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tests.e2e.test_send_back_journey import _open_task, _phone
from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.workflow.selectors import open_tasks_of, process_record
from tongban.workflow.services import upload_definition
from tongban.workflow.tests.helpers import joint_decide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_at_joint_decision(transactional_db, department, publish_item):
    upload_definition(key="standard", data=joint_decide("sequential"), uploaded_by_id=None)  # type: ignore[arg-type]
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    application_id = draft_with_materials(applicant_id=citizen.id, item=publish_item(department))
    clerk = make_staff("market_clerk", department, role="clerk")
    reviewer = make_staff("market_reviewer", department, role="reviewer")
    heads = [make_staff(name, department, role="approver") for name in ("section_head", "deputy_director")]
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    for step, user, action in (("accept", clerk, "accept"), ("review", reviewer, "pass")):
        [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
        services.handle_task(task_id=task.id, staff_id=user.id, action=action, opinion="同意")
    return application_id, heads


def test_two_approvers_sign_in_turn_on_a_phone(browser, live_server, case_at_joint_decision):
    application_id, (head, deputy) = case_at_joint_decision

    context, page = _phone(browser, live_server, head)
    _open_task(page, live_server, application_id, "decide")
    expect(page.get_by_role("heading", name="会签：依次签署")).to_be_visible()
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("常用语").select_option("经审查，符合法定条件，拟同意。")
    expect(page.get_by_label("意见（不同意时必填）")).to_have_value("经审查，符合法定条件，拟同意。")
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="签署").click()
    expect(page.get_by_role("status")).to_contain_text("已签署")
    context.close()

    context, page = _phone(browser, live_server, deputy)
    page.goto(f"{live_server.url}/staff/tasks/")
    page.get_by_role("link", name="签署").first.click()
    table = page.get_by_role("region", name="签署人员及签署情况")
    expect(table).to_contain_text("经审查，符合法定条件，拟同意。")
    expect(table).to_contain_text("待签署（当前）")
    page.get_by_label("不同意", exact=True).check()
    page.get_by_label("意见（不同意时必填）").fill("现场核查评分未达标，不同意")
    assert not has_sideways_scroll(page)
    page.get_by_role("button", name="签署").click()
    expect(page.get_by_role("status")).to_contain_text("本环节已有结果")
    context.close()

    [close] = open_tasks_of(subject_of(application_id))
    assert close.step == "close"
    assert [(r.name, r.action_label) for r in process_record(subject_of(application_id))][-4:] == [
        ("决定（会签人）", "同意"),
        ("决定（会签人）", "不同意"),
        ("决定", "会签未通过"),
        ("办结", ""),
    ]
