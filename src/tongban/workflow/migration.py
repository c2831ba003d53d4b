"""版本迁移 (issue 8): move running instances to a newer version of their definition.

An instance moves when the engine can carry its state over (``engine.migrate``): every step it has
done or has open exists in the new version, its open steps keep their role, step kind and lane, and
parallel branches in progress are unchanged. Instances that cannot move stay on their version, with
the reasons listed. Open task rows (WorkTask) are not touched: the engine keeps the ids of the open
tasks, so inboxes, claims and due dates stay as they were.

Only department administrators may migrate, and only the instances of their departments; each
move is recorded in the audit log (who, from which version, to which).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core import audit
from tongban.organizations.selectors import department_ids_for
from tongban.workflow import engine
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import InstanceStatus, ProcessDefinition, ProcessInstance
from tongban.workflow.services import MONITOR_ROLE

MOVABLE = "movable"
REFUSED = "refused"
CURRENT = "current"
MOVED = "moved"
OUTCOME_LABELS = {
    MOVABLE: gettext_lazy("可迁移"),
    REFUSED: gettext_lazy("不可迁移"),
    CURRENT: gettext_lazy("已是目标版本"),
    MOVED: gettext_lazy("已迁移"),
}
ACTIVE = (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED)
AUDIT_EVENT = "workflow.instance_migrated"


@dataclass(frozen=True)
class InstanceMigration:
    """One instance in a migration report: whether it can move (or moved) and, if not, why."""

    instance_id: int
    subject: str
    from_version: int
    to_version: int
    outcome: str
    reasons: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


def _describe(issue: engine.MigrationIssue) -> str:
    names = {"name": issue.name, "id": issue.element_id}
    if issue.kind == "removed_open":
        return _("当前环节“%(name)s”(%(id)s) 在新版本中不存在") % names
    if issue.kind == "removed_done":
        return _("已办环节“%(name)s”(%(id)s) 在新版本中不存在，办理记录无法对应") % names
    if issue.kind == "changed_open":
        what = {
            "role": _("办理角色"),
            "step": _("环节类型"),
            "lane": _("泳道（办理部门）"),
        }.get(issue.detail, _("任务类型"))
        return _("当前环节“%(name)s”(%(id)s) 的%(what)s在新版本中已改变") % {**names, "what": what}
    if issue.kind == "branches_changed":
        return _("并联环节“%(name)s”(%(id)s) 的分支在新版本中已改变，正在办理的并联审批不能迁移") % names
    if issue.kind == "subprocess_removed":
        return _("子流程“%(name)s”(%(id)s) 在新版本中不存在") % names
    if issue.kind == "open_tasks_changed":
        return _("迁移后待办环节“%(name)s”(%(id)s) 会发生变化") % names
    return _("环节“%(name)s”(%(id)s) 在新版本中不存在") % names


def _check(instance: ProcessInstance, target: ProcessDefinition) -> tuple[str, list[str], str]:
    """(outcome, reasons, migrated state) for one instance; the state is '' unless it can move."""
    if instance.definition_id == target.pk:
        return CURRENT, [], ""
    try:
        state = engine.migrate(instance.state, instance.definition.spec, target.spec)
    except engine.MigrationRefused as exc:
        return REFUSED, [_describe(issue) for issue in exc.issues], ""
    except Exception:  # whatever else the engine cannot carry over leaves the instance in place
        return REFUSED, [_("流程引擎无法将该实例迁移到新版本")], ""
    return MOVABLE, [], state


def _row(
    instance: ProcessInstance, target: ProcessDefinition, outcome: str, reasons: list[str]
) -> InstanceMigration:
    return InstanceMigration(
        instance_id=instance.pk,
        subject=instance.subject,
        from_version=instance.definition.version,
        to_version=target.version,
        outcome=outcome,
        reasons=reasons,
    )


def _target_and_candidates(
    definition_key: str, to_version: int, admin_id: int, instance_ids: list[int] | None
) -> tuple[ProcessDefinition, list[ProcessInstance]]:
    """The target version and the instances the administrator may move to it: running or suspended,
    of the administrator's departments, on that key at that version or an older one."""
    departments = department_ids_for(user_id=admin_id, role=MONITOR_ROLE)
    if not departments:
        raise TaskNotFound(_("没有找到该流程实例"), code="not_found")
    target = ProcessDefinition.objects.filter(key=definition_key, version=to_version).first()
    if target is None:
        raise WorkflowError(
            _("流程“%(key)s”没有第%(version)s版") % {"key": definition_key, "version": to_version},
            code="no_version",
        )
    instances = (
        ProcessInstance.objects.filter(
            definition__key=definition_key,
            definition__version__lte=to_version,
            status__in=ACTIVE,
            department_id__in=departments,
        )
        .select_related("definition")
        .order_by("started_at", "pk")
    )
    if instance_ids is not None:
        instances = instances.filter(pk__in=instance_ids)
    found = list(instances)
    if instance_ids is not None and len(found) != len(set(instance_ids)):
        raise TaskNotFound(_("没有找到该流程实例"), code="not_found")
    return target, found


def plan_migration(*, definition_key: str, to_version: int, admin_id: int) -> list[InstanceMigration]:
    """预览 (dry run): for each running or suspended instance of ``definition_key`` in the
    administrator's departments, on ``to_version`` or an older version, whether it can move to
    ``to_version`` and, if not, why. Changes nothing.

    Raises TaskNotFound for someone who is no department administrator, WorkflowError when the
    version does not exist.
    """
    target, instances = _target_and_candidates(definition_key, to_version, admin_id, None)
    rows = []
    for instance in instances:
        outcome, reasons, _state = _check(instance, target)
        rows.append(_row(instance, target, outcome, reasons))
    return rows


def migrate_instances(
    *, definition_key: str, to_version: int, admin_id: int, instance_ids: list[int] | None = None
) -> list[InstanceMigration]:
    """迁移: move every instance ``plan_migration`` finds movable (or only ``instance_ids``) to
    ``to_version``; the others stay on their version. Each instance moves in its own transaction:
    its row is locked, checked again, and saved with a revision check (as every workflow write), so
    a step completed meanwhile either happens before the move or fails as a conflict. Idempotent:
    an instance already on ``to_version`` is reported as such and left alone.

    Raises TaskNotFound for someone who is no department administrator, or when ``instance_ids``
    names an instance outside their departments, of another definition or no longer running (then
    nothing moves); WorkflowError when the version does not exist.
    """
    target, instances = _target_and_candidates(definition_key, to_version, admin_id, instance_ids)
    return [_move(instance.pk, target, admin_id) for instance in instances]


def _move(instance_id: int, target: ProcessDefinition, admin_id: int) -> InstanceMigration:
    try:
        with transaction.atomic():
            instance = (
                ProcessInstance.objects.select_for_update().select_related("definition").get(pk=instance_id)
            )
            if instance.status not in ACTIVE:
                return _row(instance, target, REFUSED, [_("流程实例已结束，不能迁移")])
            outcome, reasons, state = _check(instance, target)
            if outcome != MOVABLE:
                return _row(instance, target, outcome, reasons)
            updated = ProcessInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
                definition=target, state=state, revision=instance.revision + 1
            )
            if updated != 1:
                raise TaskConflict(_("该办件刚被他人处理，请刷新后重试"), code="stale_instance")
            from_version = instance.definition.version
            audit.record(
                event=AUDIT_EVENT,
                actor_id=admin_id,
                object_type="process_instance",
                object_id=instance.pk,
                reason=f"{target.key} v{from_version} → v{target.version}",
            )
            return _row(instance, target, MOVED, [])
    except TaskConflict as exc:
        instance = ProcessInstance.objects.select_related("definition").get(pk=instance_id)
        return _row(instance, target, REFUSED, [exc.message])
