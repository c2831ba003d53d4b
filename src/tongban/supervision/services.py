"""E-supervision writes: 催办 (reminders), 督办 (supervision orders) and the periodic warnings.

Everything reaches staff through the ``staff_alerted`` signal after commit; notifications puts it
in their inbox (and SMS). Warning levels are computed from stored dates (``selectors``); the job
here only sends each yellow and red warning, and each automatic 督办 (escalation of an overdue
step to its supervisors), once, so running it twice sends nothing more.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.selectors import case_clocks
from tongban.applications.subjects import subject_of
from tongban.applications.types import CaseClock
from tongban.core.calendar import working_days_between
from tongban.core.deadlines import Level
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import staff_ids_with_role
from tongban.supervision.events import staff_alerted
from tongban.supervision.models import Intervention, InterventionKind, WarningNotice
from tongban.supervision.selectors import case_level, escalation_role, may_supervise, task_level
from tongban.workflow.selectors import open_tasks_by_subject, open_tasks_of
from tongban.workflow.timers import step_timers
from tongban.workflow.types import TaskRef


class SupervisionError(TongbanError):
    """A refused supervision request, with a message for the supervisor."""


def _handlers(tasks: list[TaskRef]) -> list[int]:
    """Who must act: each task's assignee, or everyone holding its role in its department."""
    ids: set[int] = set()
    for task in tasks:
        if task.assignee_id:
            ids.add(task.assignee_id)
        else:
            ids.update(staff_ids_with_role(department_id=task.department_id, role=task.role))
    return sorted(ids)


def _alert(recipient_ids: list[int], *, title: str, body: str, link: str) -> None:
    if recipient_ids:
        transaction.on_commit(
            lambda: staff_alerted.send(
                sender=Intervention, recipient_ids=recipient_ids, title=title, body=body, link=link
            )
        )


@transaction.atomic
def intervene(
    *, application_id: int, supervisor_id: int, kind: str, message: str, reply_due: dt.date | None = None
) -> int:
    """Send a 催办 or 督办 on an open case to the people holding its open tasks.

    Rules: only a supervisor of the case's department or a city supervisor (else "not found");
    a message is required; a 督办 needs a reply deadline that is not in the past.
    """
    case = next(iter(case_clocks(None, application_ids={application_id})), None)
    if case is None or not may_supervise(supervisor_id, case.department_id):
        raise SupervisionError(_("没有找到该办件。"), code="not_found")
    if kind not in InterventionKind.values:
        raise SupervisionError(_("请选择督办或催办"), code="invalid_kind")
    if not message.strip():
        raise SupervisionError(_("请填写督办催办内容"), code="message_required")
    if kind == InterventionKind.ORDER and (reply_due is None or reply_due < timezone.localdate()):
        raise SupervisionError(_("督办须指定不早于今天的反馈期限"), code="reply_due_required")
    recipients = _handlers(open_tasks_of(subject_of(application_id)))
    if not recipients:
        raise SupervisionError(_("该办件当前没有待办环节，无需督办催办"), code="no_open_task")
    intervention = Intervention.objects.create(
        application_id=application_id,
        kind=kind,
        message=message.strip(),
        issued_by_id=supervisor_id,
        reply_due=reply_due if kind == InterventionKind.ORDER else None,
        recipient_ids=recipients,
    )
    label = InterventionKind(kind).label
    body = _("办件%(number)s：%(message)s") % {"number": case.number, "message": intervention.message}
    if intervention.reply_due:
        body += _("（请于%(date)s前反馈）") % {"date": f"{intervention.reply_due:%Y年%-m月%-d日}"}
    _alert(
        recipients,
        title=str(label),
        body=body,
        link=reverse("applications:staff_case", args=[application_id]),
    )
    return intervention.pk


def _once(key: str, level: Level) -> bool:
    """Record that ``key`` was warned at ``level``; False if it already was (another run)."""
    try:
        with transaction.atomic():
            WarningNotice.objects.create(key=key, level=level.value)
    except IntegrityError:
        return False
    return True


def _date(day: dt.date) -> str:
    return f"{day:%Y年%-m月%-d日}"


def _warn_task(case: CaseClock, task: TaskRef, level: Level, *, link: str) -> None:
    """The yellow or red card of one step to its handlers; a yellow one is a 催办提醒 when the
    definition sets the step's ``remind_before_days``."""
    assert task.due_date is not None  # a step without a due date has no card
    if level == Level.YELLOW and step_timers(task.properties).remind_before_days is not None:
        title = _("催办提醒")
        body = _("办件%(number)s的“%(step)s”环节将于%(date)s到期，请及时办理。")
    else:
        title = level.label
        body = _("办件%(number)s的“%(step)s”环节%(state)s，期限%(date)s。")
    values = {
        "number": case.number,
        "step": task.name,
        "state": _("已超期") if level == Level.RED else _("即将到期"),
        "date": _date(task.due_date),
    }
    with transaction.atomic():
        _alert(_handlers([task]), title=title, body=body % values, link=link)


def _escalate(case: CaseClock, task: TaskRef, *, role: str, today: dt.date, link: str) -> bool:
    """系统自动督办: record a 督办 on the case for the overdue step and tell its handlers, and alert
    the holders of ``role`` (the step's supervisors) in the task's department — not another
    department's. False if the task was escalated already (an earlier or a concurrent run)."""
    assert task.due_date is not None  # only an overdue step is escalated
    values = {
        "number": case.number,
        "step": task.name,
        "days": working_days_between(task.due_date, today),
        "date": _date(task.due_date),
    }
    handlers = _handlers([task])
    supervisors = [
        user_id
        for user_id in staff_ids_with_role(department_id=task.department_id, role=role)
        if user_id not in handlers
    ]
    try:
        with transaction.atomic():
            Intervention.objects.create(
                application_id=case.id,
                kind=InterventionKind.ORDER,
                message=_("“%(step)s”环节超期%(days)s个工作日（期限%(date)s），系统自动督办。") % values,
                issued_by_id=None,
                recipient_ids=sorted({*handlers, *supervisors}),
                task_id=task.id,
            )
            title = _("系统自动督办")
            _alert(
                handlers,
                title=title,
                body=_("办件%(number)s的“%(step)s”环节已超期%(days)s个工作日（期限%(date)s），请尽快办理。")
                % values,
                link=link,
            )
            _alert(
                supervisors,
                title=title,
                body=_(
                    "办件%(number)s的“%(step)s”环节已超期%(days)s个工作日（期限%(date)s），"
                    "已自动督办承办人，请跟进。"
                )
                % values,
                link=link,
            )
    except IntegrityError:
        return False
    return True


def send_deadline_warnings(*, today: dt.date | None = None) -> int:
    """The periodic job: tell handlers about every task and case that turned yellow or red since
    the last run, and escalate overdue steps whose definition says so (``escalate``). Returns how
    many warnings and escalations were sent; a second run the same day sends none.

    Each is sent once per task row: a step sent back and reopened is a new task, warned afresh.
    Days are working days (``core.calendar``); a step's ``remind_before_days`` moves its yellow
    card (a 催办提醒) and ``escalate_after_days`` delays its escalation (``workflow.timers``).
    Cases are read in batches of ``WARNING_BATCH``, oldest first.
    """
    today = today or timezone.localdate()
    sent = 0
    after: tuple[dt.datetime, int] | None = None
    while batch := case_clocks(None, limit=WARNING_BATCH, after=after):
        sent += _warn_batch(batch, today)
        after = (batch[-1].submitted_at, batch[-1].id)
    return sent


# Open cases read per round of the deadline job: a few queries each, whatever the city's size.
WARNING_BATCH = 500


def _case_key(application_id: int) -> str:
    """The WarningNotice key of a case's own (promised-date) warnings."""
    return f"application:{application_id}"


def _task_key(task_id: object) -> str:
    """The WarningNotice key of a step's warnings (a reopened step is a new task, warned afresh)."""
    return f"task:{task_id}"


def _warn_batch(cases: list[CaseClock], today: dt.date) -> int:
    """``send_deadline_warnings`` for one batch of cases: their open tasks in one query, and the
    warnings already sent in another (a second run tries none of them again; ``_once`` still guards
    against a run going on at the same time)."""
    sent = 0
    open_tasks = open_tasks_by_subject([subject_of(case.id) for case in cases])
    keys = [_case_key(case.id) for case in cases]
    keys += [_task_key(task.id) for tasks in open_tasks.values() for task in tasks]
    warned = set(WarningNotice.objects.filter(key__in=keys).values_list("key", "level"))

    def first_time(key: str, level: Level) -> bool:
        return (key, level.value) not in warned and _once(key, level)

    for case in cases:
        tasks = open_tasks[subject_of(case.id)]
        link = reverse("applications:staff_case", args=[case.id])
        for task in tasks:
            level = task_level(task, today)
            if level != Level.NORMAL and first_time(_task_key(task.id), level):
                _warn_task(case, task, level, link=link)
                sent += 1
            # Paused (补正, 特别程序) the step waits for someone else: nothing to escalate to its supervisor.
            role = "" if case.is_paused else escalation_role(task, today)
            if role and _escalate(case, task, role=role, today=today, link=link):
                sent += 1
        level = case_level(case, today)
        if level != Level.NORMAL and first_time(_case_key(case.id), level):
            with transaction.atomic():
                _alert(
                    _handlers(tasks),
                    title=level.label,
                    body=_("办件%(number)s%(state)s，承诺办结日期%(date)s。")
                    % {
                        "number": case.number,
                        "state": _("已超过承诺时限") if level == Level.RED else _("即将到达承诺时限"),
                        "date": _date(case.due_date),
                    },
                    link=link,
                )
            sent += 1
    return sent
