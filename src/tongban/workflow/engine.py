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
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from tongban.workflow import expressions

SPEC_KEYS = ("spec", "subprocess_specs")
OPEN_STATES = TaskState.READY | TaskState.STARTED | TaskState.WAITING


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
