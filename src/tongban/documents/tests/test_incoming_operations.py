"""The shared workflow operations on 收文 steps (退回, 转办, 委派, 加签, 减签, 抄送) through their panels."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_REVIEWER
from tongban.documents.services import incoming
from tongban.documents.tests.incoming_helpers import office, open_task, register, signed_for, to_handling
from tongban.workflow import selectors as workflow_selectors

pytestmark = pytest.mark.django_db


def test_instruction_sent_back_to_proposal_turns_the_status_back(client):
    o = office()
    received = signed_for(o)
    register(o, received)
    incoming.propose(
        task_id=open_task(received, "propose").id, user_id=o.reviewer.id, opinion="拟请财政局办理"
    )
    instruct = open_task(received, "instruct")

    login_staff(client, o.signer)
    page = client.get(f"/staff/received-tasks/{instruct.id}/").content.decode()
    assert "退回" in page
    refused = client.post(
        f"/staff/received-tasks/{instruct.id}/send-back/", {"target": "propose", "reason": ""}
    )
    assert refused.status_code == 400
    sent = client.post(
        f"/staff/received-tasks/{instruct.id}/send-back/", {"target": "propose", "reason": "请补充拟办意见"}
    )

    assert sent.status_code == 302
    received.refresh_from_db()
    assert received.handling_status == "proposing"
    assert open_task(received, "propose").return_reason == "请补充拟办意见"


def test_a_handling_step_is_transferred_to_a_colleague_of_its_department(client):
    o = office()
    colleague = make_staff("caizheng2", o.handling_a, DOCUMENT_CLERK)
    received = signed_for(o)
    completion = to_handling(o, received)
    [task] = [t for t in completion.opened if t.department_id == o.handling_a.pk]

    login_staff(client, o.clerk_a)
    client.post(f"/staff/received-tasks/{task.id}/claim/")
    page = client.get(f"/staff/received-tasks/{task.id}/").content.decode()
    assert "转办或委派" in page
    moved = client.post(
        f"/staff/received-tasks/{task.id}/reassign/",
        {"kind": "transfer", "to_user": str(colleague.id), "reason": "由其负责"},
    )

    assert moved.status_code == 302
    assert workflow_selectors.task_for(colleague.id, task.id).assignee_id == colleague.id
    incoming.complete_handling(task_id=task.id, user_id=colleague.id, result="已办理")
    received.refresh_from_db()
    assert received.assignments.get(department_id=o.handling_a.pk).handled_by_id == colleague.id


def test_a_signer_added_before_the_proposal_signs_first_and_can_be_taken_back(client):
    o = office()
    second = make_staff("nibang2", o.department, DOCUMENT_REVIEWER)
    third = make_staff("nibang3", o.department, DOCUMENT_REVIEWER)
    received = signed_for(o)
    register(o, received)
    task = open_task(received, "propose")

    login_staff(client, o.reviewer)
    client.post(f"/staff/received-tasks/{task.id}/claim/")
    added = client.post(
        f"/staff/received-tasks/{task.id}/signers/",
        {"signers": [str(second.id), str(third.id)], "position": "before", "reason": "请先提意见"},
    )
    assert added.status_code == 302
    [taken] = [s for s in workflow_selectors.signers_of(task.id) if s.user_id == third.id]
    removed = client.post(f"/staff/received-tasks/{task.id}/signers/{taken.id}/remove/", {"reason": "不必了"})
    assert removed.status_code == 302

    login_staff(client, second)
    signed = client.post(
        f"/staff/received-tasks/{task.id}/sign/", {"decision": "approve", "opinion": "同意拟办"}
    )
    assert signed.status_code == 302
    login_staff(client, o.reviewer)
    done = client.post(f"/staff/received-tasks/{task.id}/", {"opinion": "拟请财政局办理"})
    assert done.status_code == 302
    received.refresh_from_db()
    assert received.handling_status == "instructing"


def test_a_step_is_copied_to_a_colleague_who_may_then_read_the_sheet(client):
    o = office()
    colleague = make_staff("shouwen2", o.department, "clerk")
    received = signed_for(o)
    register(o, received)
    task = open_task(received, "propose")

    login_staff(client, colleague)
    assert client.get(f"/staff/received/{received.pk}/handling/").status_code == 404
    login_staff(client, o.reviewer)
    copied = client.post(f"/staff/received-tasks/{task.id}/copy/", {"to_users": [str(colleague.id)]})
    assert copied.status_code == 302
    login_staff(client, colleague)
    assert client.get(f"/staff/received/{received.pk}/handling/").status_code == 200
