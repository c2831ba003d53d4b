"""The 21 BPMN Model Interchange Working Group reference models (issue 8): each is imported as a
view-only definition (drawn by bpmn-js, never run) with the reasons it cannot run, when the uploader
asks for that; without it, each is refused with those reasons — never an unhandled exception or a
500 on the upload page.

None of the 21 can run here, as they are: the A, B and C.2 models are descriptive
(``isExecutable="false"``); the executable ones use service, send or business-rule tasks, data
stores, FEEL or Java conditions, unquoted ISO timers, and none names the role and step of its human
tasks. Even with those removed, SpiffWorkflow itself refuses several (service tasks and message
events are not serializable with the Camunda config; C.3.0 has a sub-process without start event;
C.9.2 a multi-instance without cardinality; C.7.0, C.8.1 and C.9.0 business-rule tasks without
``camunda:decisionRef``). So the "runs" case is ``bpmn/small_runnable.bpmn``, drawn by us in the
shape of A.1.0 (start, tasks in sequence, end) with a diagram: it imports and runs to its end.
"""

from pathlib import Path

import pytest
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow import services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessDefinition, ProcessInstance
from tongban.workflow.tests.helpers import EVERY_ROLE, MIWG, miwg

RUNNABLE = Path(__file__).resolve().parent / "bpmn" / "small_runnable.bpmn"
NOT_EXECUTABLE = '文件中没有可执行的流程（isExecutable="true"）'
SERVICE_TASK = "平台不运行上传流程中的服务任务，请改为人工环节"
SEND_TASK = "平台不运行上传流程中的发送任务，请改为人工环节"
RULE_TASK = "平台不运行上传流程中的业务规则任务，请改为人工环节"
DATA_STORE = "平台不运行上传流程中的数据存储，请改为人工环节"
NO_ROLE = f"须用属性 role 指定办理角色（{EVERY_ROLE} 之一）"
# Per model — each one's outcome is "view-only" (see the docstring) — how many reasons it cannot
# run, and one of them, naming the element and what is wrong with it.
EXPECTED = {
    "A.1.0": (1, NOT_EXECUTABLE),
    "A.2.0": (1, NOT_EXECUTABLE),
    "A.2.1": (5, "流程元素“condition”（_To9Z8zOCEeSknpIVFCxNIQ）：条件表达式为空"),
    "A.3.0": (1, NOT_EXECUTABLE),
    "A.4.0": (1, NOT_EXECUTABLE),
    "A.4.1": (1, NOT_EXECUTABLE),
    "B.1.0": (5, f"流程元素“Service Task 3”（_ec919941-53ec-403d-97e1-6a163a063f21）：{SERVICE_TASK}"),
    "B.2.0": (11, f"流程元素“Send Task 2”（_76ee26df-2c95-495b-9d9a-cb806aea6baf）：{SEND_TASK}"),
    "C.1.0": (5, f"流程元素“Archive Invoice”（archiveInvoice）：{SERVICE_TASK}"),
    "C.1.1": (9, "流程元素“yes”（invoiceApproved）：条件表达式“bpmn:getDataObject('approved')”无法解析"),
    "C.2.0": (1, NOT_EXECUTABLE),
    "C.3.0": (
        6,
        "流程元素“Premium”（_be893987-caec-4605-b078-bd96b7cd6c12）：条件表达式“Service Level == 'Premium'”无法解析",
    ),
    "C.4.0": (
        19,
        f"流程元素“Configure workstation”（_9db2d136-aa33-4de2-be76-554e7843363d）：{SERVICE_TASK}",
    ),
    "C.5.0": (20, f"流程元素“Bank System”（_ffd44905-4f54-4fe0-a156-0312c2a7a3cc）：{DATA_STORE}"),
    "C.6.0": (
        15,
        "流程元素“Simple Travel Booking”（_898aa942-9a96-4405-ae71-22b5e2e3d235）：流程中没有人工办理环节",
    ),
    "C.7.0": (6, f"流程元素“Select other platforms”（_eae674ce-4d6e-48ac-819c-c79e0868e40d）：{RULE_TASK}"),
    "C.8.0": (12, f"流程元素“Vacation Approval”（_1a818a94-ba6f-413b-a7e8-6f8fd2a11e32）：{RULE_TASK}"),
    "C.8.1": (
        12,
        f"流程元素“Manually Approve Vacation”（_79523269-7444-4b01-90e9-e23957a9d020）：{NO_ROLE}",
    ),
    "C.9.0": (14, f"流程元素“Report fraud”（SendTask_ReportFraud）：{SEND_TASK}"),
    "C.9.1": (5, '流程元素“1 week”（BoundaryEvent_2）：定时器表达式“P7D”须写成带引号的字符串，例如 "PT1H"'),
    "C.9.2": (8, f"流程元素“Notify customer about delay”（SendTask_NotifyCustomerDelay）：{SEND_TASK}"),
}


@pytest.fixture
def admin_staff(client, department):
    user = make_staff("dept_admin", department, role="department_admin")
    login_staff(client, user)
    client.user = user
    return client


def _upload(client, data: bytes, *, key: str, view_only: bool):
    fields = {"key": key, "file": SimpleUploadedFile("model.bpmn", data, content_type="application/xml")}
    if view_only:
        fields["view_only"] = "on"
    return client.post(reverse("workflow:definitions"), fields)


def test_all_21_reference_models_are_there():
    assert sorted(p.stem for p in MIWG.glob("*.bpmn")) == sorted(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "expected"), sorted(EXPECTED.items()))
def test_each_reference_model_imports_view_only_with_the_reasons_it_cannot_run(model, expected, editor):
    count, reason = expected
    definition_id = services.upload_definition(
        key="miwg", data=miwg(model), uploaded_by_id=editor.id, view_only_if_not_runnable=True
    )
    stored = ProcessDefinition.objects.get(pk=definition_id)
    assert (stored.is_runnable, stored.spec, stored.lanes) == (False, "", [])
    assert reason in stored.refusals
    assert len(stored.refusals) == count
    assert stored.steps  # the activities, listed beside the diagram
    assert stored.bpmn_xml.encode() == miwg(model)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "expected"), sorted(EXPECTED.items()))
def test_each_reference_model_is_refused_with_its_reasons_unless_view_only_is_asked_for(
    model, expected, editor
):
    count, reason = expected
    with pytest.raises(DefinitionError) as refused:
        services.upload_definition(key="miwg", data=miwg(model), uploaded_by_id=editor.id)
    assert reason in refused.value.details
    assert len(refused.value.details) == count
    assert refused.value.message == "；".join(refused.value.details)
    assert not ProcessDefinition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "expected"), sorted(EXPECTED.items()))
def test_each_reference_model_through_the_upload_page(model, expected, admin_staff):
    _count, reason = expected
    refused = _upload(admin_staff, miwg(model), key="miwg", view_only=False)
    assert refused.status_code == 400
    assert "<title>错误：" in refused.content.decode()
    assert reason in refused.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert not ProcessDefinition.objects.exists()

    kept = _upload(admin_staff, miwg(model), key="miwg", view_only=True)
    definition = ProcessDefinition.objects.get(key="miwg")
    assert kept.status_code == 302
    assert kept["Location"] == reverse("workflow:definition", args=[definition.pk])
    page = admin_staff.get(kept["Location"])
    body = page.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert page.status_code == 200
    assert "流程定义已保存为仅供查看（不可运行）的版本" in body
    assert "仅供查看（不可运行）" in body
    assert reason in body


def test_the_runs_case_is_none_of_the_reference_models_but_our_small_model(editor, department):
    approver = make_staff("approver", department, role="approver")
    clerk = make_staff("clerk", department, role="clerk")
    definition_id = services.upload_definition(
        key="small", data=RUNNABLE.read_bytes(), uploaded_by_id=editor.id, view_only_if_not_runnable=True
    )
    stored = ProcessDefinition.objects.get(pk=definition_id)
    assert (stored.is_runnable, stored.refusals) == (True, [])

    [accept] = services.start_instance(
        definition_key="small", subject="case:small", department_id=department.pk, data={}
    ).opened
    [decide] = services.complete_task(
        task_id=accept.id, user_id=clerk.id, action="accept", action_label="受理", opinion="", data={}
    ).opened
    assert (decide.name, decide.role, decide.due_date is not None) == ("决定", "approver", True)
    finished = services.complete_task(
        task_id=decide.id, user_id=approver.id, action="approve", action_label="准予", opinion="", data={}
    )
    assert (finished.finished, finished.opened) == (True, [])
    assert ProcessInstance.objects.get(subject="case:small").status == "completed"
