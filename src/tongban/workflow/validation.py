"""Checks an uploaded BPMN file before the platform keeps it: nothing that would fail or do harm at
run time may pass upload. Each refusal is a DefinitionError whose Chinese message names the element.

What is refused, and why:
- not XML, not UTF-8, a DOCTYPE (entity expansion, external entities), over MAX_BYTES, not BPMN;
- no executable process, or ids the engine reserves (``Start``, ``End``, ``<process>.EndJoin``:
  the parse succeeds but the workflow cannot start, SPIFFWORKFLOW.md §1);
- script, service, business-rule and send tasks, data stores: the platform runs no code from uploads;
- conditions and timer expressions outside the expression grammar (``expressions``), and timers
  written as unquoted ISO 8601 (``PT1H``), which Camunda Modeler writes and the engine cannot read;
- human tasks without an active ``role`` (the role table, 岗位) and a known ``step`` (the step-kind
  table); in an ``application``-family definition a step kind without an application meaning (审批);
- assignee rules (``assignee``) that are unknown or lack what they need (``assignee_users``,
  ``leader_levels``, ``assignee_field``); a 会签 step names its signers by role only;
- day counts (``limit_days``, ``remind_before_days``, ``escalate_after_days``) that are not
  non-negative integers, and an ``escalate`` that is not a known role (``supervisor``: the step
  department's supervisors);
- whatever the engine's own parser or validator refuses (a raw exception becomes a message).

Every reason is collected, not just the first (the engine's own check runs only when nothing else
is wrong). A model refused for the reasons after the first item can still be kept for viewing
(``validate_for_viewing``, issue 8) when it has a diagram (BPMNDI) to draw: it is never run. The
file-level refusals of the first item hold for viewing too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow

from tongban.organizations.selectors import role_choices
from tongban.workflow import engine, expressions
from tongban.workflow.countersign_rules import Mode, parse_ratio
from tongban.workflow.errors import DefinitionError
from tongban.workflow.step_kinds import BUILTIN_KINDS, step_kinds
from tongban.workflow.timers import working_days

MAX_BYTES = 2 * 1024 * 1024
MAX_REASONS = 30
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
RESERVED_IDS = {"Start", "End"}
REFUSED_ELEMENTS = {
    "scriptTask": gettext_lazy("脚本任务"),
    "serviceTask": gettext_lazy("服务任务"),
    "businessRuleTask": gettext_lazy("业务规则任务"),
    "sendTask": gettext_lazy("发送任务"),
    "dataStoreReference": gettext_lazy("数据存储"),
}
HUMAN_TASKS = ("userTask", "manualTask", "task")
ACTIVITIES = {
    "task": gettext_lazy("任务"),
    "userTask": gettext_lazy("人工任务"),
    "manualTask": gettext_lazy("手工任务"),
    "receiveTask": gettext_lazy("接收任务"),
    **{tag: label for tag, label in REFUSED_ELEMENTS.items() if tag.endswith("Task")},
    "subProcess": gettext_lazy("子流程"),
    "adHocSubProcess": gettext_lazy("子流程"),
    "transaction": gettext_lazy("事务子流程"),
    "callActivity": gettext_lazy("调用活动"),
}
# The seeded step kinds (the step-kind table holds them and a city's own: ``step_kinds``).
STEP_KIND_LABELS = {code: name for code, (name, _meaning) in BUILTIN_KINDS.items()}
STEP_KINDS = tuple(STEP_KIND_LABELS)
APPLICATION = "application"
# Who handles a step (``assignee``); docs/process-models.md, "Who handles a step".
ASSIGNEE_RULES = (
    "role",
    "users",
    "department_head",
    "leader",
    "initiator_choice",
    "previous_choice",
    "form_field",
)
# 退回 from a step: after the fix, straight back to it (直送), through the normal path, or the
# person sending back chooses.
DIRECT_RETURN = ("always", "never", "ask")
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


@dataclass(frozen=True)
class ViewOnlyDefinition:
    """A model kept to be looked at: ``refusals`` say why it cannot run; ``outline`` lists its
    activities (``step`` holds the kind of activity, ``role`` is empty)."""

    process_id: str
    name: str
    refusals: list[str]
    outline: list[HumanStep]


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
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:  # kept as text, and drawn from it by bpmn-js
        raise DefinitionError(_("流程定义文件须为UTF-8编码"), code="not_utf8") from exc
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


def _element_refusals(root: etree._Element) -> list[DefinitionError]:
    found = [
        _refuse(element, _("平台不运行上传流程中的%(what)s，请改为人工环节") % {"what": label})
        for tag, label in REFUSED_ELEMENTS.items()
        for element in root.iter(_q(tag))
    ]
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id in RESERVED_IDS or (element_id or "").endswith(".EndJoin"):
            found.append(_refuse(element, _("元素ID“%(id)s”为引擎保留，请改名") % {"id": element_id}))
    return found


def _expression_refusals(root: etree._Element) -> list[DefinitionError]:
    found = []
    for condition in root.iter(_q("conditionExpression")):
        try:
            expressions.parse(condition.text or "")
        except expressions.ExpressionError as exc:
            found.append(_refuse(condition.getparent(), _("条件%(error)s") % {"error": exc}))
    for tag in ("timeDuration", "timeDate", "timeCycle"):
        for timer in root.iter(_q(tag)):
            event = timer.getparent().getparent()
            text = timer.text or ""
            if ISO_8601.match(text):
                found.append(
                    _refuse(
                        event,
                        _('定时器表达式“%(text)s”须写成带引号的字符串，例如 "PT1H"') % {"text": text.strip()},
                    )
                )
                continue
            try:
                expressions.parse(text)
            except expressions.ExpressionError as exc:
                found.append(_refuse(event, _("定时器%(error)s") % {"error": exc}))
    return found


def _properties(element: etree._Element) -> dict[str, str]:
    return {
        prop.get("name", ""): prop.get("value", "")
        for prop in element.iter("{http://camunda.org/schema/1.0/bpmn}property")
    }


def _timer_problem(props: dict[str, str], roles: list[str]) -> str | None:
    """A step's time limit, reminder and escalation (read by supervision's periodic job): day
    counts are working days, written as non-negative integers; ``escalate`` names a role."""
    for name in DAY_PROPERTIES:
        if name in props and working_days(props[name]) is None:
            return _("属性 %(name)s 须为工作日天数（非负整数）") % {"name": name}
    escalate = props.get("escalate")
    if escalate is not None and escalate not in roles:
        return _("属性 escalate 须为升级督办的角色（%(roles)s 之一）") % {"roles": "、".join(roles)}
    if "escalate_after_days" in props and escalate is None:
        return _("属性 escalate_after_days 须与属性 escalate 一起使用")
    return None


def _lanes(process: etree._Element) -> dict[str | None, str]:
    return {
        ref.text: lane.get("name") or lane.get("id", "")
        for lane in process.iter(_q("lane"))
        for ref in lane.iter(_q("flowNodeRef"))
    }


def _assignee_problem(props: dict[str, str]) -> str | None:
    """The step's assignee rule and what it needs (docs/process-models.md, "Who handles a step")."""
    rule = props.get("assignee", "role")
    if rule not in ASSIGNEE_RULES:
        return _("属性 assignee 须为 %(rules)s 之一") % {"rules": "、".join(ASSIGNEE_RULES)}
    if rule == "users" and not [u for u in props.get("assignee_users", "").split(",") if u.strip()]:
        return _("办理人规则 users 须用属性 assignee_users 列出用户名，用逗号分隔")
    if rule == "leader":
        levels = props.get("leader_levels", "1").strip()
        if not (levels.isascii() and levels.isdigit() and int(levels) >= 1):
            return _("属性 leader_levels 须为不小于1的整数（向上几级部门的负责人）")
    if rule == "form_field" and not props.get("assignee_field", "").strip():
        return _("办理人规则 form_field 须用属性 assignee_field 指定保存用户名的表单字段")
    if rule != "role" and props.get("countersign"):
        return _("会签环节的签署人按岗位确定，属性 assignee 须为 role")
    return None


def _step_problem(
    props: dict[str, str], *, roles: list[str], kinds: dict[str, tuple[str, str]], family: str
) -> str | None:
    role, step = props.get("role", ""), props.get("step", "")
    if role not in roles:
        return _("须用属性 role 指定办理角色（%(roles)s 之一）") % {"roles": "、".join(roles)}
    if step not in kinds:
        return _("须用属性 step 指定环节类型（%(kinds)s 之一）") % {"kinds": "、".join(kinds)}
    if family == APPLICATION and not kinds[step][1]:
        return _(
            "环节类型“%(name)s”（%(code)s）在办件流程中没有对应的受理、审查、决定、办结或送达，不能用于办件流程"
        ) % {
            "name": kinds[step][0],
            "code": step,
        }
    if timer_problem := _timer_problem(props, roles):
        return timer_problem
    if props.get("direct_return", "ask") not in DIRECT_RETURN:
        return _("属性 direct_return 须为 %(values)s 之一") % {"values": "、".join(DIRECT_RETURN)}
    return _assignee_problem(props) or _countersign_problem(props, kinds)


def _human_steps(process: etree._Element, family: str) -> tuple[list[HumanStep], list[DefinitionError]]:
    lanes = _lanes(process)
    roles, kinds = [code for code, _name in role_choices()], step_kinds()
    steps, found = [], []
    for tag in HUMAN_TASKS:
        for element in process.iter(_q(tag)):
            props = _properties(element)
            role, step = props.get("role", ""), props.get("step", "")
            # One reason per task (the first that applies) keeps a long list readable.
            problem = _step_problem(props, roles=roles, kinds=kinds, family=family)
            if problem:
                found.append(_refuse(element, problem))
                continue
            steps.append(
                HumanStep(
                    element_id=element.get("id", ""),
                    name=element.get("name") or element.get("id", ""),
                    role=role,
                    step=step,
                    lane=lanes.get(element.get("id")),
                )
            )
    return steps, found


def _outline(root: etree._Element) -> list[HumanStep]:
    """The activities of every process, in document order: the text beside a view-only diagram."""
    steps = []
    for process in root.iter(_q("process")):
        lanes = _lanes(process)
        for element in process.iter():
            if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{BPMN_NS}}}"):
                continue
            kind = etree.QName(element).localname
            if kind in ACTIVITIES:
                steps.append(
                    HumanStep(
                        element_id=element.get("id", ""),
                        name=" ".join((element.get("name") or element.get("id", "")).split()),
                        role="",
                        step=str(ACTIVITIES[kind]),
                        lane=lanes.get(element.get("id")),
                    )
                )
    return steps


def _countersign_problem(props: dict[str, str], kinds: dict[str, tuple[str, str]]) -> str | None:
    """会签 steps: a known mode, a ratio where the mode needs one, and a decision variable to set."""
    mode = props.get("countersign")
    if mode is None:
        return None
    modes = [m.value for m in Mode]
    if mode not in modes:
        return _("属性 countersign 须为 %(modes)s 之一") % {"modes": "、".join(modes)}
    if kinds.get(props.get("step", ""), ("", ""))[1] not in ("review", "decide"):
        return _("只有审查（review）、决定（decide）环节可以设为会签")
    if not props.get("decision"):
        return _("会签环节须用属性 decision 指定保存会签结果的变量")
    if mode == Mode.RATIO:
        try:
            parse_ratio(props.get("countersign_ratio", ""))
        except ValueError:
            return _("按比例会签须用属性 countersign_ratio 指定通过比例，例如 2/3 或 60%")
    return None


def _has_diagram(root: etree._Element) -> bool:
    return any(True for _shape in root.iter(f"{{{BPMNDI_NS}}}BPMNShape"))


def _inspect(
    root: etree._Element, family: str = APPLICATION
) -> tuple[ValidatedDefinition | None, list[DefinitionError]]:
    """Every reason the platform will not run the model (in the order of the checks), and what it
    keeps when there is none. The engine reads the model only when nothing else is wrong: its
    messages are technical, and reserved ids make it accept an empty spec (§1)."""
    found = _element_refusals(root) + _expression_refusals(root)
    executable = [p for p in root.iter(_q("process")) if p.get("isExecutable", "true") == "true"]
    if not executable:
        found.append(
            DefinitionError(_('文件中没有可执行的流程（isExecutable="true"）'), code="not_executable")
        )
        return None, found
    process = executable[0]
    process_id = process.get("id", "")
    steps, step_refusals = _human_steps(process, family)
    found += step_refusals
    if not steps and not step_refusals:
        found.append(_refuse(process, _("流程中没有人工办理环节")))
    if found:
        return None, found
    parser = engine.new_parser()
    try:
        parser.add_bpmn_xml(root)
        spec = engine.spec_document(parser, process_id)
        # The engine accepts some broken models at parse time and fails only on start (§1).
        BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    except Exception as exc:  # the engine raises KeyError, TypeError … for some models (§1)
        message = _("流程引擎无法读取该流程：%(error)s") % {"error": _engine_message(exc)}
        return None, [DefinitionError(message, code="engine_refused")]
    lanes = sorted({step.lane for step in steps if step.lane})
    checked = ValidatedDefinition(
        process_id=process_id, name=process.get("name") or process_id, spec=spec, steps=steps, lanes=lanes
    )
    return checked, []


def _refusal(found: list[DefinitionError], *extra: DefinitionError) -> DefinitionError:
    """One error carrying every reason: the message lists them, ``details`` holds each one."""
    reasons = [error.message for error in (*found, *extra)]
    shown = reasons[:MAX_REASONS]
    if len(reasons) > MAX_REASONS:
        shown.append(_("另有%(count)d处问题未列出") % {"count": len(reasons) - MAX_REASONS})
    return DefinitionError("；".join(shown), code=(found or extra)[0].code, details=shown)


def validate_definition(data: bytes, *, family: str = APPLICATION) -> ValidatedDefinition:
    """Parse and check an uploaded BPMN file of ``family`` (``ProcessFamily``); return what the
    platform keeps, or raise DefinitionError naming every reason it will not run (``details``: one
    per reason)."""
    checked, found = _inspect(parse_xml(data), family)
    if checked is None:
        raise _refusal(found)
    return checked


def validate_for_viewing(
    data: bytes, *, family: str = APPLICATION
) -> ValidatedDefinition | ViewOnlyDefinition:
    """Like ``validate_definition``, but a model the platform will not run is kept for viewing
    when bpmn-js can draw it: well-formed BPMN 2.0 with a diagram (BPMNDI). Files that are not BPMN,
    unsafe or too large, and models without a diagram are still refused (DefinitionError)."""
    root = parse_xml(data)
    checked, found = _inspect(root, family)
    if checked is not None:
        return checked
    if not _has_diagram(root):
        raise _refusal(
            [DefinitionError(_("文件中没有流程图（BPMNDI），无法仅作查看导入"), code="no_diagram")], *found
        )
    processes = list(root.iter(_q("process")))
    first = next((p for p in processes if p.get("isExecutable", "true") == "true"), None)
    first = first if first is not None else (processes[0] if processes else None)
    process_id = first.get("id", "") if first is not None else ""
    name = (first.get("name") if first is not None else None) or root.get("name") or process_id
    reasons = _refusal(found).details
    return ViewOnlyDefinition(
        process_id=process_id, name=name or _("未命名流程"), refusals=reasons, outline=_outline(root)
    )


def _engine_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def process_properties(bpmn_xml: str) -> dict[str, str]:
    """The ``camunda:properties`` of the executable process element itself (``dedupe``, ``starters``
    …), which the engine's parser does not read; not those of its steps."""
    root = etree.fromstring(
        bpmn_xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )
    process = next((p for p in root.iter(_q("process")) if p.get("isExecutable", "true") == "true"), None)
    if process is None:
        return {}
    path = "./bpmn:extensionElements/camunda:properties/camunda:property"
    namespaces = {"bpmn": BPMN_NS, "camunda": "http://camunda.org/schema/1.0/bpmn"}
    return {
        prop.get("name", ""): prop.get("value", "") for prop in process.xpath(path, namespaces=namespaces)
    }
