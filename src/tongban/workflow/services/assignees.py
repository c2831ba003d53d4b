"""Who handles a step (assignee rules, docs/process-models.md "Who handles a step"), applied when a
task opens (``instances._sync_tasks``).

- ``role`` (default): whoever holds the step's ``role`` in its department (or lane) claims it; no
  candidate rows, as before issue 14.
- ``users``: the active staff accounts named in ``assignee_users``;
- ``department_head``: the holders of department_head in the instance's department (an internal
  request's: the initiator's);
- ``leader``: the department_head holders ``leader_levels`` levels up ``Department.parent`` from it;
- ``initiator_choice`` / ``previous_choice``: the people chosen at start (``start_instance``) or by
  the handler of the step before (``complete_task``), kept on the instance by element id;
- ``form_field``: the staff account whose user name is in the process variable ``assignee_field``.

Those resolved become ``TaskCandidate`` rows: each may claim and handle the task as a role holder
would. When a rule finds nobody the task goes to the department's process administrators
(department_admin) as candidates and is flagged ``unassigned`` — never silently to no one — until
one of them reassigns it (``monitor.reassign_task``).

自动去重 (process property ``dedupe`` = ``true``): a newly opened step whose single candidate already
approved an earlier step of the instance is completed at once with that decision and a recorded
system opinion; repeated until no such step is open (``dedupe_opened``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_user_ids, username_owner
from tongban.organizations.selectors import (
    DEPARTMENT_ADMIN,
    DEPARTMENT_HEAD,
    department_ancestor,
    staff_ids_with_role,
)
from tongban.workflow import engine
from tongban.workflow.models import ProcessInstance, TaskCandidate, TaskStatus, WorkTask
from tongban.workflow.validation import process_properties

ROLE = "role"
FALLBACK_ROLE = DEPARTMENT_ADMIN
CHOICE_RULES = ("initiator_choice", "previous_choice")
# Completed actions that count as having approved a step (准予, 审查通过, 同意): 自动去重 skips a later
# step of the same person only after one of these.
APPROVING_ACTIONS = ("approve", "pass", "agree")
MAX_DEDUPE_ROUNDS = 50


@dataclass(frozen=True)
class Resolution:
    rule: str
    user_ids: tuple[int, ...]  # the candidates; empty for the role rule
    unassigned: bool = False


def _leader_levels(properties: dict[str, str]) -> int:
    levels = properties.get("leader_levels", "1").strip()
    return int(levels) if levels.isascii() and levels.isdigit() and int(levels) >= 1 else 1


def _found(rule: str, properties: dict[str, str], *, instance: ProcessInstance, variables: Any) -> list[int]:
    """The people ``rule`` names for this step (active staff only), in id order; may be empty."""
    if rule == "users":
        names = [name.strip() for name in properties.get("assignee_users", "").split(",") if name.strip()]
        ids = {owner.id for name in names if (owner := username_owner(name)) is not None}
    elif rule == "department_head":
        ids = set(staff_ids_with_role(department_id=instance.department_id, role=DEPARTMENT_HEAD))
    elif rule == "leader":
        above = department_ancestor(instance.department_id, _leader_levels(properties))
        ids = set(staff_ids_with_role(department_id=above, role=DEPARTMENT_HEAD)) if above else set()
    elif rule in CHOICE_RULES:
        element_id = properties["_element_id"]
        ids = {int(i) for i in instance.chosen_assignees.get(element_id, []) if str(i).isdigit()}
    elif rule == "form_field":
        value = variables().get(properties.get("assignee_field", ""))
        owner = username_owner(value) if isinstance(value, str) and value.strip() else None
        ids = {owner.id} if owner else set()
    else:
        ids = set()
    return sorted(staff_user_ids(ids)) if ids else []


def resolve(
    instance: ProcessInstance,
    *,
    element_id: str,
    properties: dict[str, str],
    department_id: int,
    variables: Any,
) -> Resolution:
    """Who may handle a step opening in ``department_id``; ``variables`` is called for the process
    data only when the rule needs it."""
    rule = properties.get("assignee", ROLE) or ROLE
    if rule == ROLE:
        return Resolution(rule=ROLE, user_ids=())
    found = _found(rule, {**properties, "_element_id": element_id}, instance=instance, variables=variables)
    if found:
        return Resolution(rule=rule, user_ids=tuple(found))
    admins = sorted(staff_ids_with_role(department_id=department_id, role=FALLBACK_ROLE))
    return Resolution(rule=rule, user_ids=tuple(admins), unassigned=True)


def assign(task: WorkTask, resolution: Resolution) -> None:
    """Store a resolution on a task that has just opened."""
    if resolution.rule == ROLE:
        return
    task.assignee_rule, task.unassigned = resolution.rule, resolution.unassigned
    task.save(update_fields=["assignee_rule", "unassigned"])
    TaskCandidate.objects.bulk_create(
        [TaskCandidate(task=task, user_id=user_id) for user_id in resolution.user_ids]
    )


def remember_choices(instance: ProcessInstance, chosen: dict[str, list[int]] | None) -> None:
    """Keep the people chosen for steps (发起人自选, 审批人自选) on the locked instance, by element id;
    a later choice for the same step replaces the earlier one."""
    if not chosen:
        return
    merged = dict(instance.chosen_assignees)
    for element_id, user_ids in chosen.items():
        merged[str(element_id)] = sorted({int(user_id) for user_id in user_ids})
    instance.chosen_assignees = merged
    instance.save(update_fields=["chosen_assignees"])


@functools.lru_cache(maxsize=256)
def _dedupes(definition_id: int, sha256: str, bpmn_xml: str) -> bool:
    return process_properties(bpmn_xml).get("dedupe", "").strip().lower() == "true"


def dedupes(instance: ProcessInstance) -> bool:
    """Whether the instance's process asks for 自动去重 (process property ``dedupe`` = ``true``)."""
    definition = instance.definition
    return _dedupes(definition.pk, definition.sha256, definition.bpmn_xml)


def _single_handler(task: WorkTask) -> int | None:
    """The one person who would handle the task, if exactly one: its single candidate, or the single
    holder of its role (role rule); never for a 会签 step or a task flagged unassigned."""
    if task.unassigned or task.properties.get("countersign"):
        return None
    if task.assignee_rule == ROLE:
        holders = staff_ids_with_role(department_id=task.department_id, role=task.role)
    else:
        holders = list(task.candidates.values_list("user_id", flat=True))
    return holders[0] if len(holders) == 1 else None


def duplicate_approval(task: WorkTask) -> WorkTask | None:
    """The earlier step of the task's instance (another element) its single handler approved, if any."""
    handler = _single_handler(task)
    if handler is None:
        return None
    return (
        WorkTask.objects.filter(
            instance_id=task.instance_id,
            status=TaskStatus.COMPLETED,
            assignee_id=handler,
            action__in=APPROVING_ACTIONS,
        )
        .exclude(element_id=task.element_id)
        .order_by("completed_at")
        .first()
    )


def complete_as_duplicate(task: WorkTask, earlier: WorkTask, workflow: Any) -> None:
    """Complete ``task`` in the engine and in its row as its handler decided at ``earlier``."""
    data = {task.properties["decision"]: True} if task.properties.get("decision") else {}
    engine.complete(workflow, task.engine_task_id, data)
    now = timezone.now()
    task.status, task.assignee_id = TaskStatus.COMPLETED, earlier.assignee_id
    task.claimed_at = task.completed_at = now
    task.action, task.action_label = earlier.action, earlier.action_label
    task.opinion = _("自动去重：已在“%(step)s”环节同意") % {"step": earlier.name}
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
