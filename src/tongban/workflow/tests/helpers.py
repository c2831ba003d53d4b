"""BPMN documents for tests: built from the shipped standard model, or the MIWG reference models."""

from pathlib import Path
from uuid import UUID

from tongban.organizations.models import StaffRole
from tongban.workflow import services
from tongban.workflow.types import TaskRef

SHIPPED = Path(__file__).resolve().parent.parent / "shipped"
# Copied from ../shared/bpmn-miwg with its README (CC BY 3.0, attribution kept there).
MIWG = Path(__file__).resolve().parent / "bpmn_miwg"


def shipped(key: str) -> bytes:
    return (SHIPPED / f"{key}.bpmn").read_bytes()


def standard_with(old: str, new: str) -> bytes:
    """The shipped standard model with one piece of text replaced (it must occur)."""
    text = shipped("standard").decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()


DECIDE_ROLE = '<camunda:property name="role" value="approver"/>'


def joint_decide(mode: str, ratio: str = "") -> bytes:
    """The standard model whose 决定 step is signed by every approver in the given mode."""
    extra = f'<camunda:property name="countersign" value="{mode}"/>'
    if ratio:
        extra += f'<camunda:property name="countersign_ratio" value="{ratio}"/>'
    return standard_with(DECIDE_ROLE, DECIDE_ROLE + extra)


def miwg(model: str) -> bytes:
    """One of the 21 BPMN MIWG reference models, e.g. ``miwg("A.1.0")``."""
    return (MIWG / f"{model}.bpmn").read_bytes()


def accept_intake(task_id: UUID, user_id: int) -> list[TaskRef]:
    """受理 with ``accepted`` true, as a clerk does it; the tasks that opens."""
    return services.complete_task(
        task_id=task_id,
        user_id=user_id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    ).opened


def _props(props: dict[str, str]) -> str:
    lines = "".join(f'<camunda:property name="{k}" value="{v}"/>' for k, v in props.items())
    return (
        f"<bpmn:extensionElements><camunda:properties>{lines}</camunda:properties></bpmn:extensionElements>"
    )


def chain(
    steps: list[tuple[str, str, dict[str, str]]],
    *,
    process: dict[str, str] | None = None,
    branch_after_first: str = "",
) -> bytes:
    """A process of human steps in one sequence (element id, name, properties), without a diagram.
    ``process``: properties of the process itself (``dedupe`` …). ``branch_after_first``: a condition
    after the first step choosing the second step (true) or the third (default); both then end."""
    body = ['<bpmn:startEvent id="start_event"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>']
    flows = []
    if branch_after_first:
        (a, a_name, a_props), (b, b_name, b_props), (c, c_name, c_props) = steps
        body += [
            f'<bpmn:userTask id="{a}" name="{a_name}">{_props(a_props)}</bpmn:userTask>',
            '<bpmn:exclusiveGateway id="gw" default="f_c"/>',
            f'<bpmn:userTask id="{b}" name="{b_name}">{_props(b_props)}</bpmn:userTask>',
            f'<bpmn:userTask id="{c}" name="{c_name}">{_props(c_props)}</bpmn:userTask>',
            '<bpmn:endEvent id="end_event"/>',
        ]
        flows += [
            f'<bpmn:sequenceFlow id="f0" sourceRef="start_event" targetRef="{a}"/>',
            f'<bpmn:sequenceFlow id="f_gw" sourceRef="{a}" targetRef="gw"/>',
            f'<bpmn:sequenceFlow id="f_b" sourceRef="gw" targetRef="{b}">'
            f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{branch_after_first}'
            "</bpmn:conditionExpression></bpmn:sequenceFlow>",
            f'<bpmn:sequenceFlow id="f_c" sourceRef="gw" targetRef="{c}"/>',
            f'<bpmn:sequenceFlow id="f_b_end" sourceRef="{b}" targetRef="end_event"/>',
            f'<bpmn:sequenceFlow id="f_c_end" sourceRef="{c}" targetRef="end_event"/>',
        ]
    else:
        previous = "start_event"
        for number, (element_id, name, props) in enumerate(steps):
            body.append(f'<bpmn:userTask id="{element_id}" name="{name}">{_props(props)}</bpmn:userTask>')
            flows.append(
                f'<bpmn:sequenceFlow id="f{number}" sourceRef="{previous}" targetRef="{element_id}"/>'
            )
            previous = element_id
        body.append('<bpmn:endEvent id="end_event"/>')
        flows.append(f'<bpmn:sequenceFlow id="f_end" sourceRef="{previous}" targetRef="end_event"/>')
    process_props = _props(process) if process else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="https://tongban.gov.cn/t">'
        f'<bpmn:process id="chain" name="测试流程" isExecutable="true">{process_props}'
        + "".join(body)
        + "".join(flows)
        + "</bpmn:process></bpmn:definitions>"
    ).encode()


# How a refusal lists the roles a step may name: every built-in role, in the enum's order.
EVERY_ROLE = "、".join(StaffRole.values)
