"""The one place that talks to SpiffWorkflow: parse a definition, start, load and save instances.

An instance's state is the engine's serialized workflow *without* the process spec: the spec is
kept once per definition version (``ProcessDefinition.spec``) and put back on load, which halves
the stored state (../shared/SPIFFWORKFLOW.md §5). Every expression goes through
``tongban.workflow.expressions`` instead of ``eval``; script and service tasks never run.
"""

from __future__ import annotations

import datetime as dt
import json
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.task_spec import SubWorkflowConverter
from SpiffWorkflow.bpmn.specs.defaults import CallActivity
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins import InclusiveGatewayMixin, ParallelGatewayMixin
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaIntermediateCatchEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import CallActivityParser, CamundaTaskParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from tongban.core.calendar import CHINA_TZ, add_working_days
from tongban.workflow import expressions

SPEC_KEYS = ("spec", "subprocess_specs")
OPEN_STATES = TaskState.READY | TaskState.STARTED | TaskState.WAITING
NOT_REACHED = TaskState.PREDICTED_MASK | TaskState.FUTURE


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Expressions in the small grammar of ``expressions``; scripts and services refused."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        return expressions.evaluate(expression, context)

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        raise expressions.ExpressionError("script tasks are not run")

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise expressions.ExpressionError("service tasks are not run")


SCRIPT_ENGINE = PythonScriptEngine(environment=RestrictedEnvironment())


def variable_map(text: str | None) -> list[tuple[str, str]]:
    """A call activity's ``in`` / ``out`` property, ``from:to,…``, as (from, to) pairs; a bare
    name maps to itself. Validation refuses anything else."""
    pairs = []
    for item in (text or "").split(","):
        if item.strip():
            source, _sep, target = item.partition(":")
            pairs.append((source.strip(), (target or source).strip()))
    return pairs


class MappedCallActivity(CallActivity):
    """A call activity (父子流程) across which only mapped data crosses: ``in`` = ``parent:child,…``
    sets the child's start data, ``out`` = ``child:parent,…`` copies the child's results back onto
    the parent's data. The stock CallActivity copies everything both ways (and its outputs replace
    the parent's data). The mapping is read from the element's camunda:properties (``extensions``),
    which the serializer already keeps: no new attribute to store."""

    def copy_data(self, my_task: Any, subworkflow: Any) -> None:
        start = subworkflow.get_next_task(subworkflow.task_tree, skip_subprocesses=True, spec_name="Start")
        mapping = variable_map(self.extensions.get("in"))
        start.set_data(
            **{child: deepcopy(my_task.data[parent]) for parent, child in mapping if parent in my_task.data}
        )

    def update_data(self, my_task: Any, subworkflow: Any) -> None:
        results = subworkflow.last_task.data
        mapping = variable_map(self.extensions.get("out"))
        my_task.data = {
            **deepcopy(my_task.data),
            **{parent: deepcopy(results[child]) for child, parent in mapping if child in results},
        }


class _CatchEventParser(CamundaIntermediateCatchEventParser):
    # Stock Camunda event parsers drop camunda:properties; a timer's ``working_days`` lives there.
    parse_extensions = CamundaTaskParser.parse_extensions


class _BoundaryEventParser(CamundaBoundaryEventParser):
    parse_extensions = CamundaTaskParser.parse_extensions


def _spec_class(tag: str) -> Any:
    return CamundaParser.OVERRIDE_PARSER_CLASSES[full_tag(tag)][1]


class Parser(CamundaParser):
    """CamundaParser, with call activities mapping their data (embedded sub-processes share it)
    and the properties of catch and boundary events read (``working_days``)."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("callActivity"): (CallActivityParser, MappedCallActivity),
        full_tag("intermediateCatchEvent"): (_CatchEventParser, _spec_class("intermediateCatchEvent")),
        full_tag("boundaryEvent"): (_BoundaryEventParser, _spec_class("boundaryEvent")),
    }


_config = BpmnWorkflowSerializer.configure({**CAMUNDA_CONFIG, MappedCallActivity: SubWorkflowConverter})
_serializer = BpmnWorkflowSerializer(_config)


@dataclass(frozen=True)
class HumanTask:
    """A ready human task as the engine sees it."""

    id: UUID
    element_id: str
    name: str
    lane: str | None
    properties: dict[str, str]
    # A multi-instance step whose ``department_variable`` property names its element variable: the
    # department (id) this instance of the step goes to (公文会签: one per department chosen).
    department_id: int | None = None


def _department_of(task: Any, properties: dict[str, str]) -> int | None:
    variable = properties.get("department_variable")
    value = task.data.get(variable) if variable else None
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def new_parser() -> Parser:
    """CamundaParser reads camunda:properties (role, step …) into ``task_spec.extensions``."""
    return Parser(validator=BpmnValidator())


def _text(document: dict[str, Any]) -> str:
    # JSON text, not a JSON column: PostgreSQL's jsonb reorders keys, and the engine's format
    # depends on their order (task data are deltas against the parent task).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def spec_document(parser: CamundaParser, process_id: str) -> str:
    """The parsed spec of ``process_id`` as JSON text, stored once per definition version."""
    workflow = BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    document = _serializer.to_dict(workflow)
    return _text({key: document[key] for key in SPEC_KEYS})


def start(spec_text: str, data: dict[str, Any]) -> BpmnWorkflow:
    """A new workflow run up to its first human tasks (or to its end)."""
    restored = json.loads(spec_text)
    workflow = BpmnWorkflow(
        _serializer.from_dict(restored["spec"]),
        {name: _serializer.from_dict(sub) for name, sub in restored["subprocess_specs"].items()},
        script_engine=SCRIPT_ENGINE,
    )
    workflow.get_next_task(state=TaskState.READY).set_data(**data)  # SPIFFWORKFLOW.md §2
    workflow.do_engine_steps()
    return workflow


def load(spec_text: str, state_text: str) -> BpmnWorkflow:
    """The workflow saved by ``dump``, with its definition's spec put back. Both are parsed afresh,
    so the serializer may consume them (it pops keys) without touching anything shared."""
    workflow = _serializer.from_dict({**json.loads(state_text), **json.loads(spec_text)})
    workflow.script_engine = SCRIPT_ENGINE
    return workflow


def dump(workflow: BpmnWorkflow) -> str:
    """The workflow's state as JSON text, without the spec (kept once per definition). Timers
    counted in working days are set to their working-day due time first (``count_working_days``)."""
    count_working_days(workflow)
    document = _serializer.to_dict(workflow)
    for key in SPEC_KEYS:
        document.pop(key)
    return _text(document)


# --- timers ----------------------------------------------------------------------------------------
#
# A waiting timer keeps its due time in its task's internal data (``event_value``, an ISO datetime),
# computed the first time the engine looks at it: now + the duration, in natural time. A timer
# whose element says ``working_days`` = ``true`` is moved here, in the same request, to the
# duration's days counted as working days on the calendar (core.calendar) at the same time of day,
# plus its hours and minutes; ``tongban_working_days`` marks it done. The engine then fires it when
# that time has passed, as for any timer.

WORKING_DAYS_MARK = "tongban_working_days"


def _timer_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return [
        task
        for task in workflow.event_manager.tasks.values()
        if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)
    ]


def working_day_due(start: dt.datetime, duration: str) -> dt.datetime:
    """``start`` + an ISO 8601 duration whose days (and weeks, of 5 working days) are working days:
    the Nth working day after ``start``'s date in China, at the same time of day, then the hours,
    minutes and seconds. Years and months are refused by validation (ValueError here)."""
    parsed = TimerEventDefinition.parse_iso_duration(duration)
    if parsed.get("years") or parsed.get("months"):
        raise ValueError("years and months cannot be counted in working days")
    local = start.astimezone(CHINA_TZ)
    days = int(parsed.get("days", 0)) + 5 * int(parsed.get("weeks", 0))
    day = add_working_days(local, days)
    moved = dt.datetime.combine(day, local.timetz())
    rest = dt.timedelta(
        hours=parsed.get("hours", 0), minutes=parsed.get("minutes", 0), seconds=parsed.get("seconds", 0)
    )
    return moved + rest


def count_working_days(workflow: BpmnWorkflow) -> None:
    """Move each waiting timer marked ``working_days`` to its working-day due time (see above)."""
    now = dt.datetime.now(dt.UTC)
    for task in _timer_tasks(workflow):
        definition = task.task_spec.event_definition
        extensions = getattr(task.task_spec, "extensions", {}) or {}
        if (
            not isinstance(definition, DurationTimerEventDefinition)
            or extensions.get("working_days") != "true"
            or task.internal_data.get(WORKING_DAYS_MARK)
            or task.internal_data.get("event_value") is None
            or task.internal_data.get("event_fired")
        ):
            continue
        duration = workflow.script_engine.evaluate(task, definition.expression)
        due = working_day_due(now, duration).astimezone(dt.UTC).isoformat()
        task._set_internal_data(event_value=due, **{WORKING_DAYS_MARK: True})


def next_timer_at(workflow: BpmnWorkflow) -> dt.datetime | None:
    """When the earliest waiting timer of the workflow is due (None: no timer waits)."""
    due = []
    for task in _timer_tasks(workflow):
        value = task.internal_data.get("event_value")
        if task.internal_data.get("event_fired") or not isinstance(value, str):
            continue
        if isinstance(task.task_spec.event_definition, TimeDateEventDefinition):
            parsed = TimerEventDefinition.parse_time_or_duration(value)
        else:
            parsed = TimerEventDefinition.get_datetime(value)
        if isinstance(parsed, dt.datetime):
            due.append(parsed)
    return min(due, default=None)


def fire_timers(workflow: BpmnWorkflow) -> None:
    """Fire the timers whose time has passed and run the engine on to the next human tasks."""
    workflow.refresh_timers()
    workflow.do_engine_steps()


def ready_human_tasks(workflow: BpmnWorkflow) -> list[HumanTask]:
    found = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        properties = dict(getattr(task.task_spec, "extensions", {}) or {})
        found.append(
            HumanTask(
                id=task.id,
                element_id=task.task_spec.bpmn_id,
                name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
                lane=task.task_spec.lane,
                properties=properties,
                department_id=_department_of(task, properties),
            )
        )
    return found


def complete(workflow: BpmnWorkflow, task_id: UUID, data: dict[str, Any]) -> None:
    """Run one ready human task with ``data`` and move the engine on to the next human tasks.

    Raises LookupError when the task is not ready (already done, or cancelled by the process).
    """
    task = workflow.get_task_from_id(task_id)
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise LookupError(str(task_id))
    task.set_data(**data)
    task.run()
    workflow.do_engine_steps()


def step_properties(spec_text: str) -> dict[str, dict[str, str]]:
    """The camunda:properties of every element of a stored spec, by element id (read, never run)."""
    spec, subprocesses = _specs(spec_text)
    found: dict[str, dict[str, str]] = {}
    for owner in (spec, *subprocesses.values()):
        for task_spec in owner.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None)
            if element:
                found[element] = dict(getattr(task_spec, "extensions", {}) or {})
    return found


def next_human_steps(spec_text: str, element_id: str) -> list[tuple[str, str, dict[str, str]]]:
    """The human steps reachable from the step ``element_id`` without passing another human step
    (through gateways and events, every branch), as (element id, name, properties) in the order
    found; read from the stored spec, never run."""
    spec, subprocesses = _specs(spec_text)
    for owner in (spec, *subprocesses.values()):
        start = next(
            (t for t in owner.task_specs.values() if getattr(t, "bpmn_id", None) == element_id), None
        )
        if start is not None:
            break
    else:
        return []
    found: list[tuple[str, str, dict[str, str]]] = []
    seen = {start.name}
    frontier = list(start.outputs)
    while frontier:
        task_spec = frontier.pop(0)
        if task_spec is None or task_spec.name in seen:
            continue
        seen.add(task_spec.name)
        if getattr(task_spec, "manual", False) and getattr(task_spec, "bpmn_id", None):
            props = dict(getattr(task_spec, "extensions", {}) or {})
            found.append((task_spec.bpmn_id, task_spec.bpmn_name or task_spec.bpmn_id, props))
            continue
        frontier.extend(task_spec.outputs)
    return found


def element_states(workflow: BpmnWorkflow) -> tuple[list[str], list[str]]:
    """BPMN element ids that are done and that are current (ready, started or waiting)."""
    done: list[str] = []
    current: list[str] = []
    for task in workflow.get_tasks():
        element = getattr(task.task_spec, "bpmn_id", None)
        if not element:
            continue
        if task.state == TaskState.COMPLETED and element not in done:
            done.append(element)
        elif task.state & OPEN_STATES and element not in current:
            current.append(element)
    return [e for e in done if e not in current], current


def variables(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The process data: the end task's data once finished, else the merged data of the last tasks."""
    if workflow.is_completed():
        return dict(workflow.data)
    merged: dict[str, Any] = {}
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if not _inside_call(task):  # a child's data reaches the parent only through ``out``
            merged.update(task.data)
    return merged


def _inside_call(task: Any) -> bool:
    """Whether the task runs in a child process of a call activity (at any depth); tasks of an
    embedded sub-process share the parent's data and are not."""
    owner_workflow = task.workflow
    top = owner_workflow.top_workflow
    while owner_workflow is not top:
        owner = top.get_task_from_id(owner_workflow.parent_task_id)
        if isinstance(owner.task_spec, MappedCallActivity):
            return True
        owner_workflow = owner.workflow
    return False


def reset_to(workflow: BpmnWorkflow, element_id: str) -> None:
    """Make the latest completed human task of ``element_id`` ready again and drop everything the
    process did after it (退回, 撤回). Raises LookupError when that step was never completed."""
    done = [
        task
        for task in workflow.get_tasks(state=TaskState.COMPLETED, manual=True)
        if task.task_spec.bpmn_id == element_id
    ]
    if not done:
        raise LookupError(element_id)
    workflow.reset_from_task_id(max(done, key=lambda task: task.last_state_change).id)


def step_outputs(workflow: BpmnWorkflow) -> dict[str, dict[str, Any]]:
    """What each completed human step last added to the process data (its own decision, e.g.
    ``approved``), by element id: 直送 replays these for the steps it skips."""
    outputs: dict[str, tuple[float, dict[str, Any]]] = {}
    for task in workflow.get_tasks(state=TaskState.COMPLETED, manual=True):
        before = task.parent.data if task.parent is not None else {}
        added = {key: value for key, value in task.data.items() if before.get(key) != value}
        element = task.task_spec.bpmn_id
        if element and (element not in outputs or task.last_state_change > outputs[element][0]):
            outputs[element] = (task.last_state_change, added)
    return {element: added for element, (_at, added) in outputs.items()}


# --- version migration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrationIssue:
    """Why a workflow cannot move to another version of its spec. ``kind``:

    - ``removed_open``: an open task (a ready step, a waiting join or event) has no spec in the new version;
    - ``removed_done``: a completed (or cancelled) task has none: the saved state could not be
      loaded with the new spec;
    - ``removed_predicted``: only a predicted (not yet reached) task has none, below a task the
      migration does not re-predict (a running sub-process);
    - ``changed_open``: an open human task changed who does it (``detail`` names the attribute:
      ``role``, ``step``, ``lane`` or ``type``);
    - ``branches_changed``: a parallel/inclusive split already taken, or a waiting join, has other
      branches in the new version (the join would wait for a branch that never started);
    - ``subprocess_removed``: a running sub-process has no spec in the new version;
    - ``open_tasks_changed``: after the move the engine would open other human tasks than now.
    """

    kind: str
    element_id: str
    name: str
    detail: str = ""


class MigrationRefused(Exception):
    def __init__(self, issues: list[MigrationIssue]) -> None:
        super().__init__("; ".join(f"{i.kind}:{i.element_id}" for i in issues))
        self.issues = issues


def _specs(spec_text: str) -> tuple[Any, dict[str, Any]]:
    restored = json.loads(spec_text)
    return (
        _serializer.from_dict(restored["spec"]),
        {name: _serializer.from_dict(sub) for name, sub in restored["subprocess_specs"].items()},
    )


def _issue(kind: str, spec: Any, detail: str = "") -> MigrationIssue:
    element = getattr(spec, "bpmn_id", None) or spec.name
    return MigrationIssue(kind, element, getattr(spec, "bpmn_name", None) or element, detail)


def _human_change(old: Any, new: Any) -> str:
    """The attribute of an open human task whose change would strand its WorkTask row, or ''."""
    if type(old) is not type(new) or not new.manual:
        return "type"
    old_props = getattr(old, "extensions", {}) or {}
    new_props = getattr(new, "extensions", {}) or {}
    for key in ("role", "step"):
        if old_props.get(key) != new_props.get(key):
            return key
    return "lane" if old.lane != new.lane else ""


def _names(specs: list[Any]) -> set[str]:
    return {spec.name for spec in specs}


def _branch_issues(workflow: BpmnWorkflow, new_specs: dict[str, Any]) -> list[MigrationIssue]:
    """Splits already taken and joins waiting must keep their branches: the old run started
    exactly the old branches, and a new one would never arrive at the join."""
    gateways = (ParallelGatewayMixin, InclusiveGatewayMixin)
    issues: list[MigrationIssue] = []
    for task in workflow.get_tasks(state=OPEN_STATES):
        new = new_specs.get(task.task_spec.name)
        waiting_join = isinstance(task.task_spec, gateways) and task.state == TaskState.WAITING
        if waiting_join and new is not None and _names(task.task_spec.inputs) != _names(new.inputs):
            issues.append(_issue("branches_changed", task.task_spec))
        ancestor = task.parent
        while ancestor is not None:
            spec = ancestor.task_spec
            new = new_specs.get(spec.name)
            split = isinstance(spec, gateways) and len(spec.outputs) > 1
            if split and new is not None and _names(spec.outputs) != _names(new.outputs):
                issues.append(_issue("branches_changed", spec))
            ancestor = ancestor.parent
    return list(dict.fromkeys(issues))


def migrate(state_text: str, old_spec_text: str, new_spec_text: str) -> str:
    """The saved state of a workflow moved from its spec to another version of it (the same
    format as ``dump``). Raises MigrationRefused listing every reason it cannot move.

    The library's own migration does the work (``SpiffWorkflow.bpmn.util.diff``): ``diff_workflow``
    aligns old and new task specs by element id (and renamed elements by structure), and
    ``migrate_workflow`` points each task at its new spec and re-predicts from the open tasks,
    keeping their ids — so the new path (e.g. an added step) is followed. Loading the old state
    with the new spec alone is not enough: predictions made under the old spec stay, and an added
    step after the current one is silently skipped.

    Checked before anything is returned: every task of the state (completed ones too) has a spec
    in the new version, open human tasks keep their role, step, lane and type, parallel branches
    in progress are unchanged, and the same human tasks are open afterwards (by id, so the
    platform's task rows stay valid); finally the result is loaded with the new spec again.
    """
    workflow = load(old_spec_text, state_text)
    new_spec, new_dependencies = _specs(new_spec_text)
    open_before = {task.id: task.task_spec for task in workflow.get_tasks(state=OPEN_STATES, manual=True)}
    issues = _branch_issues(workflow, new_spec.task_specs)
    top_diff, sub_diffs = diff_workflow(_serializer.registry, workflow, new_spec, new_dependencies)
    migrate_workflow(top_diff, workflow, new_spec)
    for sub_id, sub_diff in sub_diffs.items():
        sub = workflow.subprocesses[sub_id]
        if sub_diff is None:
            issues.append(_issue("subprocess_removed", sub.spec))
        else:
            migrate_workflow(sub_diff, sub, new_dependencies[sub.spec.name])
    predicted: list[MigrationIssue] = []
    for owner in [workflow, *workflow.subprocesses.values()]:
        for task in owner.tasks.values():
            if owner.spec.task_specs.get(task.task_spec.name) is not task.task_spec:
                if task.state & NOT_REACHED:
                    predicted.append(_issue("removed_predicted", task.task_spec))
                else:
                    kind = "removed_open" if task.state & OPEN_STATES else "removed_done"
                    issues.append(_issue(kind, task.task_spec))
            elif task.id in open_before and (change := _human_change(open_before[task.id], task.task_spec)):
                issues.append(_issue("changed_open", open_before[task.id], change))
    # Predictions below a removed open step were made with the old spec: that step says it all.
    if issues or predicted:
        raise MigrationRefused(list(dict.fromkeys(issues or predicted)))
    workflow.do_engine_steps()
    _refuse_other_open_tasks(workflow, open_before)
    migrated = dump(workflow)
    _refuse_other_open_tasks(load(new_spec_text, migrated), open_before)
    return migrated


def _refuse_other_open_tasks(workflow: BpmnWorkflow, before: dict[UUID, Any]) -> None:
    after = {task.id: task.task_spec for task in workflow.get_tasks(state=OPEN_STATES, manual=True)}
    if set(after) != set(before):
        specs = {**before, **after}
        raise MigrationRefused(
            [_issue("open_tasks_changed", specs[task_id]) for task_id in set(after) ^ set(before)]
        )
