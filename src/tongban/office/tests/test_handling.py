"""The request's pages and steps: who may see them, field permissions on the task page, 同意 / 不同意 /
退回 to the end, and the inbox's family filter."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.office import services
from tongban.office.errors import RequestError
from tongban.office.models import InternalRequest
from tongban.office.tests.helpers import PURCHASE, SEAL, start
from tongban.organizations.services import assign_role
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services


def _open(request_id):
    return workflow_selectors.open_tasks_of(f"request:{request_id}")


def test_the_request_page_is_for_the_initiator_and_its_handlers_only(
    client, processes, initiator, approver, stranger, department
):
    request_id = start(initiator, department)
    for user, status in ((initiator, 200), (approver, 200), (stranger, 404)):
        login_staff(client, user)
        assert client.get(f"/staff/requests/{request_id}/").status_code == status, user.username
        assert client.get(f"/staff/requests/{request_id}/approval-sheet/").status_code == status
    login_staff(client, stranger)
    [task] = _open(request_id)
    assert client.get(f"/staff/request-tasks/{task.id}/").status_code == 404


def test_nobody_but_the_holders_acts_on_a_request_task(
    client, processes, initiator, approver, stranger, department
):
    """T-B3 for 内部事项: a stranger, and a colleague of the department whose role does not hold the
    step, get 404 on every task route; nothing changes."""
    request_id = start(initiator, department)
    [task] = _open(request_id)
    editor = make_staff("editor", department, "catalog_editor")
    posts = {
        f"/staff/request-tasks/{task.id}/": {"action": "approve", "opinion": "同意"},
        f"/staff/request-tasks/{task.id}/claim/": {},
        f"/staff/request-tasks/{task.id}/sign/": {"decision": "approve", "opinion": "同意"},
        f"/staff/request-tasks/{task.id}/send-back/": {"target": "x", "reason": "补充"},
        f"/staff/requests/{request_id}/nudge/{task.id}/": {},
        f"/staff/request-tasks/{task.id}/signers/": {"signers": [stranger.id], "reason": "核实"},
        f"/staff/request-tasks/{task.id}/signers/1/remove/": {"reason": "撤回"},
        f"/staff/request-tasks/{task.id}/reassign/": {"to_user": stranger.id, "reason": "转办"},
        f"/staff/request-tasks/{task.id}/delegate-return/": {"opinion": "意见"},
        f"/staff/request-tasks/{task.id}/copy/": {"to_users": [stranger.id]},
    }
    for user in (stranger, editor):
        login_staff(client, user)
        assert client.get(f"/staff/request-tasks/{task.id}/").status_code == 404
        for url, data in posts.items():
            assert client.post(url, data).status_code == 404, (user.username, url)
    assert [t.id for t in _open(request_id)] == [task.id]
    assert workflow_selectors.task_for(approver.id, task.id).assignee_id is None


def test_the_approval_sheet_is_a_pdf(client, processes, initiator, department):
    request_id = start(initiator, department)
    login_staff(client, initiator)
    response = client.get(f"/staff/requests/{request_id}/approval-sheet/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(
        b"%PDF"
    )


def test_my_requests_lists_number_title_step_and_status(client, processes, initiator, department):
    request_id = start(initiator, department)
    login_staff(client, initiator)
    page = client.get("/staff/requests/").content.decode()
    number = InternalRequest.objects.get(pk=request_id).number
    assert number in page
    assert "部门负责人审批" in page
    assert "审批中" in page


def test_approve_to_the_end(
    client, processes, initiator, approver, reviewer, department, django_capture_on_commit_callbacks
):
    from tongban.notifications.models import Notification

    request_id = start(initiator, department)
    login_staff(client, approver)
    [task] = _open(request_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": "同意"})
    assert response.status_code == 302
    [hr] = _open(request_id)
    assert hr.name == "人事会签"
    # HR is told it is their turn to sign, with a link to the request's task page.
    [told] = Notification.objects.filter(recipient_id=reviewer.id)
    assert told.link == f"/staff/request-tasks/{hr.id}/"
    assert InternalRequest.objects.get(pk=request_id).number in told.body
    login_staff(client, reviewer)
    response = client.post(f"/staff/request-tasks/{hr.id}/sign/", {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 302
    request = InternalRequest.objects.get(pk=request_id)
    assert request.status == "approved"
    assert request.ended_at is not None
    assert next(r.action_label for r in workflow_selectors.process_record(request.subject)) == "同意"


def test_a_long_leave_goes_to_the_leader(processes, initiator, approver, department):
    request_id = start(
        initiator,
        department,
        answers={"leave_type": "sick", "start_date": "2026-12-14", "days": 5, "reason": "住院"},
    )
    [task] = _open(request_id)
    services.handle_request_task(
        task_id=task.id, user_id=approver.id, action="approve", opinion="", changes={}
    )
    assert [t.name for t in _open(request_id)] == ["分管领导审批"]


def test_reject_ends_the_request_as_not_approved(client, processes, initiator, approver, department):
    request_id = start(initiator, department)
    login_staff(client, approver)
    [task] = _open(request_id)
    refused = client.post(f"/staff/request-tasks/{task.id}/", {"action": "reject", "opinion": ""})
    assert refused.status_code == 400
    assert "不同意时请填写意见" in refused.content.decode()
    assert InternalRequest.objects.get(pk=request_id).status == "running"
    client.post(f"/staff/request-tasks/{task.id}/", {"action": "reject", "opinion": "工作安排冲突"})
    request = InternalRequest.objects.get(pk=request_id)
    assert request.status == "rejected"
    assert _open(request_id) == []


def test_send_back_reopens_the_earlier_step(client, processes, initiator, approver, department):
    request_id = start(initiator, department, "office_report")
    login_staff(client, approver)
    [first] = _open(request_id)
    client.post(f"/staff/request-tasks/{first.id}/", {"action": "approve", "opinion": ""})
    [leader] = _open(request_id)
    assert leader.name == "分管领导审批"
    refused = client.post(
        f"/staff/request-tasks/{leader.id}/send-back/", {"target": "dept_head", "reason": ""}
    )
    assert refused.status_code == 400
    assert "请填写退回理由" in refused.content.decode()
    client.post(
        f"/staff/request-tasks/{leader.id}/send-back/", {"target": "dept_head", "reason": "请补充预算依据"}
    )
    [again] = _open(request_id)
    assert (again.name, again.return_reason) == ("部门负责人审核", "请补充预算依据")
    client.post(f"/staff/request-tasks/{again.id}/", {"action": "approve", "opinion": ""})
    [leader] = _open(request_id)
    client.post(f"/staff/request-tasks/{leader.id}/", {"action": "approve", "opinion": ""})
    # 一般事项, 8000 元: no 主要领导.
    assert InternalRequest.objects.get(pk=request_id).status == "approved"


def test_an_important_report_goes_to_the_chief(processes, initiator, approver, department):
    request_id = start(
        initiator,
        department,
        "office_report",
        answers={"title": "请示", "importance": "important", "amount": 0, "content": "x"},
    )
    for _step in range(2):
        [task] = _open(request_id)
        services.handle_request_task(
            task_id=task.id, user_id=approver.id, action="approve", opinion="", changes={}
        )
    assert [t.name for t in _open(request_id)] == ["主要领导审批"]


def test_a_read_only_field_in_the_post_is_refused(client, processes, initiator, approver, department):
    request_id = start(initiator, department, "office_seal", answers=SEAL)
    login_staff(client, approver)
    [task] = _open(request_id)
    page = client.get(f"/staff/request-tasks/{task.id}/").content.decode()
    assert "合作协议" in page
    assert 'name="document_name"' not in page
    response = client.post(
        f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": "", "document_name": "别的协议"}
    )
    assert response.status_code == 400
    assert "本环节不能修改“文件名称”" in response.content.decode()
    assert [t.id for t in _open(request_id)] == [task.id]
    assert InternalRequest.objects.get(pk=request_id).answers["document_name"] == "合作协议"


def test_a_hidden_field_is_not_sent_and_refused_in_the_post(
    client, processes, initiator, approver, reviewer, department
):
    request_id = start(initiator, department)
    [task] = _open(request_id)
    login_staff(client, approver)
    client.post(f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": ""})
    [hr] = _open(request_id)
    login_staff(client, reviewer)
    page = client.get(f"/staff/request-tasks/{hr.id}/").content.decode()
    assert "回老家探亲" not in page
    assert "请假事由" not in page
    assert "回老家探亲" not in client.get(f"/staff/requests/{request_id}/").content.decode()
    response = client.post(f"/staff/request-tasks/{hr.id}/", {"action": "approve", "reason": "改写"})
    assert response.status_code == 400
    assert "本环节不能修改“请假事由”" in response.content.decode()
    assert InternalRequest.objects.get(pk=request_id).answers["reason"] == "回老家探亲"


def test_editable_fields_are_revalidated_and_recorded(client, processes, initiator, approver, department):
    request_id = start(initiator, department, "office_seal", answers=SEAL)
    login_staff(client, approver)
    [task] = _open(request_id)
    client.post(f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": ""})
    [stamp] = _open(request_id)
    login_staff(client, initiator)  # the clerk of the department records the seal use
    page = client.get(f"/staff/request-tasks/{stamp.id}/").content.decode()
    assert 'name="used_on-year"' in page
    assert 'name="purpose"' not in page
    bad = client.post(
        f"/staff/request-tasks/{stamp.id}/", {"action": "done", "seal": "contract", "copies": "0"}
    )
    assert bad.status_code == 400
    assert "用印份数" in bad.content.decode()
    client.post(
        f"/staff/request-tasks/{stamp.id}/",
        {
            "action": "done",
            "seal": "contract",
            "copies": "3",
            "used_on-year": "2026",
            "used_on-month": "12",
            "used_on-day": "8",
        },
    )
    request = InternalRequest.objects.get(pk=request_id)
    assert request.status == "approved"
    assert (request.answers["copies"], request.answers["used_on"], request.answers["seal"]) == (
        3,
        "2026-12-08",
        "contract",
    )


def test_the_inbox_holds_every_family_and_filters_them(client, processes, initiator, department):
    clerk_approver = make_staff("both", department, "clerk")
    assign_role(user_id=clerk_approver.id, department_id=department.pk, role="department_head")
    request_id = start(initiator, department)
    number = InternalRequest.objects.get(pk=request_id).number
    workflow_services.start_instance(
        definition_key="standard", subject="application:987654", department_id=department.pk, data={}
    )
    [case_task] = workflow_selectors.open_tasks_of("application:987654")
    [request_task] = _open(request_id)
    login_staff(client, clerk_approver)
    every = client.get("/staff/tasks/").content.decode()
    assert number in every
    assert f"/staff/request-tasks/{request_task.id}/" in every
    assert f"/staff/tasks/{case_task.id}/" in every
    internal = client.get("/staff/tasks/?family=internal").content.decode()
    assert number in internal
    assert f"/staff/tasks/{case_task.id}/" not in internal
    cases = client.get("/staff/tasks/?family=application").content.decode()
    assert number not in cases
    assert f"/staff/tasks/{case_task.id}/" in cases
    client.post(f"/staff/request-tasks/{request_task.id}/claim/")
    assert workflow_selectors.task_for(clerk_approver.id, request_task.id).assignee_id == clerk_approver.id


def test_purchase_within_budget_goes_to_finance(processes, initiator, approver, department):
    request_id = start(initiator, department, "office_purchase", answers=PURCHASE)
    [task] = _open(request_id)
    services.handle_request_task(
        task_id=task.id, user_id=approver.id, action="approve", opinion="", changes={}
    )
    assert [t.name for t in _open(request_id)] == ["财务审核"]


def test_countersign_signers_are_the_reviewers(processes, initiator, approver, reviewer, department):
    request_id = start(initiator, department)
    [task] = _open(request_id)
    services.handle_request_task(
        task_id=task.id, user_id=approver.id, action="approve", opinion="", changes={}
    )
    [hr] = _open(request_id)
    assert [s.user_id for s in workflow_selectors.signers_of(hr.id)] == [reviewer.id]
    with pytest.raises(RequestError, match="不同意时请填写理由"):
        services.sign_request_task(task_id=hr.id, user_id=reviewer.id, approve=False, opinion="")
    services.sign_request_task(task_id=hr.id, user_id=reviewer.id, approve=False, opinion="人手不足")
    assert InternalRequest.objects.get(pk=request_id).status == "rejected"
