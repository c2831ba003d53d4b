"""E-supervision writes: 催办 (reminders), 督办 (supervision orders) and the periodic warnings.

Everything reaches staff through the ``staff_alerted`` signal after commit; notifications puts it
in their inbox (and SMS). Warning levels are computed from stored dates (``selectors``); the job
here only sends each yellow and red warning once, so running it twice sends nothing more.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.selectors import case_clocks
from tongban.applications.subjects import subject_of
from tongban.core.deadlines import Level
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import staff_ids_with_role
from tongban.supervision.events import staff_alerted
from tongban.supervision.models import Intervention, InterventionKind, WarningNotice
from tongban.supervision.selectors import case_level, may_supervise, task_level
from tongban.workflow.selectors import open_tasks_of
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
    case = next((c for c in case_clocks(None) if c.id == application_id), None)
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


def send_deadline_warnings(*, today: dt.date | None = None) -> int:
    """The periodic job: tell handlers about every task and case that turned yellow or red since
    the last run. Returns how many warnings were sent; a second run the same day sends none."""
    today = today or timezone.localdate()
    sent = 0
    for case in case_clocks(None, limit=100_000):
        tasks = open_tasks_of(subject_of(case.id))
        link = reverse("applications:staff_case", args=[case.id])
        for task in tasks:
            level = task_level(task, today)
            if level != Level.NORMAL and _once(f"task:{task.id}", level):
                with transaction.atomic():
                    _alert(
                        _handlers([task]),
                        title=level.label,
                        body=_("办件%(number)s的“%(step)s”环节%(state)s，期限%(date)s。")
                        % {
                            "number": case.number,
                            "step": task.name,
                            "state": _("已超期") if level == Level.RED else _("即将到期"),
                            "date": f"{task.due_date:%Y年%-m月%-d日}",
                        },
                        link=link,
                    )
                sent += 1
        level = case_level(case, today)
        if level != Level.NORMAL and _once(f"application:{case.id}", level):
            with transaction.atomic():
                _alert(
                    _handlers(tasks),
                    title=level.label,
                    body=_("办件%(number)s%(state)s，承诺办结日期%(date)s。")
                    % {
                        "number": case.number,
                        "state": _("已超过承诺时限") if level == Level.RED else _("即将到达承诺时限"),
                        "date": f"{case.due_date:%Y年%-m月%-d日}",
                    },
                    link=link,
                )
            sent += 1
    return sent
