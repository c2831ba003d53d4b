"""Checks an uploaded BPMN file before the platform keeps it: nothing that would fail or do harm at
run time may pass upload. Each refusal is a DefinitionError whose Chinese message names the element.

What is refused, and why:
- not XML, a DOCTYPE (entity expansion, external entities), over MAX_BYTES;
- no executable process, or ids the engine reserves (``Start``, ``End``, ``<process>.EndJoin``:
  the parse succeeds but the workflow cannot start, SPIFFWORKFLOW.md §1);
- script, service, business-rule and send tasks: the platform runs no code from uploads;
- conditions and timer expressions outside the expression grammar (``expressions``), and timers
  written as unquoted ISO 8601 (``PT1H``), which Camunda Modeler writes and the engine cannot read;
- human tasks without a known ``role`` and ``step`` property (who does it, and what the page asks);
- day counts (``limit_days``, ``remind_before_days``, ``escalate_after_days``) that are not
  non-negative integers, and an ``escalate`` that is not a known role (``supervisor``: the step
  department's supervisors);
- whatever the engine's own parser or validator refuses (a raw exception becomes a message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow

from tongban.workflow import engine, expressions
from tongban.workflow.errors import DefinitionError

MAX_BYTES = 2 * 1024 * 1024
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
RESERVED_IDS = {"Start", "End"}
REFUSED_ELEMENTS = {
    "scriptTask": gettext_lazy("脚本任务"),
    "serviceTask": gettext_lazy("服务任务"),
    "businessRuleTask": gettext_lazy("业务规则任务"),
    "sendTask": gettext_lazy("发送任务"),
    "dataStoreReference": gettext_lazy("数据存储"),
}
HUMAN_TASKS = ("userTask", "manualTask", "task")
STEP_KINDS = ("accept", "review", "decide", "close", "deliver")
ROLES = ("clerk", "reviewer", "approver", "supervisor", "department_admin")
DAY_PROPERTIES = ("limit_days", "remind_before_days", "escalate_after_days")
ISO_8601 = re.compile(r"^\s*(R\d*/)?P(\d|T)|^\s*\d{4}-\d{2}-\d{2}T")


@dataclass(frozen=True)
class HumanStep:
    element_id: str
    name: str
    role: str
    step: str
    lane: str | None


@dataclass(frozen=True)
class ValidatedDefinition:
    process_id: str
    name: str
    spec: str  # JSON text (engine.spec_document)
    steps: list[HumanStep]
    lanes: list[str]


def _q(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def _label(element: etree._Element) -> str:
    name = " ".join((element.get("name") or "").split())
    element_id = element.get("id", "?")
    return f"“{name}”（{element_id}）" if name else f"“{element_id}”"


def _refuse(element: etree._Element | None, message: str) -> DefinitionError:
    if element is None:
        return DefinitionError(message, code="invalid_definition")
    return DefinitionError(
        _("流程元素%(element)s：%(message)s") % {"element": _label(element), "message": message},
        code="invalid_definition",
    )


def parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise DefinitionError(_("流程定义文件不能超过2MB"), code="too_large")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise DefinitionError(_("流程定义文件不能含有DOCTYPE或实体声明"), code="doctype")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DefinitionError(_("文件不是有效的XML：%(error)s") % {"error": exc}, code="not_xml") from exc
    if root.tag != _q("definitions"):
        raise DefinitionError(_("文件不是BPMN 2.0流程定义（根元素应为 bpmn:definitions）"), code="not_bpmn")
    return root


def _check_elements(root: etree._Element) -> None:
    for tag, label in REFUSED_ELEMENTS.items():
        for element in root.iter(_q(tag)):
            raise _refuse(element, _("平台不运行上传流程中的%(what)s，请改为人工环节") % {"what": label})
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id in RESERVED_IDS or (element_id or "").endswith(".EndJoin"):
            raise _refuse(element, _("元素ID“%(id)s”为引擎保留，请改名") % {"id": element_id})


def _check_expressions(root: etree._Element) -> None:
    for condition in root.iter(_q("conditionExpression")):
        flow = condition.getparent()
        try:
            expressions.parse(condition.text or "")
        except expressions.ExpressionError as exc:
            raise _refuse(flow, _("条件%(error)s") % {"error": exc}) from exc
    for tag in ("timeDuration", "timeDate", "timeCycle"):
        for timer in root.iter(_q(tag)):
            event = timer.getparent().getparent()
            text = timer.text or ""
            if ISO_8601.match(text):
                raise _refuse(
                    event,
                    _('定时器表达式“%(text)s”须写成带引号的字符串，例如 "PT1H"') % {"text": text.strip()},
                )
            try:
                expressions.parse(text)
            except expressions.ExpressionError as exc:
                raise _refuse(event, _("定时器%(error)s") % {"error": exc}) from exc


def _properties(element: etree._Element) -> dict[str, str]:
    return {
        prop.get("name", ""): prop.get("value", "")
        for prop in element.iter("{http://camunda.org/schema/1.0/bpmn}property")
    }


def _check_timers(element: etree._Element, props: dict[str, str]) -> None:
    """A step's time limit, reminder and escalation (read by supervision's periodic job): day
    counts are working days, written as non-negative integers; ``escalate`` names a role."""
    for name in DAY_PROPERTIES:
        value = props.get(name, "0")
        if not (value.isascii() and value.isdigit()):  # "²".isdigit() too, and int() refuses it
            raise _refuse(element, _("属性 %(name)s 须为工作日天数（非负整数）") % {"name": name})
    escalate = props.get("escalate")
    if escalate is not None and escalate not in ROLES:
        raise _refuse(
            element,
            _("属性 escalate 须为升级督办的角色（%(roles)s 之一）") % {"roles": "、".join(ROLES)},
        )
    if "escalate_after_days" in props and escalate is None:
        raise _refuse(element, _("属性 escalate_after_days 须与属性 escalate 一起使用"))


def _human_steps(process: etree._Element) -> list[HumanStep]:
    lanes = {
        ref.text: lane.get("name") or lane.get("id")
        for lane in process.iter(_q("lane"))
        for ref in lane.iter(_q("flowNodeRef"))
    }
    steps = []
    for tag in HUMAN_TASKS:
        for element in process.iter(_q(tag)):
            props = _properties(element)
            role, step = props.get("role", ""), props.get("step", "")
            if role not in ROLES:
                raise _refuse(
                    element,
                    _("须用属性 role 指定办理角色（%(roles)s 之一）") % {"roles": "、".join(ROLES)},
                )
            if step not in STEP_KINDS:
                raise _refuse(
                    element,
                    _("须用属性 step 指定环节类型（%(kinds)s 之一）") % {"kinds": "、".join(STEP_KINDS)},
                )
            _check_timers(element, props)
            steps.append(
                HumanStep(
                    element_id=element.get("id", ""),
                    name=element.get("name") or element.get("id", ""),
                    role=role,
                    step=step,
                    lane=lanes.get(element.get("id")),
                )
            )
    return steps


def validate_definition(data: bytes) -> ValidatedDefinition:
    """Parse and check an uploaded BPMN file; return what the platform keeps, or raise DefinitionError."""
    root = parse_xml(data)
    _check_elements(root)
    _check_expressions(root)
    executable = [p for p in root.iter(_q("process")) if p.get("isExecutable", "true") == "true"]
    if not executable:
        raise DefinitionError(_('文件中没有可执行的流程（isExecutable="true"）'), code="not_executable")
    process = executable[0]
    steps = _human_steps(process)
    if not steps:
        raise _refuse(process, _("流程中没有人工办理环节"))
    parser = engine.new_parser()
    try:
        parser.add_bpmn_xml(root)
        process_id = process.get("id", "")
        spec = engine.spec_document(parser, process_id)
        # The engine accepts some broken models at parse time and fails only on start (§1).
        BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    except DefinitionError:
        raise
    except Exception as exc:  # the engine raises KeyError, TypeError … for some models (§1)
        raise DefinitionError(
            _("流程引擎无法读取该流程：%(error)s") % {"error": _engine_message(exc)}, code="engine_refused"
        ) from exc
    lanes = sorted({step.lane for step in steps if step.lane})
    return ValidatedDefinition(
        process_id=process_id, name=process.get("name") or process_id, spec=spec, steps=steps, lanes=lanes
    )


def _engine_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]
