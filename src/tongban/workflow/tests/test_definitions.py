"""Uploading process definitions: validated, versioned, refused with a message naming the element."""

import re

import pytest
from conftest import make_staff

from tongban.workflow import services
from tongban.workflow.errors import DefinitionError, WorkflowError
from tongban.workflow.models import ProcessDefinition, ProcessInstance
from tongban.workflow.tests.helpers import EVERY_ROLE, accept_intake, miwg, shipped, standard_with
from tongban.workflow.timers import StepTimers, step_timers

pytestmark = pytest.mark.django_db


def test_shipped_definitions_install_once():
    assert len(services.install_shipped_definitions()) == 4
    assert services.install_shipped_definitions() == []
    standard = services.current_definition("standard")
    assert (standard.name, standard.version, standard.is_shipped) == ("一般事项标准流程", 1, True)
    assert [s["name"] for s in standard.steps] == ["受理", "审查", "决定", "办结", "送达"]
    joint = services.current_definition("joint_startup")
    assert joint.lanes == ["公章刻制", "受理窗口", "市场监管", "社保", "税务"]


def test_an_upload_becomes_the_next_version_and_the_same_file_twice_is_one_version(editor):
    first = services.upload_definition(key="civil", data=shipped("standard"), uploaded_by_id=editor.id)
    again = services.upload_definition(key="civil", data=shipped("standard"), uploaded_by_id=editor.id)
    changed = services.upload_definition(
        key="civil", data=standard_with('name="审查"', 'name="实质审查"'), uploaded_by_id=editor.id
    )
    assert first == again
    assert list(ProcessDefinition.objects.filter(key="civil").values_list("version", flat=True)) == [2, 1]
    assert ProcessDefinition.objects.get(pk=changed).steps[1]["name"] == "实质审查"


def _refused(data: bytes, editor) -> str:
    with pytest.raises(DefinitionError) as refused:
        services.upload_definition(key="bad", data=data, uploaded_by_id=editor.id)
    assert not ProcessDefinition.objects.filter(key="bad").exists()
    return refused.value.message


def test_T_H3_a_condition_that_imports_os_is_refused_naming_the_flow(editor):
    message = _refused(standard_with(">accepted<", ">__import__('os').getpid() &gt; 0<"), editor)
    assert message.startswith("流程元素“受理”（f_accepted）：条件表达式")
    assert "不允许" in message


def test_a_script_task_is_refused(editor):
    data = standard_with(
        '<bpmn:userTask id="review" name="审查">',
        '<bpmn:scriptTask id="review" name="审查"><bpmn:script>import os</bpmn:script>',
    ).replace(
        b'</bpmn:userTask>\n    <bpmn:userTask id="decide"',
        b'</bpmn:scriptTask>\n    <bpmn:userTask id="decide"',
    )
    assert "流程元素“审查”（review）：平台不运行上传流程中的脚本任务" in _refused(data, editor)


def test_a_human_task_without_role_is_refused(editor):
    data = standard_with('<camunda:property name="role" value="reviewer"/>', "")
    assert _refused(data, editor).startswith("流程元素“审查”（review）：须用属性 role 指定办理角色")


def test_a_reserved_element_id_is_refused(editor):
    data = standard_with('id="submitted"', 'id="Start"').replace(b'"submitted"', b'"Start"')
    assert "元素ID“Start”为引擎保留" in _refused(data, editor)


def test_an_unquoted_iso_timer_is_refused(editor):
    timer = (
        '<bpmn:boundaryEvent id="remind" name="催办" attachedToRef="review" cancelActivity="false">'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    )
    data = standard_with("<bpmn:sequenceFlow ", timer + "<bpmn:sequenceFlow ")
    assert "流程元素“催办”（remind）：定时器表达式“PT1H”须写成带引号的字符串" in _refused(data, editor)


def test_a_gateway_flow_without_condition_or_default_is_refused_by_the_engine(editor):
    data = standard_with(' default="f_declined"', "")
    assert _refused(data, editor).startswith("流程引擎无法读取该流程")


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"not xml at all", "文件不是有效的XML"),
        (b"<html><body>hi</body></html>", "文件不是BPMN 2.0流程定义"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><bpmn:definitions '
            b'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&a;</bpmn:definitions>',
            "流程定义文件不能含有DOCTYPE",
        ),
        (
            shipped("standard").replace(b'isExecutable="true"', b'isExecutable="false"'),
            "文件中没有可执行的流程",
        ),
    ],
)
def test_files_that_are_not_runnable_bpmn_are_refused(editor, data, start):
    assert _refused(data, editor).startswith(start)


def test_a_running_instance_keeps_its_version(department, editor):
    services.install_shipped_definitions()
    started = services.start_instance(
        definition_key="standard", subject="case:1", department_id=department.pk, data={}
    )
    services.upload_definition(
        key="standard", data=standard_with('name="审查"', 'name="实质审查"'), uploaded_by_id=editor.id
    )
    later = services.start_instance(
        definition_key="standard", subject="case:2", department_id=department.pk, data={}
    )
    from tongban.workflow.selectors import instance_of

    assert instance_of("case:1").definition.version == 1
    assert instance_of("case:2").definition.version == 2
    assert started.instance_id != later.instance_id


# View-only definitions (issue 8): kept to be drawn, never started or bound.

MIWG_A_1_0 = miwg("A.1.0")


def _view_only(data: bytes, editor, key: str = "drawn") -> ProcessDefinition:
    definition_id = services.upload_definition(
        key=key, data=data, uploaded_by_id=editor.id, view_only_if_not_runnable=True
    )
    return ProcessDefinition.objects.get(pk=definition_id)


def test_a_view_only_definition_cannot_be_started(editor, department):
    stored = _view_only(MIWG_A_1_0, editor)
    with pytest.raises(WorkflowError) as refused:
        services.start_instance(
            definition_key="drawn", subject="case:1", department_id=department.pk, data={}
        )
    assert refused.value.message == (
        "流程“A.1.0”（drawn v1）仅供查看（不可运行），不能用于办件；请上传可运行的版本"
    )
    assert refused.value.code == "view_only"
    assert not ProcessInstance.objects.exists()
    assert stored.refusals == ['文件中没有可执行的流程（isExecutable="true"）']
    assert [s["name"] for s in stored.steps] == ["Task 1", "Task 2", "Task 3"]


def test_a_fixed_runnable_version_replaces_a_view_only_one_and_then_runs(editor, department):
    _view_only(MIWG_A_1_0, editor, key="civil")
    services.upload_definition(key="civil", data=shipped("standard"), uploaded_by_id=editor.id)
    started = services.start_instance(
        definition_key="civil", subject="case:1", department_id=department.pk, data={}
    )
    assert [t.name for t in started.opened] == ["受理"]


@pytest.mark.parametrize("key", ["civil", "standard"])
def test_a_view_only_version_is_refused_over_a_runnable_or_shipped_key(editor, key):
    services.upload_definition(key="civil", data=shipped("standard"), uploaded_by_id=editor.id)
    with pytest.raises(DefinitionError) as refused:
        _view_only(MIWG_A_1_0, editor, key=key)
    assert refused.value.details == [
        f"流程“{key}”已有可运行的版本，不能再上传仅供查看的版本；请换用新的流程标识",
        '文件中没有可执行的流程（isExecutable="true"）',
    ]
    assert list(ProcessDefinition.objects.values_list("key", "is_runnable")) == [("civil", True)]


def test_the_same_view_only_file_again_is_one_version_but_refused_without_asking_for_view_only(editor):
    first = _view_only(MIWG_A_1_0, editor)
    assert _view_only(MIWG_A_1_0, editor).pk == first.pk
    with pytest.raises(DefinitionError, match="文件中没有可执行的流程"):
        services.upload_definition(key="drawn", data=MIWG_A_1_0, uploaded_by_id=editor.id)
    assert ProcessDefinition.objects.count() == 1


def test_a_runnable_file_uploaded_with_view_only_asked_for_is_kept_runnable(editor):
    stored = _view_only(shipped("standard"), editor)
    assert (stored.is_runnable, stored.refusals, len(stored.steps)) == (True, [], 5)


NO_DIAGRAM = standard_with('isExecutable="true"', 'isExecutable="false"').split(b"<bpmndi:BPMNDiagram")[0] + (
    b"</bpmn:definitions>\n"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "文件不是有效的XML"),
        (b"<html><body>hi</body></html>", "文件不是BPMN 2.0流程定义（根元素应为 bpmn:definitions）"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><bpmn:definitions '
            b'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&a;</bpmn:definitions>',
            "流程定义文件不能含有DOCTYPE或实体声明",
        ),
        (MIWG_A_1_0 + b"<!--" + b"x" * (2 * 1024 * 1024) + b"-->", "流程定义文件不能超过2MB"),
        (MIWG_A_1_0.replace(b"Task 1", "任务一".encode("gb18030")), "流程定义文件须为UTF-8编码"),
        (NO_DIAGRAM, "文件中没有流程图（BPMNDI），无法仅作查看导入"),
    ],
)
def test_files_that_cannot_be_drawn_are_refused_even_for_viewing(editor, data, message):
    with pytest.raises(DefinitionError) as refused:
        _view_only(data, editor)
    assert refused.value.message.startswith(message)
    assert not ProcessDefinition.objects.exists()


def test_a_model_without_a_diagram_is_refused_with_every_reason_it_cannot_run(editor):
    with pytest.raises(DefinitionError) as refused:
        _view_only(NO_DIAGRAM, editor)
    assert refused.value.details == [
        "文件中没有流程图（BPMNDI），无法仅作查看导入",
        '文件中没有可执行的流程（isExecutable="true"）',
    ]


def test_at_most_30_reasons_are_listed_then_how_many_more(editor):
    tasks = "".join(f'<bpmn:serviceTask id="s{i}" name="服务{i}"/>' for i in range(33))
    data = standard_with("<bpmn:sequenceFlow ", tasks + "<bpmn:sequenceFlow ")
    stored = _view_only(data, editor)
    assert len(stored.refusals) == 31
    assert stored.refusals[0] == "流程元素“服务0”（s0）：平台不运行上传流程中的服务任务，请改为人工环节"
    assert stored.refusals[-1] == "另有3处问题未列出"


REVIEW_ROLE = '<camunda:property name="role" value="reviewer"/>'


def _review_with(properties: dict[str, str]) -> bytes:
    """The shipped standard model with the 审查 step's timer properties replaced by ``properties``."""
    text = shipped("standard").decode()
    for name in ("remind_before_days", "escalate", "escalate_after_days"):
        text = re.sub(rf'\s*<camunda:property name="{name}" value="[^"]*"/>', "", text, count=1)
    added = "".join(f'<camunda:property name="{k}" value="{v}"/>' for k, v in properties.items())
    return text.replace(REVIEW_ROLE, REVIEW_ROLE + added, 1).encode()


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"remind_before_days": "-1"}, "属性 remind_before_days 须为工作日天数（非负整数）"),
        ({"remind_before_days": "1.5"}, "属性 remind_before_days 须为工作日天数（非负整数）"),
        ({"remind_before_days": "二"}, "属性 remind_before_days 须为工作日天数（非负整数）"),
        ({"remind_before_days": "²"}, "属性 remind_before_days 须为工作日天数（非负整数）"),
        (
            {"escalate": "supervisor", "escalate_after_days": "one"},
            "属性 escalate_after_days 须为工作日天数（非负整数）",
        ),
        (
            {"escalate": "boss"},
            f"属性 escalate 须为升级督办的角色（{EVERY_ROLE} 之一）",
        ),
        (
            {"escalate": ""},
            f"属性 escalate 须为升级督办的角色（{EVERY_ROLE} 之一）",
        ),
        ({"escalate_after_days": "2"}, "属性 escalate_after_days 须与属性 escalate 一起使用"),
    ],
)
def test_bad_reminder_and_escalation_properties_are_refused_naming_the_step(editor, properties, message):
    assert _refused(_review_with(properties), editor) == f"流程元素“审查”（review）：{message}"


def test_reminder_and_escalation_properties_reach_the_step_as_written(editor, department):
    data = _review_with(
        {"remind_before_days": "0", "escalate": "department_admin", "escalate_after_days": "3"}
    )
    services.upload_definition(key="timers", data=data, uploaded_by_id=editor.id)
    clerk = make_staff("market_clerk", department, role="clerk")
    [accept] = services.start_instance(
        definition_key="timers", subject="case:timers", department_id=department.pk, data={}
    ).opened
    [review] = accept_intake(accept.id, clerk.id)
    assert step_timers(accept.properties) == StepTimers(
        remind_before_days=None,
        escalate_to="",
        escalate_after_days=0,
        timeout_action="",
        timeout_after_days=0,
    )
    assert step_timers(review.properties) == StepTimers(
        remind_before_days=0,
        escalate_to="department_admin",
        escalate_after_days=3,
        timeout_action="",
        timeout_after_days=0,
    )


def test_the_shipped_standard_model_reminds_and_escalates_review_and_decision():
    services.install_shipped_definitions()
    text = services.current_definition("standard").bpmn_xml
    assert text.count('<camunda:property name="escalate" value="supervisor"/>') == 2
    assert text.count('<camunda:property name="remind_before_days" value="1"/>') == 2
