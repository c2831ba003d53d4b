"""Time: BPMN timer events that fire, and per-step timeout actions (超时自动通过/不通过).

Both run from periodic jobs (``workflow.tasks``: Celery beat in production, ``manage.py
run_periodic_jobs`` under ``make run``) and are safe to run twice, or on two nodes at once:

- ``fire_due_timers`` reads only instances whose ``next_timer_at`` has passed (an indexed column
  written with every save), locks each one (``select_for_update(skip_locked=True)``: a node that
  finds it locked leaves it to the other) and re-reads ``next_timer_at`` under the lock, so an
  instance another run has just handled is skipped; the instance ``revision`` check of every save
  is the last guard.
- ``apply_timeout_actions`` locks the open task the same way; once completed it is no longer open.

Remind and escalate timeouts are supervision's reminders and 系统自动督办 (``workflow.timers``
maps ``timeout_action`` onto them); approve and reject are done here.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.calendar import is_working_day, working_days_between
from tongban.workflow import engine, subjects
from tongban.workflow.errors import TaskConflict
from tongban.workflow.models import InstanceStatus, ProcessInstance, SignerStatus, TaskStatus, WorkTask
from tongban.workflow.services.handling import finish_task
from tongban.workflow.services.instances import _save_and_sync
from tongban.workflow.timers import TIMEOUT_COMPLETIONS, step_timers

logger = logging.getLogger(__name__)
BATCH = 500


def fire_due_timers(*, now: dt.datetime | None = None) -> int:
    """The periodic job: fire every BPMN timer whose time has come (intermediate and boundary
    timers) and move each instance on: the human tasks it opens appear in inboxes, and tasks an
    interrupting boundary timer cancelled are closed as cancelled with a note. Returns how many
    instances moved; a second run at once moves none. One instance failing (a broken expression)
    is logged and does not stop the others."""
    now = now or timezone.now()
    due = ProcessInstance.objects.filter(status=InstanceStatus.RUNNING, next_timer_at__lte=now)
    fired = 0
    for instance_id in list(due.order_by("next_timer_at").values_list("pk", flat=True)[:BATCH]):
        try:
            fired += _fire_instance(instance_id, now)
        except TaskConflict:
            continue  # another run saved the instance meanwhile: its timers are its business now
        except Exception:
            logger.exception("timers of process instance %s could not fire", instance_id)
    return fired


@transaction.atomic
def _fire_instance(instance_id: int, now: dt.datetime) -> bool:
    instance = (
        # of=self: a plain FOR UPDATE would lock the joined definition row too, shared by every
        # instance of it, and two runs would skip each other's instances instead of sharing them.
        ProcessInstance.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("definition")
        .filter(pk=instance_id, status=InstanceStatus.RUNNING, next_timer_at__lte=now)
        .first()
    )
    if instance is None:  # locked by another run, or handled and saved by it already
        return False
    workflow = engine.load(instance.definition.spec, instance.state)
    engine.fire_timers(workflow)
    _save_and_sync(
        instance,
        workflow,
        cancel_note={"action": "timer_cancelled", "action_label": _("定时器到期，环节已取消")},
    )
    return True


def apply_timeout_actions(*, today: dt.date | None = None) -> int:
    """The periodic job for steps whose ``timeout_action`` is ``approve`` or ``reject``: on a
    working day more than ``timeout_after_days`` working days after the step's due date, complete
    the open task as the system, with the opinion «超时自动通过» or «超时自动不通过», setting the
    step's ``decision`` variable, through the normal completion path (the record, the next steps).
    Each task once (it is no longer open afterwards). Skipped: suspended instances, tasks being
    signed (会签, 加签 pending, a deferred completion), and subjects on hold (``subjects.on_hold``:
    an application waiting for 补正, whose clock stands still). Returns how many tasks were completed."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    candidates = WorkTask.objects.filter(
        status=TaskStatus.OPEN,
        due_date__lt=today,
        instance__status=InstanceStatus.RUNNING,
        properties__timeout_action__in=list(TIMEOUT_COMPLETIONS),
    ).values_list("pk", "due_date", "properties", "instance__subject")
    batch = list(candidates[:BATCH])
    held = subjects.on_hold(subject for *_task, subject in batch)
    done = 0
    for task_id, due_date, properties, subject in batch:
        if (
            subject in held
            or due_date is None
            or working_days_between(due_date, today) <= step_timers(properties).timeout_after_days
        ):
            continue
        try:
            done += _time_out(task_id)
        except TaskConflict:
            continue
        except Exception:
            logger.exception("timeout action of task %s failed", task_id)
    return done


@transaction.atomic
def _time_out(task_id: uuid.UUID) -> bool:
    task = (
        WorkTask.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("instance")
        .filter(pk=task_id, status=TaskStatus.OPEN)
        .first()
    )
    if (
        task is None
        or task.instance.status != InstanceStatus.RUNNING
        or task.deferred_completion
        or task.signers.filter(status=SignerStatus.PENDING).exists()
        or subjects.on_hold([task.instance.subject])
    ):
        return False
    action = task.properties.get("timeout_action", "")
    approved, label = TIMEOUT_COMPLETIONS[action]
    finish_task(
        task,
        user_id=None,
        principal=None,
        action=action,
        action_label=str(label),
        opinion=str(label),
        data={task.properties["decision"]: approved},
    )
    return True
