"""The supervision board: open cases and their open tasks with warning levels, within the viewer's
scope — a department supervisor sees their departments, a city supervisor every department."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from tongban.applications.selectors import case_clocks, overdue_case_count
from tongban.applications.subjects import application_id_of, subject_of
from tongban.applications.types import CaseClock
from tongban.core import calendar
from tongban.core.calendar import working_days_between
from tongban.core.deadlines import Level, warning_level
from tongban.organizations.selectors import department_ids_for, departments_by_ids
from tongban.supervision.models import Intervention
from tongban.workflow.selectors import open_tasks_by_subject, overdue_task_subjects
from tongban.workflow.timers import step_timers
from tongban.workflow.types import TaskRef

SUPERVISOR = "supervisor"
CITY_SUPERVISOR = "city_supervisor"


@dataclass(frozen=True)
class TaskWarning:
    task: TaskRef
    level: Level


@dataclass(frozen=True)
class CaseWarning:
    case: CaseClock
    department_name: str
    level: Level
    tasks: list[TaskWarning]
    interventions: int
    automatic_orders: int  # 系统自动督办 among them


def supervision_scope(user_id: int) -> set[int] | None:
    """Department ids the user supervises; None means every department (全市电子监察)."""
    if department_ids_for(user_id=user_id, role=CITY_SUPERVISOR):
        return None
    return department_ids_for(user_id=user_id, role=SUPERVISOR)


def may_supervise(user_id: int, department_id: int) -> bool:
    scope = supervision_scope(user_id)
    return scope is None or department_id in scope


def task_level(task: TaskRef, today: dt.date) -> Level:
    """The step's card; its definition's ``remind_before_days`` moves the yellow one (催办提醒)."""
    return warning_level(
        start=task.created_at,
        due=task.due_date,
        today=today,
        remind_before=step_timers(task.properties).remind_before_days,
    )


def escalation_role(task: TaskRef, today: dt.date) -> str:
    """The role to escalate the task to today, or "": its definition names one (``escalate``) and
    the task is overdue by more than ``escalate_after_days`` working days."""
    timers = step_timers(task.properties)
    if not timers.escalate_to or task.due_date is None or today <= task.due_date:
        return ""
    overdue = working_days_between(task.due_date, today)
    return timers.escalate_to if overdue > timers.escalate_after_days else ""


def case_level(case: CaseClock, today: dt.date) -> Level:
    return warning_level(
        start=case.submitted_at, due=case.due_date, today=today, paused_days=case.paused_days
    )


BOARD_CALENDAR_SPAN = dt.timedelta(days=366)


def board(user_id: int, *, today: dt.date | None = None) -> list[CaseWarning]:
    """Open cases in the user's scope, worst first (red, yellow, normal), each with its open tasks."""
    scope = supervision_scope(user_id)
    if scope is not None and not scope:
        return []
    today = today or timezone.localdate()
    # One calendar query for every clock and level below (cases older than a year read their own).
    with calendar.preloaded(today - BOARD_CALENDAR_SPAN, today + BOARD_CALENDAR_SPAN):
        return _board_rows(case_clocks(scope), today)


def _board_rows(cases: list[CaseClock], today: dt.date) -> list[CaseWarning]:
    names = departments_by_ids({c.department_id for c in cases})
    issued = list(
        Intervention.objects.filter(application_id__in=[c.id for c in cases]).values_list(
            "application_id", "issued_by_id"
        )
    )
    counts = Counter(application_id for application_id, _by in issued)
    automatic = Counter(application_id for application_id, by in issued if by is None)
    open_tasks = open_tasks_by_subject([subject_of(case.id) for case in cases])
    rows = []
    for case in cases:
        tasks = [TaskWarning(task=t, level=task_level(t, today)) for t in open_tasks[subject_of(case.id)]]
        level = max([case_level(case, today), *(t.level for t in tasks)], key=_severity)
        rows.append(
            CaseWarning(
                case=case,
                department_name=names[case.department_id].short_name,
                level=level,
                tasks=tasks,
                interventions=counts.get(case.id, 0),
                automatic_orders=automatic.get(case.id, 0),
            )
        )
    return sorted(rows, key=lambda row: (-_severity(row.level), row.case.submitted_at))


def red_card_count(user_id: int, limit: int | None = None, *, today: dt.date | None = None) -> int:
    """How many cases of the board are red (for the workbench's navigation), in four queries instead
    of the board's clocks: see ``applications.selectors.overdue_case_count`` for a paused case. With
    ``limit``, counting stops there (every supervisor page shows this number): at ``limit`` cases red
    through their steps the answer is ``limit`` anyway."""
    scope = supervision_scope(user_id)
    if scope is not None and not scope:
        return 0
    today = today or timezone.localdate()
    subjects = overdue_task_subjects(scope, today=today, limit=limit, kind="application")
    late_steps = {i for i in map(application_id_of, subjects) if i is not None}
    return overdue_case_count(scope, today=today, with_overdue_steps=late_steps, limit=limit)


def _severity(level: Level) -> int:
    return {Level.NORMAL: 0, Level.YELLOW: 1, Level.RED: 2}[level]


def summary(rows: list[CaseWarning]) -> dict[str, int]:
    counts = Counter(row.level.value for row in rows)
    return {"total": len(rows), "yellow": counts.get("yellow", 0), "red": counts.get("red", 0)}


def interventions_of(application_id: int) -> list[Intervention]:
    return list(Intervention.objects.filter(application_id=application_id))
