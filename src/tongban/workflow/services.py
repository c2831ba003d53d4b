"""Workflow writes: definitions (shipped and uploaded), starting instances, claiming and completing
tasks. Each call loads the instance's engine state, acts, and saves it in the same transaction.

Concurrency (T-H2): the task row is locked (``select_for_update``) and must still be open; the
instance row is locked too, and its ``revision`` is bumped with a conditional update, so two
people completing the same task, or two tasks of one instance at once, cannot both win — the
second gets TaskConflict (409) and its transaction changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.calendar import add_working_days
from tongban.organizations.selectors import department_ids_for
from tongban.workflow import engine
from tongban.workflow.errors import DefinitionError, TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import InstanceStatus, ProcessDefinition, ProcessInstance, TaskStatus, WorkTask
from tongban.workflow.selectors import task_ref
from tongban.workflow.types import Completion, TaskRef
from tongban.workflow.validation import validate_definition

SHIPPED_DIR = Path(__file__).parent / "shipped"
SHIPPED_KEYS = ("standard", "instant", "joint_startup")


def _store_definition(
    *, key: str, data: bytes, uploaded_by_id: int | None, is_shipped: bool
) -> ProcessDefinition:
    checked = validate_definition(data)
    latest = ProcessDefinition.objects.filter(key=key).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            return ProcessDefinition.objects.create(
                key=key,
                version=latest + 1,
                name=checked.name,
                process_id=checked.process_id,
                bpmn_xml=data.decode("utf-8"),
                sha256=hashlib.sha256(data).hexdigest(),
                spec=json.dumps(checked.spec, ensure_ascii=False, separators=(",", ":")),
                steps=[step.__dict__ for step in checked.steps],
                lanes=checked.lanes,
                is_shipped=is_shipped,
                uploaded_by_id=uploaded_by_id,
            )
    except IntegrityError as exc:
        raise TaskConflict(_("另一人同时上传了该流程的新版本，请刷新后重试"), code="version_race") from exc


def upload_definition(*, key: str, data: bytes, uploaded_by_id: int) -> int:
    """Keep an uploaded BPMN file as the next version of ``key``; return its id.

    The file is validated first (``validation``): anything refused raises DefinitionError with a
    message naming the element, and nothing is stored. Running instances keep their version.
    Uploading the same file as the latest version again stores nothing and returns that version.
    """
    if not key or not key.replace("_", "").replace("-", "").isalnum():
        raise DefinitionError(_("流程标识只能包含字母、数字、下划线和连字符"), code="bad_key")
    latest = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if latest and latest.sha256 == hashlib.sha256(data).hexdigest():
        return latest.pk
    return _store_definition(key=key, data=data, uploaded_by_id=uploaded_by_id, is_shipped=False).pk


def install_shipped_definitions() -> list[int]:
    """Store the platform's own definitions (``shipped/*.bpmn``) where the file changed since the
    latest stored version. Idempotent: a second call stores nothing."""
    stored = []
    for key in SHIPPED_KEYS:
        data = (SHIPPED_DIR / f"{key}.bpmn").read_bytes()
        latest = ProcessDefinition.objects.filter(key=key, is_shipped=True).order_by("-version").first()
        if latest is None or latest.sha256 != hashlib.sha256(data).hexdigest():
            stored.append(_store_definition(key=key, data=data, uploaded_by_id=None, is_shipped=True).pk)
    return stored


def current_definition(key: str) -> ProcessDefinition:
    """The latest version of ``key``, installing the shipped definitions on first use."""
    definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None and key in SHIPPED_KEYS:
        install_shipped_definitions()
        definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None:
        raise WorkflowError(_("流程“%(key)s”不存在") % {"key": key}, code="no_definition")
    return definition


def _department_for(instance: ProcessInstance, lane: str | None) -> int:
    if lane and lane in instance.lane_departments:
        return int(instance.lane_departments[lane])
    return instance.department_id


def _due_date(instance: ProcessInstance, task: engine.HumanTask) -> Any:
    """The step's due date: its limit from the item (by element id or name), else the model's
    ``limit_days`` property, counted in working days from now; None without a limit."""
    limit = instance.step_limits.get(task.element_id, instance.step_limits.get(task.name))
    if not limit and task.properties.get("limit_days", "").isdigit():
        limit = int(task.properties["limit_days"])
    return add_working_days(timezone.now(), int(limit)) if limit else None


def _sync_tasks(instance: ProcessInstance, workflow: Any) -> list[TaskRef]:
    """Mirror the engine's ready human tasks as WorkTask rows; close rows the engine cancelled."""
    ready = {task.id: task for task in engine.ready_human_tasks(workflow)}
    existing = set(
        instance.tasks.filter(engine_task_id__in=list(ready)).values_list("engine_task_id", flat=True)
    )
    now = timezone.now()
    instance.tasks.filter(status=TaskStatus.OPEN).exclude(engine_task_id__in=list(ready)).update(
        status=TaskStatus.CANCELLED, completed_at=now
    )
    opened = []
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        row = WorkTask.objects.create(
            instance=instance,
            engine_task_id=task_id,
            element_id=task.element_id,
            name=task.name,
            step=task.properties.get("step", ""),
            role=task.properties.get("role", ""),
            department_id=_department_for(instance, task.lane),
            properties=task.properties,
            due_date=_due_date(instance, task),
        )
        opened.append(task_ref(row))
    return opened


def _save(instance: ProcessInstance, workflow: Any) -> None:
    """Write the engine state with a revision check: a concurrent writer makes this one fail."""
    finished = workflow.is_completed()
    updated = ProcessInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
        state=json.dumps(engine.dump(workflow), ensure_ascii=False, separators=(",", ":")),
        revision=instance.revision + 1,
        status=InstanceStatus.COMPLETED if finished else InstanceStatus.RUNNING,
        ended_at=timezone.now() if finished else None,
    )
    if updated != 1:
        raise TaskConflict(_("该办件刚被他人处理，请刷新后查看最新状态"), code="stale_instance")
    instance.revision += 1


@transaction.atomic
def start_instance(
    *,
    definition_key: str,
    subject: str,
    department_id: int,
    data: dict[str, Any],
    lane_departments: dict[str, int] | None = None,
    step_limits: dict[str, int] | None = None,
) -> Completion:
    """Start the latest version of ``definition_key`` for ``subject`` (one instance per subject).

    ``lane_departments`` maps a lane name to the department that handles its tasks (joint
    approval); tasks outside a mapped lane go to ``department_id``. ``step_limits`` maps an element
    id or step name to its limit in working days, from which each task's due date is computed.
    """
    definition = current_definition(definition_key)
    if ProcessInstance.objects.filter(subject=subject).exists():
        raise TaskConflict(_("该办件的流程已启动"), code="already_started")
    workflow = engine.start(json.loads(definition.spec), data)
    instance = ProcessInstance.objects.create(
        definition=definition,
        subject=subject,
        department_id=department_id,
        lane_departments={k: int(v) for k, v in (lane_departments or {}).items()},
        step_limits={k: int(v) for k, v in (step_limits or {}).items()},
        state="{}",
    )
    _save(instance, workflow)
    opened = _sync_tasks(instance, workflow)
    return Completion(
        instance_id=instance.pk,
        subject=subject,
        finished=workflow.is_completed(),
        variables=engine.variables(workflow),
        opened=opened,
    )


def may_act(task: WorkTask, user_id: int) -> bool:
    """The assignee, or — while nobody has claimed it — staff holding the task's role in its
    department (T-H1)."""
    if task.assignee_id is not None:
        return task.assignee_id == user_id
    return _holds_role(task, user_id)


def _holds_role(task: WorkTask, user_id: int) -> bool:
    return task.department_id in department_ids_for(user_id=user_id, role=task.role)


def _locked_task(task_id: uuid.UUID, user_id: int) -> WorkTask:
    """The task row, locked. Someone without the task's role in its department gets "not found"
    (T-H1); a colleague who was too late gets a conflict (T-H2)."""
    task = WorkTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not (task.assignee_id == user_id or _holds_role(task, user_id)):
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.status != TaskStatus.OPEN:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_open")
    if not may_act(task, user_id):
        raise TaskConflict(_("该待办已由他人签收"), code="claimed")
    return task


@transaction.atomic
def claim_task(*, task_id: uuid.UUID, user_id: int) -> TaskRef:
    """签收: the task becomes the user's; others with the role no longer see it in their inbox."""
    task = _locked_task(task_id, user_id)
    if task.assignee_id == user_id:
        return task_ref(task)
    task.assignee_id = user_id
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def complete_task(
    *,
    task_id: uuid.UUID,
    user_id: int,
    action: str,
    action_label: str,
    opinion: str,
    data: dict[str, Any],
) -> Completion:
    """Complete a human task: record action, opinion, person and server time, give ``data`` to the
    engine and open the next tasks as the model says (the client never chooses the next step, T-H3).

    Raises TaskNotFound for a task the user may not act on (T-H1) and TaskConflict when it is no
    longer open or the instance moved on meanwhile (T-H2).
    """
    task = _locked_task(task_id, user_id)
    instance = (
        ProcessInstance.objects.select_for_update().select_related("definition").get(pk=task.instance_id)
    )
    workflow = engine.load(json.loads(instance.definition.spec), json.loads(instance.state))
    try:
        engine.complete(workflow, task.engine_task_id, data)
    except LookupError as exc:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_ready") from exc
    now = timezone.now()
    task.status = TaskStatus.COMPLETED
    task.assignee_id = user_id
    task.claimed_at = task.claimed_at or now
    task.completed_at = now
    task.action, task.action_label, task.opinion = action, action_label, opinion.strip()
    task.save(
        update_fields=[
            "status",
            "assignee",
            "claimed_at",
            "completed_at",
            "action",
            "action_label",
            "opinion",
        ]
    )
    _save(instance, workflow)
    opened = _sync_tasks(instance, workflow)
    return Completion(
        instance_id=instance.pk,
        subject=instance.subject,
        finished=workflow.is_completed(),
        variables=engine.variables(workflow),
        opened=opened,
    )
