"""The workflow operations on a request step's task page (workflow.task_operations): 加签 before and
after (at any step of an internal process, not only 审查/决定), 减签 that decides the step, 转办, 委派
and 交回, 抄送 read through 抄送我的, and refusals shown on the task page."""

from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.office.models import InternalRequest
from tongban.office.tests.helpers import start
from tongban.workflow import selectors as workflow_selectors


def _open(request_id):
    return workflow_selectors.open_tasks_of(f"request:{request_id}")


def _page(client, task):
    return client.get(f"/staff/request-tasks/{task.id}/").content.decode()


def test_a_colleague_added_before_me_signs_then_i_decide(
    client, processes, initiator, approver, reviewer, department
):
    request_id = start(initiator, department)
    [task] = _open(request_id)  # 部门负责人审批: a step without an application meaning
    login_staff(client, approver)
    assert "加签人员" in _page(client, task)
    response = client.post(
        f"/staff/request-tasks/{task.id}/signers/",
        {"signers": [reviewer.id], "position": "before", "reason": "请先核实假期余额"},
    )
    assert response["Location"] == f"/staff/request-tasks/{task.id}/"
    assert "已加签的人员尚未签署，签署后由您办理。" in _page(client, task)

    login_staff(client, reviewer)
    assert "签署意见" in _page(client, task)
    response = client.post(
        f"/staff/request-tasks/{task.id}/sign/", {"decision": "approve", "opinion": "余额充足"}
    )
    assert response.status_code == 302

    login_staff(client, approver)
    response = client.post(f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": "同意"})
    assert response.status_code == 302
    assert [t.name for t in _open(request_id)] == ["人事会签"]


def test_taking_back_the_last_signer_after_me_decides_the_step(
    client, processes, initiator, approver, reviewer, department
):
    request_id = start(initiator, department)
    [task] = _open(request_id)
    login_staff(client, approver)
    client.post(
        f"/staff/request-tasks/{task.id}/signers/",
        {"signers": [reviewer.id], "position": "after", "reason": "请人事确认"},
    )
    client.post(f"/staff/request-tasks/{task.id}/", {"action": "approve", "opinion": "同意"})
    assert [t.id for t in _open(request_id)] == [task.id]  # waits for the signer after me
    [added] = [s for s in workflow_selectors.signers_of(task.id) if s.user_id == reviewer.id]

    response = client.post(f"/staff/request-tasks/{task.id}/signers/{added.id}/remove/", {"reason": ""})
    assert response.status_code == 400
    assert "减签" in response.content.decode()
    response = client.post(
        f"/staff/request-tasks/{task.id}/signers/{added.id}/remove/", {"reason": "无需确认"}
    )
    assert response.status_code == 302
    assert [t.name for t in _open(request_id)] == ["人事会签"]


def test_a_signer_of_another_request_is_not_found(
    client, processes, initiator, approver, reviewer, department
):
    first, second = start(initiator, department), start(initiator, department)
    [task] = _open(first)
    [other] = _open(second)
    login_staff(client, approver)
    client.post(
        f"/staff/request-tasks/{other.id}/signers/",
        {"signers": [reviewer.id], "position": "before", "reason": "核实"},
    )
    [added] = [s for s in workflow_selectors.signers_of(other.id) if s.user_id == reviewer.id]
    response = client.post(f"/staff/request-tasks/{task.id}/signers/{added.id}/remove/", {"reason": "错了"})
    assert response.status_code == 404
    assert reviewer.id in [s.user_id for s in workflow_selectors.signers_of(other.id)]


def test_transfer_hands_the_step_to_a_colleague_of_the_same_role(
    client, processes, initiator, approver, department
):
    deputy = make_staff("deputy", department, "approver")
    request_id = start(initiator, department)
    [task] = _open(request_id)
    login_staff(client, approver)
    response = client.post(
        f"/staff/request-tasks/{task.id}/reassign/", {"kind": "transfer", "to_user": deputy.id, "reason": ""}
    )
    assert response.status_code == 400
    assert "请修改以下问题" in response.content.decode()
    response = client.post(
        f"/staff/request-tasks/{task.id}/reassign/",
        {"kind": "transfer", "to_user": deputy.id, "reason": "出差，请代为审批"},
    )
    assert response["Location"] == "/staff/tasks/"
    [moved] = _open(request_id)
    assert moved.assignee_id == deputy.id


def test_a_delegate_gives_an_opinion_and_the_step_comes_back(
    client, processes, initiator, approver, department
):
    deputy = make_staff("deputy", department, "approver")
    request_id = start(initiator, department)
    [task] = _open(request_id)
    login_staff(client, approver)
    client.post(
        f"/staff/request-tasks/{task.id}/reassign/",
        {"kind": "delegate", "to_user": deputy.id, "reason": "请先提意见"},
    )
    login_staff(client, deputy)
    assert "委派给您的待办" in _page(client, task)
    response = client.post(f"/staff/request-tasks/{task.id}/delegate-return/", {"opinion": "建议同意"})
    assert response.status_code == 302
    [back] = _open(request_id)
    assert back.assignee_id == approver.id


def test_a_copy_is_read_through_copied_to_me(client, processes, initiator, approver, reviewer, department):
    request_id = start(initiator, department)
    [task] = _open(request_id)
    login_staff(client, approver)
    response = client.post(f"/staff/request-tasks/{task.id}/copy/", {"to_users": [], "note": ""})
    assert response.status_code == 400
    assert "请选择抄送对象" in response.content.decode()
    response = client.post(
        f"/staff/request-tasks/{task.id}/copy/", {"to_users": [reviewer.id], "note": "知悉"}
    )
    assert response["Location"] == f"/staff/request-tasks/{task.id}/"

    login_staff(client, reviewer)
    number = InternalRequest.objects.get(pk=request_id).number
    copies = client.get("/staff/copies/").content.decode()
    assert f'href="/staff/requests/{request_id}/"' in copies
    assert number in copies
    assert "未阅" in copies
    assert client.get(f"/staff/requests/{request_id}/").status_code == 200
    assert "未阅" not in client.get("/staff/copies/").content.decode()
