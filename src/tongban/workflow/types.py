import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskRef:
    """A human task as other apps see it."""

    id: uuid.UUID
    instance_id: int
    subject: str
    element_id: str
    name: str
    step: str
    role: str
    department_id: int
    assignee_id: int | None
    status: str
    created_at: dt.datetime
    due_date: dt.date | None
    properties: dict[str, str] = field(default_factory=dict)
    return_reason: str = ""
    direct_return: bool = False
    delegated_by_id: int | None = None
    # The assignee rule found nobody: the task went to the department's process administrators.
    unassigned: bool = False
    assignee_rule: str = "role"


@dataclass(frozen=True)
class Completion:
    """What completing a task changed: the tasks it opened and whether the process ended."""

    instance_id: int
    subject: str
    finished: bool
    variables: dict[str, Any]
    opened: list[TaskRef]
    # 后加签: the handler has decided, but the step completes only once the added signers agree.
    deferred: bool = False


@dataclass(frozen=True)
class ProcessStepRecord:
    """One line of the process record (办理过程): step, action, opinion, who and when."""

    name: str
    element_id: str
    department_id: int
    status: str
    arrived_at: dt.datetime
    completed_at: dt.datetime | None
    assignee_id: int | None
    action_label: str
    opinion: str
    due_date: dt.date | None


@dataclass(frozen=True)
class DiagramState:
    """A definition's BPMN and which elements are done and current, for bpmn-js markers."""

    bpmn_xml: str
    done: list[str]
    current: list[str]
    steps: list[dict[str, str]]


@dataclass(frozen=True)
class SignerRef:
    """One signer of a task (会签 or 加签), in signing order, as the task page shows them."""

    id: int
    user_id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    opinion: str
    signed_at: dt.datetime | None
    added_by_id: int | None
    can_sign_now: bool
    signed_by_id: int | None = None  # 代理: the agent who signed for them


@dataclass(frozen=True)
class StepOutline:
    """A human step of a process: who does it (a role), which kind of step it is, in which lane (joint
    approval) if any, and the model's limit_days (the item's own step limit comes first)."""

    element_id: str
    name: str
    role: str = ""
    lane: str | None = None
    step: str = ""  # accept, review, decide, close, deliver
    limit_days: int | None = None


@dataclass(frozen=True)
class ProcessOutline:
    """What a process key runs today (its latest version): its human steps, or not runnable at all."""

    key: str
    name: str
    runnable: bool
    steps: tuple[StepOutline, ...] = ()


@dataclass(frozen=True)
class PublishedProcess:
    """The latest runnable version of a process key, with its process-level properties (``starters``,
    ``form`` …, docs/process-models.md)."""

    definition_id: int
    key: str
    version: int
    name: str
    family: str
    properties: dict[str, str] = field(default_factory=dict)
