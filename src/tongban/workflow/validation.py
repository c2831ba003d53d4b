"""Checks an uploaded BPMN file before the platform keeps it: nothing that would fail or do harm at
run time may pass upload. Each refusal is a DefinitionError whose Chinese message names the element.

What is refused, and why:
- not XML, not UTF-8, a DOCTYPE (entity expansion, external entities), over MAX_BYTES, not BPMN;
- no executable process, or ids the engine reserves (``Start``, ``End``, ``<process>.EndJoin``:
  the parse succeeds but the workflow cannot start, SPIFFWORKFLOW.md §1);
- script, service, business-rule and send tasks, data stores: the platform runs no code from uploads;
- conditions and timer expressions outside the expression grammar (``expressions``), and timers
  written as unquoted ISO 8601 (``PT1H``), which Camunda Modeler writes and the engine cannot read;
  timers the platform cannot fire: cycles (``timeCycle``), timer start events (an instance starts
  with its case or request, never by a clock), a quoted duration or date that is not ISO 8601, a
  date without its UTC offset, ``working_days`` on anything but a duration in days/weeks and time;
- timeout actions (``timeout_action``) that make no sense on the step: approve/reject without a
  ``decision`` variable to set, on a 受理 or 办结 step, or on a 会签 step (signed by several);
- call activities whose ``calledElement`` is not a published runnable process, that call the
  process itself (directly or through others), and ``in``/``out`` maps that are not
  ``name:name`` lists;
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

import ast
import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from tongban.organizations.selectors import role_choices
from tongban.workflow import engine, expressions
from tongban.workflow.countersign_rules import Mode, parse_ratio
from tongban.workflow.errors import DefinitionError
from tongban.workflow.step_kinds import BUILTIN_KINDS, step_kinds
from tongban.workflow.timers import TIMEOUT_ACTIONS, working_days

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
DAY_PROPERTIES = ("limit_days", "remind_before_days", "escalate_after_days", "timeout_after_days")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
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
class CalledProcess:
    """The current version of a process a call activity names (by key): its file is parsed with
    the caller's, so the child runs inside the caller's instance."""

    key: str
    name: str
    process_id: str
    bpmn_xml: str
    is_runnable: bool


# Finds the current version of a process by key (None: no such process). Validation itself reads no
# database: the service passes this in.
Resolver = Callable[[str], CalledProcess | None]


def _nothing_called(key: str) -> CalledProcess | None:
    return None


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
        element_id=element.get("id"),
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
                tree = expressions.parse(text)
            except expressions.ExpressionError as exc:
                found.append(_refuse(event, _("定时器%(error)s") % {"error": exc}))
                continue
            literal = tree.body.value if isinstance(tree.body, ast.Constant) else None
            if problem := _timer_problem_of(tag, literal if isinstance(literal, str) else None, event):
                found.append(_refuse(event, problem))
    return found


def _timer_problem_of(tag: str, literal: str | None, event: etree._Element) -> str | None:
    """What keeps a timer from firing here: see the module docstring. ``literal`` is the quoted
    value (None for a variable, checked when it is read)."""
    if tag == "timeCycle":
        return _("平台不支持循环定时器（timeCycle），请改用定时时长（timeDuration）")
    if etree.QName(event).localname == "startEvent":
        return _("定时开始事件不会触发：流程随办件或申请启动，请改用中间定时事件或边界定时事件")
    if literal is not None and tag == "timeDuration":
        try:
            TimerEventDefinition.parse_iso_duration(literal)
        except Exception:
            return _('定时时长“%(text)s”不是ISO 8601时长，例如 "P2D"、"PT4H"') % {"text": literal}
    if literal is not None and tag == "timeDate":
        try:
            moment = dt.datetime.fromisoformat(literal)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            return _('定时日期“%(text)s”须为带时区的ISO 8601时间，例如 "2026-12-01T09:00:00+08:00"') % {
                "text": literal
            }
    flag = _properties(event).get("working_days")
    if flag is not None and flag not in ("true", "false"):
        return _("属性 working_days 须为 true 或 false")
    if flag == "true":
        if tag != "timeDuration":
            return _("属性 working_days 只用于定时时长（timeDuration）")
        if literal is not None:
            parsed = TimerEventDefinition.parse_iso_duration(literal)
            if parsed.get("years") or parsed.get("months"):
                return _("按工作日计算的定时时长只能用天、周和时分秒（P2D、P1W、PT4H），不能用年和月")
    return None


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
    return _timeout_problem(props)


def _timeout_problem(props: dict[str, str]) -> str | None:
    """``timeout_action``: approve/reject complete the step as the system and set its decision,
    which a 受理 step (its own 受理/不予受理), a 办结 step (the case's result) and a 会签 step
    (signed by several) do not have or cannot take from one automatic opinion."""
    action = props.get("timeout_action")
    if action is None:
        if "timeout_after_days" in props:
            return _("属性 timeout_after_days 须与属性 timeout_action 一起使用")
        return None
    if action not in TIMEOUT_ACTIONS:
        return _("属性 timeout_action 须为 %(values)s 之一") % {"values": "、".join(TIMEOUT_ACTIONS)}
    if action == "remind" and working_days(props.get("timeout_after_days", "0")):
        return _("超时提醒在环节超期的第一个工作日发出，不能设置 timeout_after_days；需要延后时请用 escalate")
    if action in ("approve", "reject"):
        if props.get("step") in ("accept", "close"):
            return _("受理、办结环节不能超时自动通过或不通过：受理须由人决定是否受理，办结决定办件结果")
        if not props.get("decision"):
            return _("超时自动通过或不通过须用属性 decision 指定保存审批结果的变量")
        if props.get("countersign"):
            return _("会签环节由各签署人分别签署，不能超时自动通过或不通过")
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


def _called_keys(process: etree._Element) -> list[str]:
    return [(e.get("calledElement") or "").strip() for e in process.iter(_q("callActivity"))]


def _executable_process(root: etree._Element) -> etree._Element | None:
    return next((p for p in root.iter(_q("process")) if p.get("isExecutable", "true") == "true"), None)


def _calls_back(child: CalledProcess, key: str, called: Resolver, seen: set[str]) -> bool:
    """Whether ``child``, or any process it calls in turn, calls ``key`` (indirect recursion)."""
    if child.key in seen:
        return False
    seen.add(child.key)
    process = _executable_process(parse_xml(child.bpmn_xml.encode()))
    for target in _called_keys(process) if process is not None else []:
        if target == key:
            return True
        grandchild = called(target)
        if grandchild is not None and grandchild.is_runnable and _calls_back(grandchild, key, called, seen):
            return True
    return False


def _map_problem(text: str) -> bool:
    return not all(
        all(VARIABLE.match(name.strip()) for name in item.split(":", 1))
        for item in text.split(",")
        if item.strip()
    )


def _call_refusals(
    process: etree._Element, key: str, called: Resolver
) -> tuple[list[DefinitionError], dict[str, CalledProcess]]:
    """Call activities (父子流程): each names (``calledElement``) the key of a published runnable
    process, not this one, directly or through the processes it calls. Returns the refusals and
    every process called, directly or not, by key (their files are parsed with this one)."""
    found: list[DefinitionError] = []
    children: dict[str, CalledProcess] = {}
    for element in process.iter(_q("callActivity")):
        target = (element.get("calledElement") or "").strip()
        props = _properties(element)
        child = called(target) if target else None
        problem = None
        if not target:
            problem = _("调用活动须用 calledElement 填写被调用流程的流程标识")
        elif any(_map_problem(props.get(name, "")) for name in ("in", "out")):
            problem = _("属性 in、out 须写成“变量:变量”的逗号列表，例如 amount:total,reason")
        elif target == key or target == process.get("id"):
            problem = _("流程不能调用自身")
        elif child is None:
            problem = _("被调用的流程“%(key)s”不存在，请先发布该流程") % {"key": target}
        elif not child.is_runnable:
            problem = _("被调用的流程“%(key)s”仅供查看（不可运行），不能被调用") % {"key": target}
        elif key and _calls_back(child, key, called, set()):
            problem = _("被调用的流程“%(key)s”又直接或间接调用了本流程，形成循环调用") % {"key": target}
        if problem:
            found.append(_refuse(element, problem))
            continue
        assert child is not None
        children[target] = child
        nested = _executable_process(parse_xml(child.bpmn_xml.encode()))
        if nested is not None:
            _errors, grandchildren = _call_refusals(nested, key, called)
            children.update(grandchildren)
    return found, children


def _with_key_as_id(child: CalledProcess) -> etree._Element:
    """The child's file with its process id replaced by its key: the engine finds a called process
    by id, and call activities name it by key (ids like ``Process_1`` repeat across files)."""
    tree = copy.deepcopy(parse_xml(child.bpmn_xml.encode()))
    for element in tree.iter(_q("process")):
        if element.get("id") == child.process_id:
            element.set("id", child.key)
    for participant in tree.iter(_q("participant")):
        if participant.get("processRef") == child.process_id:
            participant.set("processRef", child.key)
    return tree


def _has_diagram(root: etree._Element) -> bool:
    return any(True for _shape in root.iter(f"{{{BPMNDI_NS}}}BPMNShape"))


def _inspect(
    root: etree._Element, family: str = APPLICATION, *, key: str = "", called: Resolver = _nothing_called
) -> tuple[ValidatedDefinition | None, list[DefinitionError]]:
    """Every reason the platform will not run the model (in the order of the checks), and what it
    keeps when there is none. The engine reads the model only when nothing else is wrong: its
    messages are technical, and reserved ids make it accept an empty spec (§1). ``key`` is the
    process's own key and ``called`` finds the processes its call activities name."""
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
    call_refusals, children = _call_refusals(process, key, called)
    found += call_refusals
    if not steps and not step_refusals and not children and not call_refusals:
        found.append(_refuse(process, _("流程中没有人工办理环节")))
    if process_id in children:
        found.append(_refuse(process, _("流程ID“%(id)s”与被调用流程的标识相同，请改名") % {"id": process_id}))
    if found:
        return None, found
    parser = engine.new_parser()
    try:
        parser.add_bpmn_xml(root)
        for child in children.values():
            parser.add_bpmn_xml(_with_key_as_id(child))
        spec = engine.spec_document(parser, process_id)
        # The engine accepts some broken models at parse time and fails only on start (§1).
        BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    except Exception as exc:  # the engine raises KeyError, TypeError … for some models (§1)
        message = _("流程引擎无法读取该流程：%(error)s") % {"error": _engine_message(exc)}
        element_id = getattr(exc, "id", None)  # the engine's ValidationException names the element
        return None, [
            DefinitionError(
                message, code="engine_refused", element_id=element_id if isinstance(element_id, str) else None
            )
        ]
    lanes = sorted({step.lane for step in steps if step.lane})
    checked = ValidatedDefinition(
        process_id=process_id, name=process.get("name") or process_id, spec=spec, steps=steps, lanes=lanes
    )
    return checked, []


def _refusal(found: list[DefinitionError], *extra: DefinitionError) -> DefinitionError:
    """One error carrying every reason: the message lists them, ``details`` holds each one."""
    problems = [problem for error in (*found, *extra) for problem in error.problems]
    shown = problems[:MAX_REASONS]
    if len(problems) > MAX_REASONS:
        shown.append((None, _("另有%(count)d处问题未列出") % {"count": len(problems) - MAX_REASONS}))
    reasons = [message for _element_id, message in shown]
    return DefinitionError("；".join(reasons), code=(found or extra)[0].code, details=reasons, problems=shown)


def validate_definition(
    data: bytes, *, family: str = APPLICATION, key: str = "", called: Resolver = _nothing_called
) -> ValidatedDefinition:
    """Parse and check an uploaded BPMN file of ``family`` (``ProcessFamily``); return what the
    platform keeps, or raise DefinitionError naming every reason it will not run (``details``: one
    per reason). ``key`` and ``called``: see ``_inspect`` (without them every call activity is
    refused)."""
    checked, found = _inspect(parse_xml(data), family, key=key, called=called)
    if checked is None:
        raise _refusal(found)
    return checked


def validate_for_viewing(
    data: bytes, *, family: str = APPLICATION, key: str = "", called: Resolver = _nothing_called
) -> ValidatedDefinition | ViewOnlyDefinition:
    """Like ``validate_definition``, but a model the platform will not run is kept for viewing
    when bpmn-js can draw it: well-formed BPMN 2.0 with a diagram (BPMNDI). Files that are not BPMN,
    unsafe or too large, and models without a diagram are still refused (DefinitionError)."""
    root = parse_xml(data)
    checked, found = _inspect(root, family, key=key, called=called)
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
