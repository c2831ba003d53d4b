"""Instances: start one, save its engine state and sync its human tasks, due dates of open steps."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.calendar import CHINA_TZ, add_working_days
from tongban.organizations.selectors import staff_ids_with_role
from tongban.workflow import engine
from tongban.workflow.countersign_rules import Mode
from tongban.workflow.errors import TaskConflict
from tongban.workflow.events import signing_turn
from tongban.workflow.models import (
    InstanceStatus,
    ProcessInstance,
    Signer,
    SignerKind,
    SignerStatus,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.selectors import task_ref
from tongban.workflow.services import assignees
from tongban.workflow.services.definitions import current_definition
from tongban.workflow.timers import working_days
from tongban.workflow.types import Completion, TaskRef


def _department_for(instance: ProcessInstance, lane: str | None, department_id: int | None = None) -> int:
    """The department a step opens in: the one its multi-instance element variable names (a
    ``department_variable`` step, e.g. 公文会签 per department), its lane's, else the instance's."""
    if department_id is not None:
        return department_id
    if lane and lane in instance.lane_departments:
        return int(instance.lane_departments[lane])
    return instance.department_id


def _due_date(
    instance: ProcessInstance, *, element_id: str, name: str, properties: dict[str, Any], arrived_at: Any
) -> dt.date | None:
    """The step's due date: its limit from the item (by element id or name), else the model's
    ``limit_days`` property, counted in working days from the step's arrival; None without a limit.
    Never after the instance's ``due_by`` (the case's promised finish date): a joint-approval lane
    with a longer limit is due with the case."""
    limit = instance.step_limits.get(element_id, instance.step_limits.get(name))
    limit = limit or working_days(properties.get("limit_days"))
    if not limit:
        return None
    due = add_working_days(arrived_at, int(limit))
    return min(due, instance.due_by) if instance.due_by else due


def _reschedule_open_tasks(instance: ProcessInstance, tasks: Any) -> int:
    """Recompute the due dates of these open tasks of ``instance``; returns how many changed."""
    changed = []
    for task in tasks:
        due = _due_date(
            instance,
            element_id=task.element_id,
            name=task.name,
            properties=task.properties,
            arrived_at=task.created_at,
        )
        if due != task.due_date:
            task.due_date = due
            changed.append(task)
    WorkTask.objects.bulk_update(changed, ["due_date"])
    return len(changed)


@transaction.atomic
def set_due_by(*, subject: str, due_by: dt.date | None) -> int:
    """The case's promised finish date moved (a pause ended, the calendar changed): no step of its
    instance may be due later, and open steps are recomputed. Returns how many due dates changed; 0
    when the subject has no instance."""
    instance = ProcessInstance.objects.select_for_update().filter(subject=subject).first()
    if instance is None:
        return 0
    if instance.due_by != due_by:
        instance.due_by = due_by
        instance.save(update_fields=["due_by"])
    return _reschedule_open_tasks(instance, instance.tasks.filter(status=TaskStatus.OPEN))


@transaction.atomic
def recompute_due_dates(*, years: Collection[int]) -> int:
    """Recompute the due dates of open steps counted over any of ``years`` (their working days
    changed: a year's holidays were published or a day corrected). Returns how many changed."""
    first, last = min(years), max(years)
    tasks = (
        WorkTask.objects.filter(status=TaskStatus.OPEN, due_date__year__gte=first)
        .filter(created_at__lt=dt.datetime(last + 1, 1, 1, tzinfo=CHINA_TZ))
        .select_related("instance")
        .order_by("instance_id")
    )
    changed = 0
    for _instance_id, group in itertools.groupby(tasks, key=lambda task: task.instance_id):
        rows = list(group)
        changed += _reschedule_open_tasks(rows[0].instance, rows)
    return changed


def _sync_tasks(
    instance: ProcessInstance,
    workflow: Any,
    *,
    cancel_note: dict[str, str] | None = None,
    started: bool = False,
) -> list[TaskRef]:
    """Mirror the engine's ready human tasks as WorkTask rows; close rows the engine cancelled
    (``cancel_note``: the action and label they are closed with, e.g. by a boundary timer).
    ``started``: the instance was just created, so it has no rows to compare with or close."""
    ready = {task.id: task for task in engine.ready_human_tasks(workflow)}
    now = timezone.now()
    existing: set[Any] = set()
    if not started:
        existing = set(
            instance.tasks.filter(engine_task_id__in=list(ready), status=TaskStatus.OPEN).values_list(
                "engine_task_id", flat=True
            )
        )
        gone = instance.tasks.filter(status=TaskStatus.OPEN).exclude(engine_task_id__in=list(ready))
        void_signers(gone)
        gone.update(status=TaskStatus.CANCELLED, completed_at=now, **(cancel_note or {}))
    opened = []
    variables = _lazy_variables(workflow)
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        department_id = _department_for(instance, task.lane, task.department_id)
        row = WorkTask.objects.create(
            instance=instance,
            engine_task_id=task_id,
            element_id=task.element_id,
            name=task.name,
            step=task.properties.get("step", ""),
            role=task.properties.get("role", ""),
            department_id=department_id,
            properties=task.properties,
            due_date=_due_date(
                instance,
                element_id=task.element_id,
                name=task.name,
                properties=task.properties,
                arrived_at=now,
            ),
        )
        resolution = assignees.resolve(
            instance,
            element_id=task.element_id,
            properties=task.properties,
            department_id=department_id,
            variables=variables,
        )
        assignees.assign(row, resolution)
        if task.properties.get("countersign"):
            _open_countersign(row)
        opened.append(task_ref(row))
    return opened


def _lazy_variables(workflow: Any) -> Any:
    """The process data, computed once and only if an assignee rule asks (form_field)."""
    found: list[dict[str, Any]] = []

    def variables() -> dict[str, Any]:
        if not found:
            found.append(engine.variables(workflow))
        return found[0]

    return variables


def _open_countersign(task: WorkTask) -> None:
    """A joint step (会签): everyone holding its role in its department signs; 依次 in order. Those
    who may sign at once are told (after commit)."""
    previous = None
    sequential = task.properties["countersign"] == Mode.SEQUENTIAL
    signer_ids = sorted(staff_ids_with_role(department_id=task.department_id, role=task.role))
    for user_id in signer_ids:
        previous = Signer.objects.create(
            task=task,
            user_id=user_id,
            kind=SignerKind.COUNTERSIGN,
            waits_for=previous if sequential else None,
        )
    announce_signing_turn(task, signer_ids[:1] if sequential else signer_ids)


def announce_signing_turn(task: WorkTask, recipient_ids: list[int]) -> None:
    """Tell these people, after commit, that it is their turn to sign the task (会签, 加签)."""
    if recipient_ids:
        details = {"task_id": task.pk, "step": task.name, "subject": task.instance.subject}
        transaction.on_commit(
            lambda: signing_turn.send(sender=Signer, recipient_ids=recipient_ids, **details)
        )


def void_signers(tasks: Any) -> None:
    """The tasks left the inbox another way (退回, 终止, cancelled by the process): nobody signs them."""
    Signer.objects.filter(task__in=tasks, status=SignerStatus.PENDING).update(status=SignerStatus.VOID)


def _save(instance: ProcessInstance, workflow: Any) -> None:
    """Write the engine state with a revision check: a concurrent writer makes this one fail."""
    finished = workflow.is_completed()
    state = engine.dump(workflow)  # first: it sets working-day timers' due times
    next_timer_at = None if finished else engine.next_timer_at(workflow)
    updated = ProcessInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
        state=state,
        revision=instance.revision + 1,
        status=InstanceStatus.COMPLETED if finished else InstanceStatus.RUNNING,
        ended_at=timezone.now() if finished else None,
        next_timer_at=next_timer_at,
    )
    if updated != 1:
        raise TaskConflict(_("该办件刚被他人处理，请刷新后查看最新状态"), code="stale_instance")
    instance.revision += 1
    instance.next_timer_at = next_timer_at


def _save_and_sync(
    instance: ProcessInstance,
    workflow: Any,
    *,
    marks: dict[str, Any] | None = None,
    cancel_note: dict[str, str] | None = None,
    started: bool = False,
) -> Completion:
    """Save the engine state, mirror its ready tasks, and say what changed; ``marks`` are set on the
    tasks this opened (the reason of a send-back, the person who withdrew), ``cancel_note`` on the
    tasks the engine cancelled. Moving forward (no marks), steps its process dedupes are completed
    as duplicates first (``assignees``). ``started``: the instance was just created with its state
    (``start_instance``), which is not saved again."""
    if not started:
        _save(instance, workflow)
    opened = _sync_tasks(instance, workflow, cancel_note=cancel_note, started=started)
    if not marks and opened and assignees.dedupes(instance):
        opened = _dedupe_opened(instance, workflow, opened)
    if marks and opened:
        WorkTask.objects.filter(pk__in=[t.id for t in opened]).update(**marks)
        opened = [task_ref(row) for row in WorkTask.objects.filter(pk__in=[t.id for t in opened])]
    return Completion(
        instance_id=instance.pk,
        subject=instance.subject,
        finished=workflow.is_completed(),
        variables=engine.variables(workflow),
        opened=opened,
    )


def _dedupe_opened(instance: ProcessInstance, workflow: Any, opened: list[TaskRef]) -> list[TaskRef]:
    """自动去重: complete each newly opened step whose single handler already approved an earlier
    step, then the steps that opens, until none is left; returns the tasks left open."""
    for _round in range(assignees.MAX_DEDUPE_ROUNDS):
        rows = WorkTask.objects.filter(pk__in=[t.id for t in opened], status=TaskStatus.OPEN)
        duplicate = next(
            ((row, earlier) for row in rows if (earlier := assignees.duplicate_approval(row))), None
        )
        if duplicate is None:
            break
        row, earlier = duplicate
        assignees.complete_as_duplicate(row, earlier, workflow)
        _save(instance, workflow)
        opened = [t for t in opened if t.id != row.pk] + _sync_tasks(instance, workflow)
    still_open = WorkTask.objects.filter(pk__in=[t.id for t in opened], status=TaskStatus.OPEN)
    return [task_ref(row) for row in still_open.select_related("instance")]


@transaction.atomic
def start_instance(
    *,
    definition_key: str,
    subject: str,
    department_id: int,
    data: dict[str, Any],
    lane_departments: dict[str, int] | None = None,
    step_limits: dict[str, int] | None = None,
    due_by: dt.date | None = None,
    chosen_assignees: dict[str, list[int]] | None = None,
) -> Completion:
    """Start the latest version of ``definition_key`` for ``subject`` (one instance per subject).

    ``chosen_assignees`` maps the element id of a step whose assignee rule is ``initiator_choice``
    (发起人自选) to the user ids the initiator chose (``forms.parse_assignee_choices``).

    ``lane_departments`` maps a lane name to the department that handles its tasks (joint
    approval); tasks outside a mapped lane go to ``department_id``. ``step_limits`` maps an element
    id or step name to its limit in working days, from which each task's due date is computed;
    none is due after ``due_by`` (the case's promised finish date, moved with ``set_due_by``).
    """
    definition = current_definition(definition_key)
    workflow = engine.start(definition.spec, data)
    finished = workflow.is_completed()
    state = engine.dump(workflow)  # first: it sets working-day timers' due times
    # Inserted with its state (one write, not an insert and a save), as _save would leave it. A
    # second start for the subject breaks its unique constraint (no query before): this block,
    # atomic, is rolled back whole.
    try:
        instance = ProcessInstance.objects.create(
            definition=definition,
            subject=subject,
            department_id=department_id,
            lane_departments={k: int(v) for k, v in (lane_departments or {}).items()},
            step_limits={k: int(v) for k, v in (step_limits or {}).items()},
            due_by=due_by,
            state=state,
            revision=1,
            status=InstanceStatus.COMPLETED if finished else InstanceStatus.RUNNING,
            ended_at=timezone.now() if finished else None,
            next_timer_at=None if finished else engine.next_timer_at(workflow),
            chosen_assignees={
                str(k): sorted({int(u) for u in v}) for k, v in (chosen_assignees or {}).items()
            },
        )
    except IntegrityError:
        raise TaskConflict(_("该办件的流程已启动"), code="already_started") from None
    return _save_and_sync(instance, workflow, started=True)


@transaction.atomic
def plan_lanes(
    *, subject: str, lane_departments: dict[str, int], step_limits: dict[str, int] | None = None
) -> None:
    """Map lanes to departments (and set step limits) on a running instance, for steps chosen while it
    runs: a 收文's 承办 departments and 办理时限 are chosen at 批示. The tasks opened afterwards use the
    new mapping and limits; an open task keeps the department and due date it opened with."""
    instance = ProcessInstance.objects.select_for_update().filter(subject=subject).first()
    if instance is None:
        raise TaskConflict(_("流程尚未启动"), code="not_started")
    busy = set(instance.tasks.filter(status=TaskStatus.OPEN).values_list("element_id", flat=True))
    lanes = dict(instance.lane_departments) | {k: int(v) for k, v in lane_departments.items()}
    limits = dict(instance.step_limits) | {k: int(v) for k, v in (step_limits or {}).items() if k not in busy}
    instance.lane_departments, instance.step_limits = lanes, limits
    instance.save(update_fields=["lane_departments", "step_limits"])


def _locked_instance(instance_id: int) -> ProcessInstance:
    return ProcessInstance.objects.select_for_update().select_related("definition").get(pk=instance_id)
