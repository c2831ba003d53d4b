"""A multi-instance step whose ``department_variable`` names its element variable opens one task per
department in the collection (公文会签, issue 15), each in that department; an empty collection skips
the step."""

import pytest
from conftest import make_staff

from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors, services

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://tongban.gov.cn/bpmn">
  <bpmn:process id="per_department" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="joint" name="会签">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="step" value="approve"/>
        <camunda:property name="role" value="department_head"/>
        <camunda:property name="department_variable" value="department"/>
      </camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="departments" camunda:elementVariable="department"/>
    </bpmn:userTask>
    <bpmn:userTask id="after" name="汇总">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="step" value="approve"/>
        <camunda:property name="role" value="clerk"/>
      </camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="joint"/>
    <bpmn:sequenceFlow id="f2" sourceRef="joint" targetRef="after"/>
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
""".encode()


@pytest.fixture
def model(db):
    return services.install_definition(key="per_department", data=MODEL, family="document")


def test_one_task_opens_in_each_department_of_the_collection(model, department):
    first, second = DepartmentFactory(), DepartmentFactory()
    head = make_staff("second_head", second, "department_head")
    completion = services.start_instance(
        definition_key="per_department",
        subject="document:1",
        department_id=department.pk,
        data={"departments": [first.pk, second.pk]},
    )
    assert sorted(t.department_id for t in completion.opened) == sorted([first.pk, second.pk])
    mine = [t for t in selectors.inbox_tasks(head.id).tasks if t.instance.subject == "document:1"]
    assert [t.department_id for t in mine] == [second.pk]
    for task in completion.opened:
        services.complete_task(
            task_id=task.id,
            user_id=make_staff(f"head_{task.department_id}", _department(task), "department_head").id,
            action="agree",
            action_label="同意",
            opinion="",
            data={},
        )
    assert [t.element_id for t in selectors.open_tasks_of("document:1")] == ["after"]


def _department(task):
    return DepartmentFactory._meta.model.objects.get(pk=task.department_id)


def test_an_empty_collection_skips_the_step(model, department):
    completion = services.start_instance(
        definition_key="per_department",
        subject="document:2",
        department_id=department.pk,
        data={"departments": []},
    )
    assert [t.element_id for t in completion.opened] == ["after"]
    assert completion.opened[0].department_id == department.pk
