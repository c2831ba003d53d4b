"""Workflow writes: definitions (shipped and uploaded), starting instances, claiming and completing
tasks. Each call loads the instance's engine state, acts, and saves it in the same transaction.

Concurrency (T-H2): the task row is locked (``select_for_update``) and must still be open; the
instance row is locked too, and its ``revision`` is bumped with a conditional update, so two
people completing the same task, or two tasks of one instance at once, cannot both win — the
second gets TaskConflict (409) and its transaction changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_user_ids
from tongban.core.calendar import CHINA_TZ, add_working_days
from tongban.organizations.selectors import department_ids_for, staff_ids_with_role
from tongban.workflow import engine
from tongban.workflow.countersign_rules import Mode
from tongban.workflow.errors import DefinitionError, TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.events import instance_terminated, signing_turn
from tongban.workflow.models import (
    CaseCopy,
    InstanceStatus,
    OutOfOffice,
    ProcessDefinition,
    ProcessInstance,
    Signer,
    SignerKind,
    SignerStatus,
    TaskOperation,
    TaskStatus,
    WorkTask,
)
from tongban.workflow.selectors import SHIPPED_DIR, principals_of, task_ref
from tongban.workflow.timers import working_days
from tongban.workflow.types import Completion, TaskRef
from tongban.workflow.validation import (
    ValidatedDefinition,
    ViewOnlyDefinition,
    validate_definition,
    validate_for_viewing,
)

SHIPPED_KEYS = ("standard", "instant", "joint_startup", "sequential_decision")


def _kept_fields(checked: ValidatedDefinition | ViewOnlyDefinition) -> dict[str, Any]:
    if isinstance(checked, ValidatedDefinition):
        return {
            "spec": checked.spec,
            "steps": [step.__dict__ for step in checked.steps],
            "lanes": checked.lanes,
            "is_runnable": True,
            "refusals": [],
        }
    return {
        "spec": "",
        "steps": [step.__dict__ for step in checked.outline],
        "lanes": [],
        "is_runnable": False,
        "refusals": checked.refusals,
    }


def _store_definition(
    *,
    key: str,
    data: bytes,
    uploaded_by_id: int | None,
    is_shipped: bool,
    view_only_if_not_runnable: bool = False,
) -> ProcessDefinition:
    checked = validate_for_viewing(data) if view_only_if_not_runnable else validate_definition(data)
    if isinstance(checked, ViewOnlyDefinition) and (
        key in SHIPPED_KEYS or ProcessDefinition.objects.filter(key=key, is_runnable=True).exists()
    ):
        # A view-only version on top of a runnable one would stop every item bound to the key.
        refused = _("流程“%(key)s”已有可运行的版本，不能再上传仅供查看的版本；请换用新的流程标识") % {
            "key": key
        }
        raise DefinitionError(
            "；".join([refused, *checked.refusals]),
            code="view_only_over_runnable",
            details=[refused, *checked.refusals],
        )
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
                is_shipped=is_shipped,
                uploaded_by_id=uploaded_by_id,
                **_kept_fields(checked),
            )
    except IntegrityError as exc:
        raise TaskConflict(_("另一人同时上传了该流程的新版本，请刷新后重试"), code="version_race") from exc


def upload_definition(
    *, key: str, data: bytes, uploaded_by_id: int, view_only_if_not_runnable: bool = False
) -> int:
    """Keep an uploaded BPMN file as the next version of ``key``; return its id.

    The file is validated first (``validation``): anything refused raises DefinitionError naming
    every reason (``details``), and nothing is stored. With ``view_only_if_not_runnable`` (the
    uploader's explicit choice, issue 8) a model the platform will not run but can draw is kept as
    a view-only version instead, with those reasons; not under a key that has a runnable version
    (or a shipped key), since that would stop the items bound to it. Running instances keep their
    version. Uploading the same file as the latest version again stores nothing and returns that
    version (a view-only one only when view-only was asked for).
    """
    if not key or not key.replace("_", "").replace("-", "").isalnum():
        raise DefinitionError(_("流程标识只能包含字母、数字、下划线和连字符"), code="bad_key")
    latest = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if (
        latest
        and latest.sha256 == hashlib.sha256(data).hexdigest()
        and (latest.is_runnable or view_only_if_not_runnable)
    ):
        return latest.pk
    stored = _store_definition(
        key=key,
        data=data,
        uploaded_by_id=uploaded_by_id,
        is_shipped=False,
        view_only_if_not_runnable=view_only_if_not_runnable,
    )
    return stored.pk


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
    """The latest version of ``key``, installing the shipped definitions on first use. A key whose
    latest version is view-only (issue 8) cannot be started or bound: WorkflowError."""
    definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None and key in SHIPPED_KEYS:
        install_shipped_definitions()
        definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None:
        raise WorkflowError(_("流程“%(key)s”不存在") % {"key": key}, code="no_definition")
    if not definition.is_runnable:
        raise WorkflowError(
            _("流程“%(name)s”（%(key)s v%(version)d）仅供查看（不可运行），不能用于办件；请上传可运行的版本")
            % {"name": definition.name, "key": key, "version": definition.version},
            code="view_only",
        )
    return definition


def _department_for(instance: ProcessInstance, lane: str | None) -> int:
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


def _sync_tasks(instance: ProcessInstance, workflow: Any) -> list[TaskRef]:
    """Mirror the engine's ready human tasks as WorkTask rows; close rows the engine cancelled."""
    ready = {task.id: task for task in engine.ready_human_tasks(workflow)}
    existing = set(
        instance.tasks.filter(engine_task_id__in=list(ready), status=TaskStatus.OPEN).values_list(
            "engine_task_id", flat=True
        )
    )
    now = timezone.now()
    gone = instance.tasks.filter(status=TaskStatus.OPEN).exclude(engine_task_id__in=list(ready))
    void_signers(gone)
    gone.update(status=TaskStatus.CANCELLED, completed_at=now)
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
            due_date=_due_date(
                instance,
                element_id=task.element_id,
                name=task.name,
                properties=task.properties,
                arrived_at=now,
            ),
        )
        if task.properties.get("countersign"):
            _open_countersign(row)
        opened.append(task_ref(row))
    return opened


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
    updated = ProcessInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
        state=engine.dump(workflow),
        revision=instance.revision + 1,
        status=InstanceStatus.COMPLETED if finished else InstanceStatus.RUNNING,
        ended_at=timezone.now() if finished else None,
    )
    if updated != 1:
        raise TaskConflict(_("该办件刚被他人处理，请刷新后查看最新状态"), code="stale_instance")
    instance.revision += 1


def _save_and_sync(
    instance: ProcessInstance, workflow: Any, *, marks: dict[str, Any] | None = None
) -> Completion:
    """Save the engine state, mirror its ready tasks, and say what changed; ``marks`` are set on the
    tasks this opened (the reason of a send-back, the person who withdrew)."""
    _save(instance, workflow)
    opened = _sync_tasks(instance, workflow)
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
) -> Completion:
    """Start the latest version of ``definition_key`` for ``subject`` (one instance per subject).

    ``lane_departments`` maps a lane name to the department that handles its tasks (joint
    approval); tasks outside a mapped lane go to ``department_id``. ``step_limits`` maps an element
    id or step name to its limit in working days, from which each task's due date is computed;
    none is due after ``due_by`` (the case's promised finish date, moved with ``set_due_by``).
    """
    definition = current_definition(definition_key)
    if ProcessInstance.objects.filter(subject=subject).exists():
        raise TaskConflict(_("该办件的流程已启动"), code="already_started")
    workflow = engine.start(definition.spec, data)
    instance = ProcessInstance.objects.create(
        definition=definition,
        subject=subject,
        department_id=department_id,
        lane_departments={k: int(v) for k, v in (lane_departments or {}).items()},
        step_limits={k: int(v) for k, v in (step_limits or {}).items()},
        due_by=due_by,
        state="{}",
    )
    return _save_and_sync(instance, workflow)


def refuse_if_suspended(task: WorkTask) -> None:
    if task.instance.status == InstanceStatus.SUSPENDED:
        raise TaskConflict(_("流程已挂起，恢复后才能办理"), code="suspended")


def refuse_if_delegated(task: WorkTask) -> None:
    if task.delegated_by_id:
        raise TaskConflict(_("委派中的待办：请填写意见后交回委派人，由其办理"), code="delegated")


def refuse_if_countersign(task: WorkTask) -> None:
    if task.properties.get("countersign"):
        raise TaskConflict(_("会签环节由各签署人分别签署意见"), code="countersign")


def _refuse_if_signing(task: WorkTask) -> None:
    if task.signers.filter(status=SignerStatus.PENDING).exists():
        raise TaskConflict(_("加签人尚未签署完毕，暂不能转交或退回"), code="signing")


def may_act(task: WorkTask, user_id: int) -> bool:
    """The assignee, or — while nobody has claimed it — staff holding the task's role in its
    department (T-H1); or the agent of either while they are away (代理)."""
    if task.assignee_id is not None and task.assignee_id == user_id:
        return True
    if task.assignee_id is None and _holds_role(task, user_id):
        return True
    return _principal_for(task, user_id) is not None


def _holds_role(task: WorkTask, user_id: int) -> bool:
    return task.department_id in department_ids_for(user_id=user_id, role=task.role)


def _principal_for(task: WorkTask, user_id: int) -> int | None:
    """The colleague the user stands in for on this task (代理), or None when it is the user's own."""
    if task.assignee_id == user_id or (task.assignee_id is None and _holds_role(task, user_id)):
        return None
    for principal in principals_of(user_id):
        if task.assignee_id == principal or (task.assignee_id is None and _holds_role(task, principal)):
            return principal
    return None


def _locked_task(task_id: uuid.UUID, user_id: int) -> WorkTask:
    """The task row, locked. Someone without the task's role in its department gets "not found"
    (T-H1); a colleague who was too late gets a conflict (T-H2)."""
    task = WorkTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not (
        task.assignee_id == user_id or _holds_role(task, user_id) or _principal_for(task, user_id)
    ):
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
    refuse_if_countersign(task)
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
    refuse_if_delegated(task)
    refuse_if_suspended(task)
    refuse_if_countersign(task)
    if task.deferred_completion:
        raise TaskConflict(_("您已办理，正在等待后加签的人员签署"), code="awaiting_signers")
    decided: dict[str, Any] = {
        "action": action,
        "action_label": action_label,
        "opinion": opinion.strip(),
        "data": data,
    }
    principal = _principal_for(task, user_id)
    holder = (
        task.signers.select_related("waits_for")
        .filter(kind=SignerKind.HOLDER, status=SignerStatus.PENDING)
        .first()
    )
    if holder is not None:
        if not holder.is_turn:
            raise TaskConflict(_("前加签的人员尚未签署，签署后才能办理"), code="signers_first")
        holder.status, holder.signed_at, holder.opinion = (
            SignerStatus.APPROVED,
            timezone.now(),
            opinion.strip(),
        )
        holder.save(update_fields=["status", "signed_at", "opinion"])
        if task.signers.filter(status=SignerStatus.PENDING).exists():
            # 后加签: the step completes with this decision once the signers after me agree.
            task.assignee_id, task.on_behalf_of_id = user_id, principal
            task.deferred_completion = decided | {"user_id": user_id}
            task.save(update_fields=["assignee", "on_behalf_of", "deferred_completion"])
            return Completion(
                instance_id=task.instance_id,
                subject=task.instance.subject,
                finished=False,
                variables={},
                opened=[],
                deferred=True,
            )
    return finish_task(task, user_id=user_id, principal=principal, **decided)


def finish_task(
    task: WorkTask,
    *,
    user_id: int,
    principal: int | None,
    action: str,
    action_label: str,
    opinion: str,
    data: dict[str, Any],
) -> Completion:
    """Complete the locked task in the engine and record who decided what; open the next steps."""
    instance = _locked_instance(task.instance_id)
    workflow = engine.load(instance.definition.spec, instance.state)
    try:
        engine.complete(workflow, task.engine_task_id, data)
    except LookupError as exc:
        raise TaskConflict(_("该待办已办理或已撤销，请刷新待办列表"), code="not_ready") from exc
    now = timezone.now()
    task.on_behalf_of_id = principal
    task.status = TaskStatus.COMPLETED
    task.assignee_id = user_id
    task.claimed_at = task.claimed_at or now
    task.completed_at = now
    task.action, task.action_label, task.opinion = action, action_label, opinion.strip()
    task.deferred_completion = {}
    task.save(
        update_fields=[
            "status",
            "assignee",
            "claimed_at",
            "completed_at",
            "action",
            "action_label",
            "opinion",
            "on_behalf_of",
            "deferred_completion",
        ]
    )
    if task.direct_return and task.returned_from:
        _go_straight_back(instance, workflow, task.returned_from, task.skip_data, now)
    return _save_and_sync(instance, workflow)


MAX_DIRECT_SKIPS = 50


def _go_straight_back(
    instance: ProcessInstance, workflow: Any, element_id: str, skip_data: dict[str, Any], now: Any
) -> None:
    """直送: run the steps between the fixed step and the one that sent it back with the decisions
    they made last time, so the case goes straight back there. Each is recorded as 直送跳过."""
    for _round in range(MAX_DIRECT_SKIPS):
        ready = engine.ready_human_tasks(workflow)
        if not ready or any(t.element_id == element_id for t in ready):
            return
        skipped = ready[0]
        engine.complete(workflow, skipped.id, dict(skip_data.get(skipped.element_id, {})))
        WorkTask.objects.create(
            instance=instance,
            engine_task_id=skipped.id,
            element_id=skipped.element_id,
            name=skipped.name,
            step=skipped.properties.get("step", ""),
            role=skipped.properties.get("role", ""),
            department_id=_department_for(instance, skipped.lane),
            properties=skipped.properties,
            status=TaskStatus.COMPLETED,
            completed_at=now,
            action="direct_skip",
            action_label=_("直送跳过"),
        )


def _locked_instance(instance_id: int) -> ProcessInstance:
    return ProcessInstance.objects.select_for_update().select_related("definition").get(pk=instance_id)


def return_targets(task: TaskRef) -> list[tuple[str, str]]:
    """(element id, name) of the earlier steps this task may send the case back to, nearest first.

    The model's ``return_to`` property on the step decides: ``previous`` (the last step done before
    it), ``intake`` (the first step), ``any`` (every earlier step), or a comma list of element ids;
    without it, the previous step and the intake step."""
    done = list(
        WorkTask.objects.filter(instance_id=task.instance_id, status=TaskStatus.COMPLETED)
        .exclude(action="direct_skip")
        .order_by("completed_at", "created_at")
        .values_list("element_id", "name")
    )
    earlier: list[tuple[str, str]] = []
    for element_id, name in reversed(done):
        if element_id != task.element_id and element_id not in [e for e, _n in earlier]:
            earlier.append((element_id, name))
    if not earlier:
        return []
    rule = task.properties.get("return_to", "previous,intake")
    wanted: set[str] = set()
    for part in (p.strip() for p in rule.split(",")):
        if part == "any":
            wanted |= {e for e, _n in earlier}
        elif part == "previous":
            wanted.add(earlier[0][0])
        elif part == "intake":
            wanted.add(earlier[-1][0])
        elif part:
            wanted.add(part)
    return [(e, n) for e, n in earlier if e in wanted]


def direct_return_of(properties: dict[str, str], *, chosen: bool) -> bool:
    """Whether a case sent back from a step with these properties goes straight back (直送)."""
    policy = properties.get("direct_return", "ask")
    return policy == "always" or (policy == "ask" and chosen)


@transaction.atomic
def send_back(
    *, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str, direct: bool = False
) -> Completion:
    """退回: send the case back to an earlier step the model allows, with a reason the returned step
    sees. With ``direct`` (直送) the fixed step goes straight back to this one; otherwise the case
    runs the normal path again. The step's ``direct_return`` property may decide instead of the
    person: ``always`` or ``never`` (``ask``, the default, leaves it to them). Refused while
    parallel steps are open (并联审批 in progress)."""
    task = _locked_task(task_id, user_id)
    refuse_if_delegated(task)
    refuse_if_suspended(task)
    refuse_if_countersign(task)
    _refuse_if_signing(task)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("请填写退回理由"), code="reason_required")
    allowed = dict(return_targets(task_ref(task)))
    if target_element_id not in allowed:
        raise WorkflowError(_("不能退回到所选环节"), code="target_not_allowed")
    instance = _locked_instance(task.instance_id)
    if instance.tasks.filter(status=TaskStatus.OPEN).exclude(pk=task.pk).exists():
        raise TaskConflict(_("并联环节正在办理，暂不能退回"), code="parallel_open")
    workflow = engine.load(instance.definition.spec, instance.state)
    direct = direct_return_of(task.properties, chosen=direct)
    outputs = engine.step_outputs(workflow) if direct else {}
    engine.reset_to(workflow, target_element_id)
    now = timezone.now()
    task.status = TaskStatus.RETURNED
    task.assignee_id = user_id
    task.claimed_at = task.claimed_at or now
    task.completed_at = now
    task.action = "send_back"
    task.action_label = _("退回至%(step)s") % {"step": allowed[target_element_id]}
    task.opinion = reason
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
    return _save_and_sync(
        instance,
        workflow,
        marks={
            "returned_from": task.element_id,
            "return_reason": reason,
            "direct_return": direct,
            "skip_data": {k: v for k, v in outputs.items() if k not in (target_element_id, task.element_id)},
        },
    )


@transaction.atomic
def withdraw_task(*, task_id: uuid.UUID, user_id: int) -> Completion:
    """撤回: whoever completed a step takes it back while the steps it opened are untouched (open and
    unclaimed). Racing the next person's claim has one winner: both lock those rows; the loser gets
    a conflict with a clear message. The step comes back to the same person."""
    done = WorkTask.objects.select_for_update().filter(pk=task_id, assignee_id=user_id).first()
    if done is None or done.status != TaskStatus.COMPLETED or done.action == "direct_skip":
        raise TaskNotFound(_("没有找到可撤回的已办事项"), code="not_found")
    if done.signers.exists():
        raise TaskConflict(_("多人签署的环节不能撤回"), code="signed_by_several")
    instance = _locked_instance(done.instance_id)
    assert done.completed_at
    later = list(
        instance.tasks.select_for_update().filter(created_at__gte=done.completed_at).exclude(pk=done.pk)
    )
    opened_by_it = [t for t in later if t.status == TaskStatus.OPEN]
    if instance.status != InstanceStatus.RUNNING or not opened_by_it:
        raise TaskConflict(_("流程已结束或已继续办理，不能撤回"), code="moved_on")
    signed = (
        Signer.objects.filter(task__in=opened_by_it)
        .exclude(kind=SignerKind.COUNTERSIGN, status=SignerStatus.PENDING)
        .exists()
    )  # a 会签 step is acted on once anyone signed it or added a signer
    if any(t.assignee_id for t in opened_by_it) or any(t.status != TaskStatus.OPEN for t in later) or signed:
        raise TaskConflict(_("下一环节已签收或办理，不能撤回"), code="next_acted")
    workflow = engine.load(instance.definition.spec, instance.state)
    engine.reset_to(workflow, done.element_id)
    done.status = TaskStatus.WITHDRAWN
    done.save(update_fields=["status"])
    # The step comes back to the person who withdrew it (it is the only task reopened).
    return _save_and_sync(instance, workflow, marks={"assignee_id": user_id, "claimed_at": timezone.now()})


def colleagues_for(task: TaskRef, user_id: int) -> list[int]:
    """Who may take the task over: everyone else holding its role in its department."""
    return [u for u in staff_ids_with_role(department_id=task.department_id, role=task.role) if u != user_id]


def _mine(task_id: uuid.UUID, user_id: int) -> WorkTask:
    """The open task, locked, held by the user (claimed first when it was unclaimed)."""
    task = _locked_task(task_id, user_id)
    if task.assignee_id is None:
        task.assignee_id = user_id
        task.claimed_at = timezone.now()
    return task


def _hand_over(
    *,
    task_id: uuid.UUID,
    user_id: int,
    to_user_id: int,
    reason: str,
    kind: str,
    messages: tuple[str, str, str],
) -> WorkTask:
    """What 转办 and 委派 share: my open task (claimed if it was not), a reason, a colleague of the
    same role and department, not already delegated; the operation recorded and the task theirs.
    ``messages``: (no reason, wrong colleague, already delegated)."""
    no_reason, not_allowed, delegated = messages
    task = _mine(task_id, user_id)
    if not reason.strip():
        raise WorkflowError(no_reason, code="reason_required")
    if to_user_id not in colleagues_for(task_ref(task), user_id):
        raise WorkflowError(not_allowed, code="not_allowed")
    if task.delegated_by_id:
        raise TaskConflict(delegated, code="delegated")
    refuse_if_countersign(task)
    _refuse_if_signing(task)
    TaskOperation.objects.create(
        task=task,
        kind=kind,
        actor_id=user_id,
        from_user_id=user_id,
        to_user_id=to_user_id,
        reason=reason.strip(),
    )
    task.assignee_id = to_user_id
    return task


@transaction.atomic
def transfer_task(*, task_id: uuid.UUID, user_id: int, to_user_id: int, reason: str) -> TaskRef:
    """转办: hand my task to a colleague allowed for the step (same role, same department); it leaves
    my 待办 for theirs. A reason is required; recorded with from/to."""
    task = _hand_over(
        task_id=task_id,
        user_id=user_id,
        to_user_id=to_user_id,
        reason=reason,
        kind=TaskOperation.Kind.TRANSFER,
        messages=(_("请填写转办理由"), _("只能转办给本部门同一岗位的人员"), _("委派中的待办不能转办")),
    )
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def delegate_task(*, task_id: uuid.UUID, user_id: int, to_user_id: int, reason: str) -> TaskRef:
    """委派: ask a colleague for their opinion; the task goes to them and comes back to me for the
    final decision once they have given it (``return_delegated_task``)."""
    task = _hand_over(
        task_id=task_id,
        user_id=user_id,
        to_user_id=to_user_id,
        reason=reason,
        kind=TaskOperation.Kind.DELEGATE,
        messages=(_("请填写委派说明"), _("只能委派给本部门同一岗位的人员"), _("该待办已在委派中")),
    )
    task.delegated_by_id = user_id
    task.save(update_fields=["delegated_by", "assignee", "claimed_at"])
    return task_ref(task)


@transaction.atomic
def return_delegated_task(*, task_id: uuid.UUID, user_id: int, opinion: str) -> TaskRef:
    """The delegate gives their opinion; the task goes back to the delegator, who decides."""
    task = _locked_task(task_id, user_id)
    if task.delegated_by_id is None or task.assignee_id != user_id:
        raise TaskConflict(_("该待办不是委派给您的"), code="not_delegated")
    if not opinion.strip():
        raise WorkflowError(_("请填写您的意见"), code="opinion_required")
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.DELEGATE_DONE,
        actor_id=user_id,
        from_user_id=user_id,
        to_user_id=task.delegated_by_id,
        reason=opinion.strip(),
    )
    task.assignee_id = task.delegated_by_id
    task.delegated_by_id = None
    task.save(update_fields=["assignee", "delegated_by"])
    return task_ref(task)


@transaction.atomic
def copy_case(*, task_id: uuid.UUID, user_id: int, to_user_ids: list[int], note: str = "") -> int:
    """抄送/传阅: while handling a task, let other staff read the case (read-only, with a read
    receipt). Returns how many new readers were added; copying to someone twice adds nothing."""
    task = _locked_task(task_id, user_id)
    readers = set(to_user_ids) - {user_id}
    if not readers:
        raise WorkflowError(_("请选择抄送对象"), code="no_readers")
    if len(staff_user_ids(readers)) != len(readers):
        raise WorkflowError(_("只能抄送给工作人员"), code="not_staff")
    added = 0
    for reader in sorted(readers):
        _copy, created = CaseCopy.objects.get_or_create(
            instance_id=task.instance_id,
            to_user_id=reader,
            defaults={"from_user_id": user_id, "note": note.strip()[:500]},
        )
        added += created
    return added


def mark_copy_read(*, subject: str, user_id: int) -> None:
    """The read receipt: the first time a reader opens a case copied to them."""
    CaseCopy.objects.filter(instance__subject=subject, to_user_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_out_of_office(*, user_id: int, agent_id: int, starts_on: Any, ends_on: Any) -> None:
    """代理: while away from ``starts_on`` to ``ends_on`` (inclusive), the agent — a staff colleague —
    sees and may handle the user's tasks (marked 代理); both still see them; it ends by itself.
    Replaces an earlier period."""
    if agent_id == user_id or not staff_user_ids({agent_id}):
        raise WorkflowError(_("请选择一位同事作为代理人"), code="bad_agent")
    if ends_on < starts_on:
        raise WorkflowError(_("结束日期不能早于开始日期"), code="bad_period")
    if ends_on < timezone.localdate():
        raise WorkflowError(_("代理期间已经结束"), code="past_period")
    OutOfOffice.objects.update_or_create(
        user_id=user_id, defaults={"agent_id": agent_id, "starts_on": starts_on, "ends_on": ends_on}
    )


def cancel_out_of_office(*, user_id: int) -> None:
    OutOfOffice.objects.filter(user_id=user_id).delete()


# --- process monitor (流程监控) ---------------------------------------------------------------------

MONITOR_ROLE = "department_admin"


def _monitored_instance(instance_id: int, admin_id: int) -> ProcessInstance:
    instance = ProcessInstance.objects.select_for_update().filter(pk=instance_id).first()
    if instance is None or instance.department_id not in department_ids_for(
        user_id=admin_id, role=MONITOR_ROLE
    ):
        raise TaskNotFound(_("没有找到该流程实例"), code="not_found")
    return instance


def _reason(reason: str) -> str:
    if not reason.strip():
        raise WorkflowError(_("请填写理由"), code="reason_required")
    return reason.strip()


@transaction.atomic
def suspend_instance(*, instance_id: int, admin_id: int, reason: str) -> None:
    """挂起: nobody can complete its tasks until it is resumed. Department administrators only."""
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status != InstanceStatus.RUNNING:
        raise TaskConflict(_("只有办理中的流程可以挂起"), code="not_running")
    instance.status, instance.status_reason = InstanceStatus.SUSPENDED, _reason(reason)
    instance.save(update_fields=["status", "status_reason"])


@transaction.atomic
def resume_instance(*, instance_id: int, admin_id: int) -> None:
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status != InstanceStatus.SUSPENDED:
        raise TaskConflict(_("只有已挂起的流程可以恢复"), code="not_suspended")
    instance.status, instance.status_reason = InstanceStatus.RUNNING, ""
    instance.save(update_fields=["status", "status_reason"])


@transaction.atomic
def terminate_instance(*, instance_id: int, admin_id: int, reason: str) -> None:
    """终止 with a reason: open tasks are cancelled and the subject's owner is told
    (``instance_terminated`` on commit; applications close the case as 作废)."""
    instance = _monitored_instance(instance_id, admin_id)
    if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        raise TaskConflict(_("流程已结束"), code="ended")
    why = _reason(reason)
    now = timezone.now()
    void_signers(instance.tasks.filter(status=TaskStatus.OPEN))
    instance.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED, completed_at=now)
    instance.status, instance.status_reason, instance.ended_at = InstanceStatus.TERMINATED, why, now
    instance.save(update_fields=["status", "status_reason", "ended_at"])
    subject = instance.subject
    transaction.on_commit(
        lambda: instance_terminated.send(
            sender=ProcessInstance, subject=subject, reason=why, actor_id=admin_id
        )
    )


@transaction.atomic
def reassign_task(*, task_id: uuid.UUID, admin_id: int, to_user_id: int | None, reason: str) -> None:
    """重置处理人: give an open task to someone holding its role in its department, or make it
    claimable again (``to_user_id`` None). The administrator of the task's department or of the
    instance's lead department may. Recorded with from/to and the reason."""
    task = WorkTask.objects.select_for_update().filter(pk=task_id, status=TaskStatus.OPEN).first()
    if task is None:
        raise TaskNotFound(_("没有找到该待办"), code="not_found")
    if task.department_id not in department_ids_for(user_id=admin_id, role=MONITOR_ROLE):
        # The lead department's administrator may reset any step of its case; another department's
        # only the steps of its own lane.
        _monitored_instance(task.instance_id, admin_id)
    refuse_if_countersign(task)
    why = _reason(reason)
    if to_user_id is not None and task.department_id not in department_ids_for(
        user_id=to_user_id, role=task.role
    ):
        raise WorkflowError(_("只能交给该环节所在部门、同一岗位的人员"), code="not_allowed")
    TaskOperation.objects.create(
        task=task,
        kind=TaskOperation.Kind.REASSIGN,
        actor_id=admin_id,
        from_user_id=task.assignee_id,
        to_user_id=to_user_id,
        reason=why,
    )
    task.assignee_id, task.delegated_by_id = to_user_id, None
    task.claimed_at = timezone.now() if to_user_id else None
    task.save(update_fields=["assignee", "delegated_by", "claimed_at"])
