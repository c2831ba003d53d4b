"""The one place that talks to SpiffWorkflow: parse a definition, start, load and save instances.

An instance's state is the engine's serialized workflow *without* the process spec: the spec is
kept once per definition version (``ProcessDefinition.spec``) and put back on load, which halves
the stored state (../shared/SPIFFWORKFLOW.md §5). Every expression goes through
``tongban.workflow.expressions`` instead of ``eval``; script and service tasks never run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins import InclusiveGatewayMixin, ParallelGatewayMixin
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

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
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG))


@dataclass(frozen=True)
class HumanTask:
    """A ready human task as the engine sees it."""

    id: UUID
    element_id: str
    name: str
    lane: str | None
    properties: dict[str, str]


def new_parser() -> CamundaParser:
    """CamundaParser reads camunda:properties (role, step …) into ``task_spec.extensions``."""
    return CamundaParser(validator=BpmnValidator())


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
    """The workflow's state as JSON text, without the spec (kept once per definition)."""
    document = _serializer.to_dict(workflow)
    for key in SPEC_KEYS:
        document.pop(key)
    return _text(document)


def ready_human_tasks(workflow: BpmnWorkflow) -> list[HumanTask]:
    return [
        HumanTask(
            id=task.id,
            element_id=task.task_spec.bpmn_id,
            name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            lane=task.task_spec.lane,
            properties=dict(getattr(task.task_spec, "extensions", {}) or {}),
        )
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    ]


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
        merged.update(task.data)
    return merged


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
