"""Application reads, always within what the viewer may see."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.applications.answers import AnswerGroup, answer_groups, field_labels, reveal, revealed_number
from tongban.applications.approval_sheet import SheetCorrection, SheetData, local_time, sheet_steps
from tongban.applications.clock import days_paused, promised_finish_date, stands_still
from tongban.applications.models import (
    Application,
    ApplicationStatus,
    CorrectionRequest,
    MaterialFile,
    ProcessBinding,
    SpecialProcedureRun,
)
from tongban.applications.subjects import subject_of
from tongban.applications.types import ApplicationFacts, ApplicationRef, CaseClock
from tongban.catalog.selectors import promised_limits, version_snapshot
from tongban.catalog.types import GuideStep, ItemSnapshot, ProcessStepData
from tongban.core.calendar import is_provisional, preloaded, published_years
from tongban.organizations.selectors import case_department_ids_for, departments_by_ids
from tongban.workflow.phrases import signatures_of
from tongban.workflow.selectors import (
    approved_at,
    has_copy_of,
    has_task_on,
    process_outline,
    process_record,
    step_meaning,
)

# The catalog's step names (GB/T 39554 guides say 审核, 审批) for the shipped models' 审查, 决定.
STEP_NAME_ALIASES = {"审核": "审查", "审批": "决定"}


def default_definition_key(*, is_instant: bool) -> str:
    """The shipped process of an item without a binding: 即办 or the standard one."""
    return "instant" if is_instant else "standard"


def definition_key_for(item: ItemSnapshot) -> tuple[str, dict[str, int]]:
    """The item's process and lane departments: its binding, else the shipped default."""
    return _definition_key(item.item_id, is_instant=item.is_instant)


def _definition_key(item_id: int, *, is_instant: bool) -> tuple[str, dict[str, int]]:
    binding = ProcessBinding.objects.filter(item_id=item_id).first()
    if binding:
        return binding.definition_key, {k: int(v) for k, v in binding.lane_departments.items()}
    return default_definition_key(is_instant=is_instant), {}


def guide_steps(item_id: int, is_instant: bool, own_steps: tuple[ProcessStepData, ...]) -> list[GuideStep]:
    """办理流程 on the item's guide: the human steps of the process its new applications run (bound, or
    the shipped default), each with the item's own step of that name (科室, 时限, 审查标准) and, in a
    joint approval, the department of its lane. A step the item does not describe shows the model's
    ``limit_days``; the item's steps that the process does not have are not listed."""
    key, lanes = _definition_key(item_id, is_instant=is_instant)
    outline = process_outline(key)
    departments = departments_by_ids(set(lanes.values()))
    own = {STEP_NAME_ALIASES.get(step.name, step.name): step for step in own_steps}
    own.update({step.name: step for step in own_steps})
    lanes_of_kind: dict[str, set[str | None]] = {}
    for step in outline:
        lanes_of_kind.setdefault(step.step, set()).add(step.lane)
    listed = []
    for step in outline:
        described = own.get(step.name)
        department = departments.get(lanes.get(step.lane or "", 0))
        limit, unit = (
            (described.limit, described.limit_unit)
            if described and described.limit
            else (step.limit_days or 0, "working_day")
        )
        listed.append(
            GuideStep(
                name=step.name,
                department=department.name if department else "",
                office=described.office if described else "",
                handler_role=described.handler_role if described else "",
                limit=limit,
                limit_unit=unit,
                review_standard=described.review_standard if described else "",
                parallel=len(lanes_of_kind[step.step]) > 1
                and step_meaning(step.step) in ("review", "decide"),
            )
        )
    return listed


DRAFT_REFERENCE = re.compile(r"草稿 (\d+)")  # str(application) before submission


def submitted_numbers(case_refs: set[str], applicant_id: int) -> dict[str, str]:
    """Case references written while an application of ``applicant_id`` was a draft (草稿 12) ->
    its 办件编号, for those submitted since; another person's application is never named."""
    drafts = {int(m[1]): ref for ref in case_refs if (m := DRAFT_REFERENCE.fullmatch(ref))}
    rows = Application.objects.filter(
        pk__in=drafts, applicant_id=applicant_id, number__isnull=False
    ).values_list("pk", "number")
    return {drafts[pk]: number for pk, number in rows if number}


def applications_of(applicant_id: int) -> QuerySet[Application]:
    """The applicant's own applications, newest first (我的办件 reads them a page at a time:
    ``applications_page_of``)."""
    return Application.objects.filter(applicant_id=applicant_id).order_by("-created_at", "-pk")


# Rows per page of 我的办件; "more" (a keyset cursor, ``after``) reads the next ones.
MINE_PAGE_SIZE = 20
# What a row of 我的办件 shows: the answers, their encrypted copies and the prefill are not read.
MINE_COLUMNS = ("pk", "number", "item_version_id", "applicant_id", "status", "created_at", "updated_at")


@dataclass(frozen=True)
class ApplicationPage:
    """One page of 我的办件 and the cursor of the next page ("" on the last one)."""

    applications: list[Application]
    next_cursor: str


def applications_page_of(
    applicant_id: int, *, after: str = "", size: int = MINE_PAGE_SIZE
) -> ApplicationPage:
    """我的办件: ``size`` of the applicant's applications, newest first, after the ``after`` cursor
    (a previous page's ``next_cursor``; anything malformed reads the first page).

    Keyset, not offset: the order (created_at, id) descending is that of the index
    ``application_mine``, so every page is one short index range scan however many applications the
    applicant has, and rows created meanwhile, or sharing a creation time, are neither repeated nor
    skipped."""
    rows = applications_of(applicant_id).only(*MINE_COLUMNS)
    cursor = _parse_mine_cursor(after)
    if cursor is not None:
        created_at, pk = cursor
        # The first condition bounds the index scan; the second orders ties by id.
        rows = rows.filter(created_at__lte=created_at).filter(Q(created_at__lt=created_at) | Q(pk__lt=pk))
    page = list(rows[: size + 1])
    if len(page) <= size:
        return ApplicationPage(applications=page, next_cursor="")
    last = page[size - 1]
    micros = (last.created_at - EPOCH) // ONE_MICROSECOND
    return ApplicationPage(applications=page[:size], next_cursor=f"{micros}-{last.pk}")


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)


def _parse_mine_cursor(text: str) -> tuple[dt.datetime, int] | None:
    """(created_at, id) of a cursor "<microseconds since 1970 UTC>-<id>"; None if malformed."""
    micros, _sep, pk = text.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 20 or len(pk) > 18:
        return None
    try:
        return EPOCH + int(micros) * ONE_MICROSECOND, int(pk)
    except OverflowError:
        return None


def get_application_for_applicant(applicant_id: int, application_id: int) -> Application | None:
    return Application.objects.filter(pk=application_id, applicant_id=applicant_id).first()


def get_application_for_staff(
    staff_id: int, application_id: int, *, with_related: bool = True
) -> Application | None:
    """A submitted application that the staff member may read (T-B3): one of the departments where
    they hold a case role (organizations.selectors.CASE_ROLES: 受理, 审核, 审批, and 电子监察 — a city
    supervisor's in every department), one on which they hold an open task (joint approval: only
    while that task is open), or one copied to them (抄送/传阅, read-only).

    None for anything else — the view answers 404. A role that handles no case (事项管理员, 部门管理员)
    gives no access to the department's cases and materials, whatever else it allows.

    ``with_related`` loads its materials, events and pauses with it (what the case pages show); an
    action that only needs to know the case may be read leaves them (four queries)."""
    cases = Application.objects.filter(pk=application_id).exclude(status=ApplicationStatus.DRAFT)
    if with_related:
        cases = cases.prefetch_related("materials", "events", "corrections", "special_procedures")
    application = cases.first()
    if application is None:
        return None
    scope = case_department_ids_for(user_id=staff_id)
    subject = subject_of(application.pk)
    if (
        scope is None
        or application.department_id in scope
        or has_task_on(staff_id, subject)
        or has_copy_of(staff_id, subject)
    ):
        return application
    return None


def material_file_for_staff(staff_id: int, application_id: int, material_id: int) -> MaterialFile | None:
    application = get_application_for_staff(staff_id, application_id)
    return application.materials.filter(pk=material_id).first() if application else None


def applications_by_ids(ids: set[int]) -> dict[int, Application]:
    return {a.pk: a for a in Application.objects.filter(pk__in=ids)}


# What a list row of a case shows (number, applicant, state): the answers stay in the database.
LIST_FIELDS = ("id", "number", "applicant_name", "status", "department_id", "submitted_at")


def list_rows_by_ids(ids: set[int]) -> dict[int, Application]:
    """``applications_by_ids`` with only ``LIST_FIELDS`` loaded, for lists (待办, 已办, 抄送我的)."""
    return {a.pk: a for a in Application.objects.filter(pk__in=ids).only(*LIST_FIELDS)}


def material_file_for_applicant(
    applicant_id: int, application_id: int, material_id: int
) -> MaterialFile | None:
    return MaterialFile.objects.filter(
        pk=material_id, application_id=application_id, application__applicant_id=applicant_id
    ).first()


def application_ref(application_id: int) -> ApplicationRef | None:
    row = (
        Application.objects.filter(pk=application_id)
        .values("pk", "number", "applicant_id", "department_id", "status")
        .first()
    )
    if row is None:
        return None
    return ApplicationRef(
        id=row["pk"],
        number=row["number"],
        applicant_id=row["applicant_id"],
        department_id=row["department_id"],
        status=row["status"],
    )


def application_by_number_for_applicant(number: str, applicant_id: int | None) -> Application | None:
    """The public status query (办件查询): the number must belong to this applicant, else None."""
    if applicant_id is None or not number:
        return None
    return (
        Application.objects.filter(number=number.strip().upper(), applicant_id=applicant_id)
        .prefetch_related("events")
        .first()
    )


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.CORRECTION_REQUESTED,
)


def promised_date_is_provisional(
    application: Application, *, unit: str, published: set[int] | None = None
) -> bool:
    """True while an open case's promised finish date was counted over a year whose holidays are not
    published (暂按周末计算): it is recomputed when that year is seeded. Natural days never are."""
    if (
        unit == "natural_day"
        or application.status not in OPEN_STATUSES
        or application.promised_finish_date is None
        or application.submitted_at is None
    ):
        return False
    return is_provisional(application.submitted_at, application.promised_finish_date, published=published)


BOARD_LIMIT = 500  # cases on one supervision board


def case_clocks(
    department_ids: set[int] | None,
    *,
    limit: int | None = None,
    application_ids: set[int] | None = None,
    after: tuple[dt.datetime, int] | None = None,
) -> list[CaseClock]:
    """Open cases (待预审, 已受理, 待补正) of the departments (all when None), oldest first, each with its
    clock computed from stored timestamps (correct whether or not any job ran). ``application_ids``
    narrows to those cases (one case's clock, wherever it stands among the oldest); ``after`` (the
    submission time and id of the last case of a batch) starts after that case.

    Four queries whatever the number of cases: the cases' columns a clock needs (on the partial
    index of open cases), their items' promised limits, their pauses (补正, 特别程序), the calendar."""
    cases = Application.objects.filter(status__in=OPEN_STATUSES).order_by("submitted_at", "id")
    if department_ids is not None:
        cases = cases.filter(department_id__in=department_ids)
    if application_ids is not None:
        cases = cases.filter(pk__in=application_ids)
    if after is not None:
        cases = cases.filter(Q(submitted_at__gt=after[0]) | Q(submitted_at=after[0], pk__gt=after[1]))
    rows = list(
        cases.values_list(
            "id", "number", "applicant_name", "department_id", "status", "submitted_at", "item_version_id"
        )[: limit or BOARD_LIMIT]
    )
    if not rows:
        return []
    limits = promised_limits({row[6] for row in rows})
    pauses: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = {row[0]: [] for row in rows}
    for application_id, start, end in CorrectionRequest.objects.filter(application_id__in=pauses).values_list(
        "application_id", "requested_at", "resolved_at"
    ):
        pauses[application_id].append((start, end))
    in_procedure = set()
    for application_id, start, end in SpecialProcedureRun.objects.filter(
        application_id__in=pauses
    ).values_list("application_id", "started_at", "ended_at"):
        pauses[application_id].append((start, end))
        if end is None:
            in_procedure.add(application_id)
    published = published_years()
    now = timezone.now()
    today = timezone.localdate()
    # Every deadline below is counted from a submission day over at most a limit plus its pauses.
    first = min(timezone.localdate(row[5]) for row in rows)
    with preloaded(first, today + CLOCK_CALENDAR_SPAN):
        clocks = []
        for application_id, number, name, department_id, status, submitted_at, version_id in rows:
            assert submitted_at is not None
            assert number is not None
            limit, unit = limits[version_id]
            paused = days_paused(pauses[application_id], unit=unit, now=now)
            due_date = promised_finish_date(
                submitted_at=submitted_at, limit=limit, unit=unit, paused_days=paused
            )
            clocks.append(
                CaseClock(
                    id=application_id,
                    number=number,
                    applicant_name=name,
                    department_id=department_id,
                    status=status,
                    submitted_at=submitted_at,
                    due_date=due_date,
                    paused_days=paused,
                    is_paused=stands_still(status, in_procedure=application_id in in_procedure),
                    is_provisional=unit != "natural_day"
                    and is_provisional(submitted_at, due_date, published=published),
                )
            )
    return clocks


# How far past today a case clock's calendar is loaded in one query (a limit and pauses seldom reach
# further; a date that does is read on its own).
CLOCK_CALENDAR_SPAN = dt.timedelta(days=400)


def application_facts(application_id: int) -> ApplicationFacts | None:
    """The answers and parties of a submitted application, for the app that makes its result."""
    application = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(pk=application_id).first()
    )
    if application is None or application.number is None:
        return None
    return ApplicationFacts(
        id=application.pk,
        number=application.number,
        item_id=application.item_id,
        item_version_id=application.item_version_id,
        department_id=application.department_id,
        applicant_id=application.applicant_id,
        applicant_name=application.applicant_name,
        status=application.status,
        # What a result is made from: the answers as given, resident ID numbers included.
        form_data=reveal(application.form_data, application.encrypted_answers),
        approved_at=approved_at(subject_of(application.pk), department_id=application.department_id),
    )


def own_answers(application: Application) -> dict[str, Any]:
    """The applicant's answers as they typed them, for their own form (resident ID numbers in clear)."""
    return reveal(application.form_data, application.encrypted_answers)


def labelled_answers(application: Application) -> list[AnswerGroup]:
    """The answers under the form's labels, resident ID numbers masked (T-M3): what staff pages, the
    审批表 and the applicant's 补正 page show."""
    item = version_snapshot(application.item_version_id)
    return answer_groups(
        item.form_schema, item.ui_schema, application.form_data, application.encrypted_answers
    )


def correction_field_choices(application: Application) -> list[tuple[str, str]]:
    """The fields a 补正 can name: (name, label) in the form's order."""
    item = version_snapshot(application.item_version_id)
    return list(field_labels(item.form_schema, item.ui_schema, application.form_data).items())


@dataclass(frozen=True)
class ResidentIdField:
    """One resident ID field of an application's answers: its label and the masked number."""

    path: str
    label: str
    masked: str


def resident_id_field(application: Application, path: str) -> ResidentIdField | None:
    """The field at ``path`` if it holds an encrypted resident ID number, else None."""
    if path not in application.encrypted_answers:
        return None
    for group in labelled_answers(application):
        for row in group.rows:
            if row.path == path:
                label = f"{group.heading}：{row.label}" if group.heading else row.label
                return ResidentIdField(path=path, label=label, masked=row.text)
    return None


def full_resident_id(application: Application, path: str) -> str:
    """查看完整号码: the decrypted number. The caller has checked the viewer (get_application_for_staff)
    and records the view with the reason (core.audit, T-M3)."""
    return revealed_number(application.encrypted_answers, path)


@dataclass(frozen=True)
class CorrectionRecord:
    """One 补正 as the process record shows it: who asked for what, and when it was answered."""

    requested_at: Any
    requested_by: str
    reason: str
    fields: list[str]  # labels
    materials: list[str]  # names
    resolved_at: Any

    @property
    def items(self) -> str:
        return "、".join(self.fields + self.materials)


def correction_records(application: Application) -> list[CorrectionRecord]:
    """Every 补正 of the case in order, its fields by their labels and its materials by their names."""
    corrections: list[CorrectionRequest] = list(application.corrections.all())
    if not corrections:
        return []
    item = version_snapshot(application.item_version_id)
    labels = field_labels(item.form_schema, item.ui_schema, application.form_data)
    material_names = {m.id: m.name for m in item.materials}
    people = names_of({c.requested_by_id for c in corrections})
    return [
        CorrectionRecord(
            requested_at=c.requested_at,
            requested_by=people.get(c.requested_by_id, ""),
            reason=c.reason,
            fields=[labels.get(key, key) for key in c.fields],
            materials=[material_names.get(i, "") for i in c.material_ids],
            resolved_at=c.resolved_at,
        )
        for c in corrections
    ]


def approval_sheet_data(application: Application) -> SheetData:
    """What the 审批表 shows: the case's facts and every completed step in order (not cancelled ones)."""
    item = version_snapshot(application.item_version_id)
    record = [r for r in process_record(subject_of(application.pk)) if r.status == "completed"]
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    signatures = signatures_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record} | {application.department_id})
    facts = [
        ("办件编号", application.number or ""),
        ("事项名称", item.name),
        ("申请人", application.applicant_name),
        ("受理部门", departments[application.department_id].name),
        ("提交时间", local_time(application.submitted_at)),
        (
            "承诺办结日期",
            f"{application.promised_finish_date:%Y年%-m月%-d日}" if application.promised_finish_date else "",
        ),
        ("办结时间", local_time(application.closed_at)),
        (
            "办理结果",
            application.get_result_display() if application.result else str(application.get_status_display()),
        ),
    ]
    steps = sheet_steps(record, departments=departments, people=people, signatures=signatures)
    answers = [
        (f"{group.heading}：{row.label}" if group.heading else row.label, row.text)
        for group in labelled_answers(application)
        for row in group.rows
    ]
    corrections = [
        SheetCorrection(
            requested_at=local_time(c.requested_at),
            requested_by=c.requested_by,
            reason=c.reason,
            items=c.items,
            resolved_at=local_time(c.resolved_at) if c.resolved_at else _("待申请人补正"),
        )
        for c in correction_records(application)
    ]
    return SheetData(
        title=f"{item.name}审批表", facts=facts, steps=steps, answers=answers, corrections=corrections
    )


def overdue_case_count(
    department_ids: set[int] | None, *, today: dt.date, with_overdue_steps: set[int], limit: int | None = None
) -> int:
    """Open cases of the departments (all when None) that the supervision board shows red, counted in
    one query: the promised finish date has passed while the clock runs, or the case is one of
    ``with_overdue_steps`` (an open step past its due date). A case in 补正 or 特别程序 counts only
    through its steps: its date moves every day the pause lasts (the board computes it)."""
    cases = Application.objects.filter(status__in=OPEN_STATUSES)
    if department_ids is not None:
        cases = cases.filter(department_id__in=department_ids)
    paused = SpecialProcedureRun.objects.filter(ended_at__isnull=True).values("application_id")
    running_late = (
        Q(promised_finish_date__lt=today)
        & ~Q(status=ApplicationStatus.CORRECTION_REQUESTED)
        & ~Q(pk__in=paused)
    )
    # No ORDER BY (the model's newest-first would sort every red case before the LIMIT).
    red = cases.filter(running_late | Q(pk__in=with_overdue_steps)).order_by().values("pk")
    return (red[:limit] if limit is not None else red).count()


def case_counts_by_status() -> dict[str, int]:
    """办件 by state, for the metrics page: one GROUP BY over the status column (a handful of rows)."""
    rows = Application.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)
