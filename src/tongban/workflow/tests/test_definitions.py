"""Uploading process definitions: validated, versioned, refused with a message naming the element."""

import pytest

from tongban.workflow import services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.helpers import shipped, standard_with

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
