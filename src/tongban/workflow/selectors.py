"""Workflow reads: inbox (待办), done (已办), one task for its viewer, process record, diagram state."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core.calendar import add_working_days
from tongban.core.counting import Rows, first_rows
from tongban.organizations.selectors import (
    department_ids_for,
    home_region,
    regions_administered_or_held,
    role_or_administered_department_ids,
    roles_of,
    staff_ids_in_active_departments,
    staff_ids_with_role,
)
from tongban.organizations.types import OpenWork
from tongban.workflow import engine, validation
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import (
    CaseCopy,
    OutOfOffice,
    ProcessDefinition,
    ProcessInstance,
    Signer,
    SignerKind,
    SignerStatus,
    StepKind,
    TaskCandidate,
    TaskOperation,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.step_kinds import step_kinds
from tongban.workflow.step_kinds import step_meaning as step_meaning
from tongban.workflow.timers import working_days
from tongban.workflow.types import (
    DiagramState,
    ProcessOutline,
    ProcessStepRecord,
    PublishedProcess,
    SignerRef,
    StepOutline,
    TaskRef,
)
from tongban.workflow.validation import validate_definition

# The platform's own definitions (shipped/<key>.bpmn), stored as versions on first use.
SHIPPED_DIR = Path(__file__).parent / "shipped"


def task_ref(task: WorkTask) -> TaskRef:
    return TaskRef(
        id=task.pk,
        instance_id=task.instance_id,
        subject=task.instance.subject,
        element_id=task.element_id,
        name=task.name,
        step=task.step,
        role=task.role,
        department_id=task.department_id,
        assignee_id=task.assignee_id,
        status=task.status,
        created_at=task.created_at,
        due_date=task.due_date,
        properties=dict(task.properties),
        return_reason=task.return_reason,
        direct_return=task.direct_return,
        delegated_by_id=task.delegated_by_id,
        unassigned=task.unassigned,
        assignee_rule=task.assignee_rule,
    )


def principals_of(user_id: int, *, today: dt.date | None = None) -> list[int]:
    """Colleagues the user stands in for today (代理): their away period has begun and not ended."""
    today = today or timezone.localdate()
    return list(
        OutOfOffice.objects.filter(agent_id=user_id, starts_on__lte=today, ends_on__gte=today).values_list(
            "user_id", flat=True
        )
    )


def _claimable(user_id: int) -> Q:
    """Open tasks the user may act on: assigned to them or to a colleague they stand in for (代理),
    or unclaimed with a (department, role) that they, or that colleague, hold (the ``role`` rule), or
    unclaimed with them or that colleague among its candidates (every other assignee rule)."""
    principals = principals_of(user_id)
    roles = roles_of(user_id=user_id) + [r for principal in principals for r in roles_of(user_id=principal)]
    condition = Q(assignee_id__in=principals) if principals else Q(pk__in=[])
    for department_id, role in roles:
        # A joint step (会签) is signed by its signers, each in turn, not claimed by the role.
        condition |= Q(
            assignee__isnull=True, department_id=department_id, role=role, assignee_rule="role"
        ) & ~Q(properties__has_key="countersign")
    candidate_of = TaskCandidate.objects.filter(user_id__in=[user_id, *principals]).values("task_id")
    condition |= Q(assignee__isnull=True, pk__in=candidate_of)
    return condition | Q(pk__in=_signing_now(user_id))


def tasks_to_sign(user_id: int) -> set[uuid.UUID]:
    """The open tasks the user is to sign now (会签, 加签), as opposed to handle or claim."""
    return set(_signing_now(user_id).values_list("task_id", flat=True))


def _signing_now(user_id: int, *, principals: list[int] | None = None) -> QuerySet[Signer, Any]:
    """Tasks where it is the user's turn to sign (会签, 加签), or a colleague's they stand in for
    (``principals`` when the caller has them already)."""
    if principals is None:
        principals = principals_of(user_id)
    return (
        Signer.objects.filter(user_id__in=[user_id, *principals], status=SignerStatus.PENDING)
        .filter(Q(waits_for__isnull=True) | ~Q(waits_for__status=SignerStatus.PENDING))
        .exclude(kind=SignerKind.HOLDER)
        .values("task_id")
    )


def _of_family(tasks: QuerySet[WorkTask], family: str | None) -> QuerySet[WorkTask]:
    return tasks.filter(instance__definition__family=family) if family else tasks


# Rows per page of 待办 and 已办: a "more" link (keyset, ``after``) reads the next ones.
TASK_PAGE_SIZE = 50
# The columns the lists show (each row's links, warning level and tags); the rest stays in the database.
_LIST_FIELDS = (
    "id",
    "instance__subject",
    "name",
    "role",
    "department_id",
    "properties",
    "assignee_rule",
    "unassigned",
    "assignee_id",
    "status",
    "created_at",
    "due_date",
    "completed_at",
    "action_label",
)


@dataclass(frozen=True)
class TaskPage:
    """One page of 待办 or 已办: its tasks in order, and the cursor of the next page ("" when last)."""

    tasks: list[WorkTask]
    next_cursor: str

    def __iter__(self) -> Iterator[WorkTask]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)


def _inbox_branches(user_id: int) -> list[QuerySet[WorkTask]]:
    """``_claimable`` plus the user's own tasks as separate queries, one per way a task reaches the
    inbox, so that each reads its own index (an OR of them made PostgreSQL read every open task of
    the city): assigned to the user or a principal (代理); unclaimed with one (department, role) of
    theirs, one query each; a candidate of theirs; theirs to sign now (会签, 加签)."""
    principals = principals_of(user_id)
    holders = [user_id, *principals]
    open_tasks = WorkTask.objects.filter(status=TaskStatus.OPEN)
    pairs = sorted({pair for holder in holders for pair in roles_of(user_id=holder)})
    return [
        open_tasks.filter(assignee_id__in=holders),
        *(
            # A joint step (会签) is signed by its signers, each in turn, not claimed by the role.
            open_tasks.filter(
                assignee__isnull=True, department_id=department_id, role=role, assignee_rule="role"
            ).exclude(properties__has_key="countersign")
            for department_id, role in pairs
        ),
        open_tasks.filter(
            assignee__isnull=True,
            pk__in=TaskCandidate.objects.filter(user_id__in=holders).values("task_id"),
        ),
        open_tasks.filter(pk__in=_signing_now(user_id, principals=principals)),
    ]


def _done_branches(user_id: int) -> list[QuerySet[WorkTask]]:
    """已办 as two queries on their own indexes: steps the user completed, and those they signed."""
    signed = Signer.objects.filter(
        user_id=user_id, status__in=(SignerStatus.APPROVED, SignerStatus.REJECTED)
    ).exclude(kind=SignerKind.HOLDER)
    return [
        WorkTask.objects.filter(status=TaskStatus.COMPLETED, assignee_id=user_id),
        WorkTask.objects.filter(pk__in=signed.values("task_id")),
    ]


# Each list's order, unique thanks to the id (keyset pagination needs a total order); the same on
# SQLite and PostgreSQL (whose NULLS default differs): no due date last, not completed (signed while
# the step is still open) first.
_INBOX_ORDER = (F("due_date").asc(nulls_last=True), F("created_at").asc(), F("id").asc())
_DONE_ORDER = (F("completed_at").desc(nulls_first=True), F("created_at").desc(), F("id").desc())


def inbox_tasks(
    user_id: int, *, family: str | None = None, after: str = "", size: int | None = None
) -> TaskPage:
    """待办: open tasks claimed by the user or claimable with one of the user's roles, the nearest due
    date first; ``size`` of them (``TASK_PAGE_SIZE``) after the ``after`` cursor (a page's ``next_cursor``); with
    ``family`` only the tasks of processes of that family (办件, 内部事项 …)."""
    return _page(
        _inbox_branches(user_id),
        family=family,
        after=_inbox_after(after),
        order=_INBOX_ORDER,
        size=size or TASK_PAGE_SIZE,
    )


def done_tasks(
    user_id: int, *, family: str | None = None, after: str = "", size: int | None = None
) -> TaskPage:
    """已办: tasks the user completed or signed, newest first (``family``, ``after`` and ``size`` as
    for the inbox)."""
    return _page(
        _done_branches(user_id),
        family=family,
        after=_done_after(after),
        order=_DONE_ORDER,
        size=size or TASK_PAGE_SIZE,
    )


def inbox_rows(user_id: int, limit: int) -> Rows:
    """The tasks waiting in the user's 待办, for the navigation's number (``core.counting``): the union
    of the inbox's queries, each reading its index, so it grows with the person's work, not the city's.

    A UNION removes duplicates only after reading every row of its branches, so each branch stops at
    ``limit`` rows itself: fewer than ``limit`` in all means no branch was cut short. Each in the
    inbox's order, which its index holds: without it PostgreSQL took the first 100 rows of a person's
    tasks from an index of every open task (100,000 rows read, none of them theirs)."""
    keys = [
        _stopped(branch.values("pk").order_by(), _INBOX_ORDER, limit) for branch in _inbox_branches(user_id)
    ]
    return keys[0].union(*keys[1:])


def inbox_counts_by_kind(user_id: int, limit: int) -> dict[str, int]:
    """待办 by the kind of its subject (the part before ":": application, request, document, received …),
    for the workbench home: one query over the inbox's branches, each stopped after ``limit`` rows
    (where the database allows it), so a kind's count is exact up to ``limit``."""
    keys = [
        _stopped(branch.values_list("pk", "instance__subject").order_by(), _INBOX_ORDER, limit)
        for branch in _inbox_branches(user_id)
    ]
    counts: dict[str, int] = {}
    for _pk, subject in keys[0].union(*keys[1:]):
        kind = subject.partition(":")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _stopped(branch: QuerySet[Any, Any], order: tuple[Any, ...], count: int) -> QuerySet[Any, Any]:
    """One branch of a UNION read along ``order`` and stopped after ``count`` rows, where the database
    allows it inside a compound query (PostgreSQL; SQLite does not, and reads the branch whole)."""
    if connection.features.supports_slicing_ordering_in_compound:
        return branch.order_by(*order)[:count]
    return branch


def _page(
    branches: list[QuerySet[WorkTask]],
    *,
    family: str | None,
    after: Q | None,
    order: tuple[Any, ...],
    size: int,
) -> TaskPage:
    """One page of the union of ``branches`` in ``order`` after the cursor: the ids in one query
    (on PostgreSQL each branch stops at its own first ``size + 1`` rows of its index), then those
    rows with their instance's subject in another."""
    fields = [expression.expression.name for expression in order]
    keys: list[QuerySet[Any, tuple[Any, ...]]] = []
    for branch in branches:
        branch = _of_family(branch, family)
        if after is not None:
            branch = branch.filter(after)
        keys.append(_stopped(branch.values_list(*fields).order_by(), order, size + 1))
    rows: list[tuple[Any, ...]] = list(keys[0].union(*keys[1:]).order_by(*order)[: size + 1])
    ids = [row[fields.index("id")] for row in rows[:size]]
    by_id = WorkTask.objects.filter(pk__in=ids).select_related("instance").only(*_LIST_FIELDS).in_bulk()
    tasks = [by_id[task_id] for task_id in ids if task_id in by_id]
    last = rows[size - 1] if len(rows) > size else None
    return TaskPage(tasks=tasks, next_cursor=_cursor(*last) if last else "")


def _cursor(*values: Any) -> str:
    """A page's end as text for the "more" link: the sort key of its last row."""
    return "~".join("" if v is None else v.hex if isinstance(v, uuid.UUID) else v.isoformat() for v in values)


def _parse_cursor(text: str) -> tuple[dt.datetime | dt.date | None, dt.datetime, uuid.UUID] | None:
    """The parts of a cursor (the first one a date or a time, or None); None for anything malformed,
    which reads as the first page."""
    parts = text.split("~")
    if len(parts) != 3:
        return None
    try:
        first = (dt.datetime if "T" in parts[0] else dt.date).fromisoformat(parts[0]) if parts[0] else None
        return first, dt.datetime.fromisoformat(parts[1]), uuid.UUID(hex=parts[2])
    except ValueError:
        return None


def _inbox_after(text: str) -> Q | None:
    """The inbox rows after the cursor in ``_INBOX_ORDER``."""
    parsed = _parse_cursor(text) if text else None
    if parsed is None or isinstance(parsed[0], dt.datetime):
        return None
    due, created, task_id = parsed
    later = Q(created_at__gt=created) | Q(created_at=created, id__gt=task_id)
    if due is None:
        return Q(due_date__isnull=True) & later
    return Q(due_date__gt=due) | Q(due_date__isnull=True) | (Q(due_date=due) & later)


def _done_after(text: str) -> Q | None:
    """The done rows after the cursor in ``_DONE_ORDER``."""
    parsed = _parse_cursor(text) if text else None
    if parsed is None or (parsed[0] is not None and not isinstance(parsed[0], dt.datetime)):
        return None
    completed, created, task_id = parsed
    earlier = Q(created_at__lt=created) | Q(created_at=created, id__lt=task_id)
    if completed is None:
        return Q(completed_at__isnull=False) | (Q(completed_at__isnull=True) & earlier)
    return Q(completed_at__lt=completed) | (Q(completed_at=completed) & earlier)


def task_for(user_id: int, task_id: uuid.UUID) -> TaskRef | None:
    """A task the user may act on (open) or has completed or signed; None for anything else (T-H1).

    The same rules as the inbox (``_claimable``), checked on the one row in Python: on every task
    page and action this is a few primary-key and index lookups instead of one wide OR query."""
    task = WorkTask.objects.filter(pk=task_id).select_related("instance").first()
    if task is None:
        return None
    if task.assignee_id == user_id or (task.status == TaskStatus.OPEN and _claimable_task(task, user_id)):
        return task_ref(task)
    signed = Signer.objects.filter(task=task, user_id=user_id).exclude(status=SignerStatus.REMOVED)
    return task_ref(task) if signed.exists() else None


def _claimable_task(task: WorkTask, user_id: int) -> bool:
    """``_claimable`` for one task: a principal's (代理), unclaimed with one of the roles of the user
    or a principal (not a 会签 step), or theirs to sign now."""
    principals = principals_of(user_id)
    if task.assignee_id is not None and task.assignee_id in principals:
        return True
    holders = [user_id, *principals]
    if task.assignee_id is None and task.assignee_rule != "role":
        if TaskCandidate.objects.filter(task=task, user_id__in=holders).exists():
            return True
    elif (
        task.assignee_id is None
        and "countersign" not in task.properties
        and any((task.department_id, task.role) in roles_of(user_id=holder) for holder in holders)
    ):
        return True
    return _signing_now(user_id).filter(task_id=task.pk).exists()


def open_tasks_of(subject: str) -> list[TaskRef]:
    return [
        task_ref(task)
        for task in WorkTask.objects.filter(instance__subject=subject, status=TaskStatus.OPEN).select_related(
            "instance"
        )
    ]


def open_tasks_by_subject(subjects: Collection[str]) -> dict[str, list[TaskRef]]:
    """``open_tasks_of`` for many subjects in one query (a list of cases with their open steps): the
    columns of a ``TaskRef`` only, read as values (no model instances: a board shows hundreds)."""
    found: dict[str, list[TaskRef]] = {subject: [] for subject in subjects}
    rows = (
        WorkTask.objects.filter(instance__subject__in=list(subjects), status=TaskStatus.OPEN)
        .order_by("created_at", "id")
        .values_list("instance__subject", *_TASK_REF_FIELDS)
    )
    for subject, *values in rows:
        found[subject].append(TaskRef(subject=subject, **dict(zip(_TASK_REF_FIELDS, values, strict=True))))
    return found


# The columns of a TaskRef besides its subject (the instance's).
_TASK_REF_FIELDS = (
    "id",
    "instance_id",
    "element_id",
    "name",
    "step",
    "role",
    "department_id",
    "assignee_id",
    "status",
    "created_at",
    "due_date",
    "properties",
    "return_reason",
    "direct_return",
    "delegated_by_id",
    "unassigned",
    "assignee_rule",
)


def departments_with_open_tasks(subject: str) -> set[int]:
    """Departments that hold an open task on the subject: joint approval lets them read that case
    only, and only while their task is open (T-B3)."""
    return set(
        WorkTask.objects.filter(instance__subject=subject, status=TaskStatus.OPEN).values_list(
            "department_id", flat=True
        )
    )


def has_task_on(user_id: int, subject: str) -> bool:
    """True while the user may act on an open task of the subject."""
    return (
        WorkTask.objects.filter(instance__subject=subject, status=TaskStatus.OPEN)
        .filter(Q(assignee_id=user_id) | _claimable(user_id))
        .exists()
    )


def process_record(subject: str) -> list[ProcessStepRecord]:
    """办理过程: every task of the subject's process in order, done or open (not cancelled ones),
    each with the signatures of those who signed it (会签, 加签) in the order they signed."""
    tasks = list(
        WorkTask.objects.filter(instance__subject=subject)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("created_at", "completed_at")
    )
    signatures: dict[uuid.UUID, list[Signer]] = {}
    for signer in Signer.objects.filter(
        task__in=tasks, status__in=(SignerStatus.APPROVED, SignerStatus.REJECTED)
    ).exclude(kind=SignerKind.HOLDER):
        signatures.setdefault(signer.task_id, []).append(signer)
    record = []
    for task in tasks:
        lines = [_task_line(task)] + [_signature_line(task, s) for s in signatures.get(task.pk, [])]
        record += sorted(
            lines, key=lambda line: (line.completed_at is None, line.completed_at or line.arrived_at)
        )
    return record


def approved_at(subject: str, *, department_id: int) -> dt.datetime | None:
    """When ``department_id`` approved the subject (准予): its latest completed step with that decision
    (a 决定 step, or a close step that decides, 即办), or None if it has not."""
    return (
        WorkTask.objects.filter(
            instance__subject=subject,
            department_id=department_id,
            status=TaskStatus.COMPLETED,
            action="approve",
        )
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )


def _task_line(task: WorkTask) -> ProcessStepRecord:
    return ProcessStepRecord(
        name=task.name,
        element_id=task.element_id,
        department_id=task.department_id,
        status=task.status,
        arrived_at=task.created_at,
        completed_at=task.completed_at,
        assignee_id=task.assignee_id,
        action_label=task.action_label,
        opinion=task.opinion,
        due_date=task.due_date,
    )


def _signature_line(task: WorkTask, signer: Signer) -> ProcessStepRecord:
    return ProcessStepRecord(
        name=f"{task.name}（{signer.get_kind_display()}）",
        element_id=task.element_id,
        department_id=task.department_id,
        status=TaskStatus.COMPLETED,
        arrived_at=signer.created_at,
        completed_at=signer.signed_at,
        assignee_id=signer.signed_by_id or signer.user_id,
        action_label=str(signer.get_status_display()) + (_("（代理）") if signer.signed_by_id else ""),
        opinion=signer.opinion,
        due_date=task.due_date,
    )


def diagram_state(subject: str) -> DiagramState | None:
    """The subject's BPMN with done and current elements, computed from the stored engine state."""
    instance = ProcessInstance.objects.filter(subject=subject).select_related("definition").first()
    if instance is None:
        return None
    workflow = engine.load(instance.definition.spec, instance.state)
    done, current = engine.element_states(workflow)
    steps = [
        {
            "id": step["element_id"],
            "name": step["name"],
            "state": "current"
            if step["element_id"] in current
            else "done"
            if step["element_id"] in done
            else "pending",
        }
        for step in instance.definition.steps
    ]
    return DiagramState(bpmn_xml=instance.definition.bpmn_xml, done=done, current=current, steps=steps)


SHIPPED_DIR = Path(__file__).parent / "shipped"


def process_outline(definition_key: str) -> tuple[StepOutline, ...]:
    """The human steps of the process new cases of ``definition_key`` run (its latest version), in the
    order the applicant's progress lists them. A shipped process not stored yet is read from its
    file (nothing is written); an unknown or view-only key has no steps."""
    definition = (
        ProcessDefinition.objects.filter(key=definition_key)
        .order_by("-version")
        .values("pk", "sha256", "is_runnable")
        .first()
    )
    if definition is None:
        shipped = SHIPPED_DIR / f"{definition_key}.bpmn"
        return _shipped_outline(definition_key) if definition_key.isidentifier() and shipped.is_file() else ()
    return _stored_outline(definition["pk"], definition["sha256"]) if definition["is_runnable"] else ()


def _outline(spec: str, steps: list[dict[str, Any]]) -> tuple[StepOutline, ...]:
    properties = engine.step_properties(spec)
    return tuple(
        StepOutline(
            element_id=step["element_id"],
            name=step["name"],
            role=step.get("role", ""),
            step=step["step"],
            lane=step["lane"],
            limit_days=working_days(properties.get(step["element_id"], {}).get("limit_days")),
        )
        for step in steps
    )


# A version never changes, so its outline is kept (guide pages are read often); keyed by the file's
# hash too, since the id alone may name another file in another database (tests).
@functools.lru_cache(maxsize=256)
def _stored_outline(definition_id: int, sha256: str) -> tuple[StepOutline, ...]:
    definition = ProcessDefinition.objects.values("spec", "steps").get(pk=definition_id)
    return _outline(definition["spec"], definition["steps"])


@functools.lru_cache(maxsize=16)
def _shipped_outline(key: str) -> tuple[StepOutline, ...]:
    checked = validate_definition((SHIPPED_DIR / f"{key}.bpmn").read_bytes())
    return _outline(checked.spec, [step.__dict__ for step in checked.steps])


def instance_of(subject: str) -> ProcessInstance | None:
    return ProcessInstance.objects.filter(subject=subject).select_related("definition").first()


def definitions() -> QuerySet[ProcessDefinition]:
    return ProcessDefinition.objects.order_by("key", "-version")


def definition_by_id(definition_id: int) -> ProcessDefinition | None:
    return ProcessDefinition.objects.filter(pk=definition_id).first()


def subject_for_task(task_id: uuid.UUID) -> str | None:
    """The subject a task belongs to (no access check: callers check through the services)."""
    return WorkTask.objects.filter(pk=task_id).values_list("instance__subject", flat=True).first()


def operations_of(subject: str) -> list[TaskOperation]:
    """转办/委派 records of a subject's tasks, in order (shown in the process record)."""
    return list(TaskOperation.objects.filter(task__instance__subject=subject).select_related("task"))


def has_had_task_on(user_id: int, subject: str) -> bool:
    """True when the user may act on an open task of the subject, handled one of its tasks (or it
    was theirs) or was asked to sign one (会签, 加签)."""
    return (
        has_task_on(user_id, subject)
        or WorkTask.objects.filter(instance__subject=subject, assignee_id=user_id).exists()
        or Signer.objects.filter(task__instance__subject=subject, user_id=user_id).exists()
    )


def task_properties_of(subject: str) -> list[dict[str, str]]:
    """The properties of every step the subject's process reached (field permissions …)."""
    return list(WorkTask.objects.filter(instance__subject=subject).values_list("properties", flat=True))


def decision_names(subject: str) -> set[str]:
    """The decision variables (``decision`` property) of the steps the subject's process reached."""
    return {
        props["decision"]
        for props in WorkTask.objects.filter(instance__subject=subject).values_list("properties", flat=True)
        if props.get("decision")
    }


def step_handler_ids(task_id: uuid.UUID) -> set[int]:
    """Who is to act on an open task now: its assignee, else those holding its role in its
    department; and whoever is to sign it (会签, 加签). Empty for a task that is not open."""
    task = WorkTask.objects.filter(pk=task_id, status=TaskStatus.OPEN).first()
    if task is None:
        return set()
    signers = set(
        Signer.objects.filter(task=task, status=SignerStatus.PENDING)
        .exclude(kind=SignerKind.HOLDER)
        .values_list("user_id", flat=True)
    )
    if task.assignee_id is not None:
        return {task.assignee_id} | signers
    if signers:
        return signers
    return set(staff_ids_with_role(department_id=task.department_id, role=task.role))


def process_properties(bpmn_xml: str) -> dict[str, str]:
    """The process-level ``camunda:properties`` of a definition's executable process (``starters``,
    ``form``, ``dedupe``: docs/process-models.md), not those of its elements."""
    return _process_properties(bpmn_xml)


@functools.lru_cache(maxsize=64)
def _process_properties(bpmn_xml: str) -> dict[str, str]:
    # Kept per definition text: the 发起 list reads every published process on each view.
    return validation.process_properties(bpmn_xml)


def _published(definition: ProcessDefinition) -> PublishedProcess:
    return PublishedProcess(
        definition_id=definition.pk,
        key=definition.key,
        version=definition.version,
        name=definition.name,
        family=definition.family,
        properties=process_properties(definition.bpmn_xml),
    )


def published_processes(family: str) -> list[PublishedProcess]:
    """The latest version of each key of ``family`` whose latest version is runnable, by name."""
    latest: dict[str, ProcessDefinition] = {}
    for definition in ProcessDefinition.objects.filter(family=family).order_by("key", "-version"):
        latest.setdefault(definition.key, definition)
    return sorted((_published(d) for d in latest.values() if d.is_runnable), key=lambda p: (p.name, p.key))


def published_process(key: str) -> PublishedProcess | None:
    """The latest version of ``key`` when it is runnable; None otherwise."""
    definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    return _published(definition) if definition is not None and definition.is_runnable else None


def has_copy_of(user_id: int, subject: str) -> bool:
    """True when the case was copied to the user (抄送/传阅: read-only access)."""
    return CaseCopy.objects.filter(instance__subject=subject, to_user_id=user_id).exists()


def copies_of(subject: str) -> list[CaseCopy]:
    """Who the case was copied to, and whether they have read it."""
    return list(CaseCopy.objects.filter(instance__subject=subject).order_by("sent_at", "id"))


def unread_copy_rows(user_id: int, limit: int | None = None) -> Rows:
    """抄送我的 not yet read, at most ``limit`` of them (the navigation counts them)."""
    return first_rows(CaseCopy.objects.filter(to_user_id=user_id, read_at__isnull=True), limit)


def copies_to(user_id: int) -> list[CaseCopy]:
    """Cases copied to the user, unread first."""
    return list(
        CaseCopy.objects.filter(to_user_id=user_id)
        .select_related("instance")
        .order_by("-read_at", "-sent_at")[:200]
    )


def out_of_office_of(user_id: int) -> OutOfOffice | None:
    return OutOfOffice.objects.filter(user_id=user_id).first()


@dataclass(frozen=True)
class MonitoredInstance:
    id: int
    subject: str
    definition: str
    department_id: int
    status: str
    status_label: str
    status_reason: str
    started_at: dt.datetime
    age_days: int
    open_tasks: list[TaskRef]


def _involves(department_ids: set[int]) -> Q:
    """An instance led by one of the departments, or with a step (not a cancelled one) handled in one."""
    lane_steps = WorkTask.objects.filter(
        instance_id=OuterRef("pk"), department_id__in=department_ids
    ).exclude(status=TaskStatus.CANCELLED)
    return Q(department_id__in=department_ids) | Q(Exists(lane_steps))


def monitored_instances(
    admin_id: int,
    *,
    definition_key: str = "",
    status: str = "",
    department_id: int | None = None,
    min_age_days: int | None = None,
    handler_id: int | None = None,
    limit: int = 200,
) -> list[MonitoredInstance]:
    """流程监控: instances of every department the administrator administers — led by one of them, or
    with a step handled in one (a joint-approval lane) — oldest first, filtered by definition, state,
    one of those departments, a minimum age in days and a person holding one of their open tasks (a
    leaver's, from the people pages), each with its age and open tasks."""
    administered = department_ids_for(user_id=admin_id, role="department_admin")
    instances = ProcessInstance.objects.filter(_involves(administered)).select_related("definition")
    if definition_key:
        instances = instances.filter(definition__key=definition_key)
    if status:
        instances = instances.filter(status=status)
    if department_id is not None:
        instances = instances.filter(_involves({department_id} & administered))
    if handler_id is not None:
        held = WorkTask.objects.filter(status=TaskStatus.OPEN, assignee_id=handler_id)
        instances = instances.filter(pk__in=held.values("instance_id"))
    today = timezone.localdate()
    if min_age_days:
        instances = instances.filter(started_at__date__lte=today - dt.timedelta(days=min_age_days))
    rows = []
    page = list(
        instances.defer("state", "definition__bpmn_xml", "definition__spec").order_by("started_at")[:limit]
    )
    open_tasks = open_tasks_by_subject([instance.subject for instance in page])
    for instance in page:
        rows.append(
            MonitoredInstance(
                id=instance.pk,
                subject=instance.subject,
                definition=str(instance.definition),
                department_id=instance.department_id,
                status=instance.status,
                status_label=str(instance.get_status_display()),
                status_reason=instance.status_reason,
                started_at=instance.started_at,
                age_days=(today - timezone.localdate(instance.started_at)).days,
                open_tasks=open_tasks[instance.subject],
            )
        )
    return rows


def signers_of(task_id: uuid.UUID) -> list[SignerRef]:
    """Who signs the task (会签, 加签) in signing order, and who has and hasn't signed."""
    rows = list(
        Signer.objects.filter(task_id=task_id)
        .exclude(status=SignerStatus.REMOVED)
        .select_related("waits_for")
    )
    by_id = {row.pk: row for row in rows}

    def depth(row: Signer) -> int:
        steps = 0
        while row.waits_for_id in by_id and steps < len(rows):
            row, steps = by_id[row.waits_for_id], steps + 1  # type: ignore[index]
        return steps

    return [
        SignerRef(
            id=row.pk,
            user_id=row.user_id,
            kind=row.kind,
            kind_label=str(row.get_kind_display()),
            status=row.status,
            status_label=str(row.get_status_display()),
            opinion=row.opinion,
            signed_at=row.signed_at,
            added_by_id=row.added_by_id,
            signed_by_id=row.signed_by_id,
            can_sign_now=row.is_turn,
        )
        for row in sorted(rows, key=lambda r: (depth(r), r.pk))
    ]


def overdue_task_subjects(
    department_ids: set[int] | None, *, today: dt.date, limit: int | None = None, kind: str = ""
) -> set[str]:
    """Subjects of the instances of these departments (all when None) with an open step past its due
    date: a red card on the supervision board (one query; at most ``limit`` of them; only subjects
    of ``kind``, e.g. ``application``, when given)."""
    tasks = WorkTask.objects.filter(status=TaskStatus.OPEN, due_date__lt=today)
    if kind:
        tasks = tasks.filter(instance__subject__startswith=f"{kind}:")
    if department_ids is not None:
        tasks = tasks.filter(instance__department_id__in=department_ids)
    subjects = tasks.order_by().values_list("instance__subject", flat=True)
    if limit is not None:
        # Overdue steps in due-date order (task_open_due_idx), a few per instance at most (parallel
        # steps): read some rows more than ``limit`` and keep the distinct subjects. A DISTINCT in SQL
        # walked every instance of the department (77 ms at 100,000 open tasks). Only when those rows
        # run out before ``limit`` subjects does the exact query below decide.
        rows = list(subjects.order_by("due_date")[: limit * OVERDUE_ROWS_PER_SUBJECT])
        distinct = list(dict.fromkeys(rows))  # in due-date order
        if len(distinct) >= limit or len(rows) < limit * OVERDUE_ROWS_PER_SUBJECT:
            return set(distinct[:limit])
        return set(subjects.distinct()[:limit])
    return set(subjects.distinct())


# Rows read per subject wanted when counting overdue subjects up to a limit.
OVERDUE_ROWS_PER_SUBJECT = 4


def process_outlines(keys: set[str]) -> dict[str, ProcessOutline]:
    """What each key would run if started now (as ``services.current_definition`` picks it: the
    latest version; a shipped key not stored yet is read from its file). A key with neither, or whose
    latest version is view-only, is not runnable. One query."""
    latest: dict[str, ProcessOutline] = {}
    rows = (
        ProcessDefinition.objects.filter(key__in=keys)
        .order_by("key", "-version")
        .values_list("key", "name", "is_runnable", "steps")
    )
    for key, name, runnable, steps in rows:
        if key not in latest:
            latest[key] = ProcessOutline(
                key=key,
                name=name,
                runnable=runnable,
                steps=tuple(
                    StepOutline(
                        element_id=s["element_id"], name=s["name"], role=s["role"], lane=s.get("lane")
                    )
                    for s in steps
                )
                if runnable
                else (),
            )
    for key in keys - set(latest):
        latest[key] = _shipped_process_outline(key)
    return latest


def _shipped_process_outline(key: str) -> ProcessOutline:
    path = SHIPPED_DIR / f"{key}.bpmn"
    if not key.replace("_", "").isalnum() or not path.is_file():
        return ProcessOutline(key=key, name=key, runnable=False)
    try:
        checked = validate_definition(path.read_bytes())
    except DefinitionError:
        return ProcessOutline(key=key, name=key, runnable=False)
    return ProcessOutline(
        key=key,
        name=checked.name,
        runnable=True,
        steps=tuple(StepOutline(s.element_id, s.name, s.role, s.lane) for s in checked.steps),
    )


def open_work_of(user_id: int) -> list[OpenWork]:
    """The open tasks in the hands of ``user_id`` (claimed, transferred or reassigned to them), for the
    people pages when they leave; each links to its row in 流程监控, where 重置处理人 hands it on."""
    monitor = reverse("workflow:monitor")
    tasks = (
        WorkTask.objects.filter(status=TaskStatus.OPEN, assignee_id=user_id)
        .select_related("instance")
        .order_by("created_at")
    )
    return [
        OpenWork(
            title=f"{task.instance.subject}：{task.name}",
            department_id=task.department_id,
            since=task.created_at,
            url=f"{monitor}?{urlencode({'handler': user_id})}#to-{task.pk}",
            action=_("重置处理人"),
        )
        for task in tasks
    ]


def step_kind_choices() -> list[tuple[str, str]]:
    """Every step kind a human step may name: code and label (the step-kind table)."""
    return [(code, name) for code, (name, _meaning) in step_kinds().items()]


@dataclass(frozen=True)
class StepKindRow:
    id: int
    code: str
    name: str
    meaning: str
    meaning_label: str
    is_builtin: bool


def step_kinds_table() -> list[StepKindRow]:
    """环节类型: every step kind with its application meaning, built-in first."""
    return [
        StepKindRow(
            id=kind.pk,
            code=kind.code,
            name=kind.name,
            meaning=kind.meaning,
            meaning_label=str(kind.get_meaning_display()) if kind.meaning else "",
            is_builtin=kind.is_builtin,
        )
        for kind in StepKind.objects.all()
    ]


def candidates_of(task_id: uuid.UUID) -> list[int]:
    """The user ids an assignee rule resolved for the task (none for the ``role`` rule)."""
    return list(
        TaskCandidate.objects.filter(task_id=task_id).order_by("user_id").values_list("user_id", flat=True)
    )


def definitions_naming_role(code: str) -> list[str]:
    """The runnable definitions (their latest versions) with a step naming role ``code``: a role in
    use is not deactivated. Names as 流程名称（key）."""
    seen: set[str] = set()
    found = []
    rows = ProcessDefinition.objects.filter(is_runnable=True).order_by("key", "-version")
    for key, name, steps in rows.values_list("key", "name", "steps"):
        if key in seen:
            continue
        seen.add(key)
        if any(step.get("role") == code for step in steps):
            found.append(f"{name}（{key}）")
    return found


def next_choice_steps(task: TaskRef) -> list[StepOutline]:
    """审批人自选: the human steps that may follow ``task`` (through gateways, every branch) whose
    assignee rule is ``previous_choice``, for the picker on the task page."""
    spec = (
        ProcessDefinition.objects.filter(instances__pk=task.instance_id)
        .values_list("spec", flat=True)
        .first()
    )
    if not spec:
        return []
    return [
        StepOutline(element_id=element_id, name=name, role=props.get("role", ""), step=props.get("step", ""))
        for element_id, name, props in engine.next_human_steps(spec, task.element_id)
        if props.get("assignee") == "previous_choice"
    ]


def initiator_choice_steps(definition_key: str) -> list[StepOutline]:
    """发起人自选: the human steps of the process ``definition_key`` starts today (its latest
    version) whose assignee rule is ``initiator_choice``, for the picker on the start page."""
    definition = (
        ProcessDefinition.objects.filter(key=definition_key, is_runnable=True)
        .order_by("-version")
        .values("spec", "steps")
        .first()
    )
    if definition is None:
        return []
    properties = engine.step_properties(definition["spec"])
    return [
        StepOutline(
            element_id=s["element_id"], name=s["name"], role=s.get("role", ""), step=s.get("step", "")
        )
        for s in definition["steps"]
        if properties.get(s["element_id"], {}).get("assignee") == "initiator_choice"
    ]


def choosable_staff() -> list[tuple[int, str]]:
    """Whom a picker (发起人自选, 审批人自选) offers: every active staff member holding a role in an
    active department, as (user id, name) by name."""
    return sorted(names_of(staff_ids_in_active_departments()).items(), key=lambda pair: (pair[1], pair[0]))


# Process administrators (流程管理员): they design and publish processes and edit request forms.
DESIGNER_ROLE = "department_admin"


def may_design_processes(user_id: int) -> bool:
    """Whether the user is a process administrator (department_admin) of any active department, or
    administers a region (区县系统管理员, the city administrator): who designs, uploads and publishes
    processes, edits request forms and step kinds."""
    return bool(role_or_administered_department_ids(user_id=user_id, role=DESIGNER_ROLE))


def may_change_shared_process_settings(user_id: int) -> bool:
    """Whether the user changes what every region's processes share (step kinds, 内部事项表单): a process
    administrator (department_admin), as before issue 20; a region's 系统管理员 does not."""
    return bool(department_ids_for(user_id=user_id, role=DESIGNER_ROLE))


def designer_regions(user_id: int) -> set[int] | None:
    """The regions whose processes the user keeps (None: every one; ``regions_administered_or_held``)."""
    return regions_administered_or_held(user_id, DESIGNER_ROLE)


def designable_definitions(user_id: int) -> QuerySet[ProcessDefinition]:
    """流程定义 as a process administrator sees them (issue 20): those of their regions and the city's
    own (no region); another county's are not there (its pages answer 404)."""
    regions = designer_regions(user_id)
    found = definitions()
    if regions is None:
        return found
    return found.filter(Q(region__isnull=True) | Q(region_id__in=regions))


def may_change_definition(user_id: int, definition: ProcessDefinition) -> bool:
    """Whether the user may publish a next version of ``definition``'s key: the key's latest version is
    in one of their regions (the city's own only for the city's process administrators)."""
    regions = designer_regions(user_id)
    if regions is None:
        return True
    latest = ProcessDefinition.objects.filter(key=definition.key).order_by("-version").first()
    return latest is not None and latest.region_id in regions


def changeable_keys(user_id: int) -> set[str] | None:
    """The keys the user may publish a next version of (None: every one), for the 设计 links."""
    regions = designer_regions(user_id)
    if regions is None:
        return None
    return set(definitions().filter(region_id__in=regions).values_list("key", flat=True))


def new_definition_region(user_id: int) -> int | None:
    """Where a process the user uploads or draws belongs: None (the city's) for the city's process
    administrators, else the highest of their regions."""
    regions = designer_regions(user_id)
    return None if regions is None else home_region(regions)


def subjects_of_user(user_id: int, *, prefix: str) -> QuerySet[ProcessInstance, Any]:
    """The subjects starting with ``prefix`` whose process the user is on: an open task they may act
    on, a task they handled, a signature asked of them (会签, 加签) or a copy to them (抄送). A
    subquery (``values("subject")``) for a family's lists, e.g. 发文 ``document:``; never read whole."""
    tasks = WorkTask.objects.filter(instance__subject__startswith=prefix)
    on_route = (
        tasks.filter(Q(assignee_id=user_id) | (Q(status=TaskStatus.OPEN) & _claimable(user_id)))
        .order_by()
        .values("instance_id")
        .union(
            Signer.objects.filter(user_id=user_id, task__instance__subject__startswith=prefix)
            .order_by()
            .values("task__instance_id"),
            CaseCopy.objects.filter(to_user_id=user_id, instance__subject__startswith=prefix)
            .order_by()
            .values("instance_id"),
        )
    )
    return ProcessInstance.objects.filter(pk__in=list(on_route.values_list("instance_id", flat=True))).values(
        "subject"
    )


def completed_task_id(subject: str, *, element_id: str, user_id: int) -> uuid.UUID | None:
    """The user's latest completed task of ``element_id`` on the subject (what 撤回 takes back)."""
    return (
        WorkTask.objects.filter(
            instance__subject=subject, element_id=element_id, assignee_id=user_id, status=TaskStatus.COMPLETED
        )
        .order_by("-completed_at")
        .values_list("pk", flat=True)
        .first()
    )


# 催办: an open step may be nudged once it is overdue or has waited this many working days (内部事项,
# 发文 and 收文 alike).
NUDGE_AFTER_WORKING_DAYS = 1


def may_nudge(task: TaskRef, *, today: dt.date | None = None) -> bool:
    """催办 is for a step that is overdue, or has waited ``NUDGE_AFTER_WORKING_DAYS`` working days."""
    today = today or timezone.localdate()
    if task.due_date is not None and task.due_date < today:
        return True
    return add_working_days(task.created_at, NUDGE_AFTER_WORKING_DAYS) <= today
