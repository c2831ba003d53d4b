"""Reads of 依申请公开: the applicant's requests, the department queue with warnings, one request, the
annual report's content, navigation counts and the e-supervision card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import calendar
from tongban.core.counting import Rows, first_rows
from tongban.core.deadlines import Level, warning_level
from tongban.disclosure import selectors as disclosure_selectors
from tongban.disclosure.types import ProactiveCounts, PublishedItemRef
from tongban.disclosure_requests import rules
from tongban.disclosure_requests.access import staff_department_ids
from tongban.disclosure_requests.models import (
    OPEN_STATUSES,
    AnnualReport,
    ApplicantType,
    DisclosureRequest,
    ExtensionStatus,
    RedactionRule,
    ReleaseFile,
    ReportStatus,
    Status,
)
from tongban.organizations.selectors import departments_by_ids
from tongban.supervision.sections import BoardSection

LIST_LIMIT = 200
CALENDAR_SPAN = dt.timedelta(days=400)


# --- what the disclosure app (主动公开) gives -------------------------------------------------------------


def proactive_counts(*, department_ids: list[int] | None, year: int) -> ProactiveCounts:
    """年度报告 第二部分: the year's proactive disclosure of these departments (None: all)."""
    return disclosure_selectors.proactive_report_counts(department_ids=department_ids, year=year)


def published_items(query: str, *, department_id: int | None) -> list[PublishedItemRef]:
    """Published catalogue items matching ``query``, for an 已公开 answer's link."""
    return disclosure_selectors.search_published(query, department_id=department_id, limit=10)


# --- the applicant ---------------------------------------------------------------------------------------


def applicant_requests(user_id: int) -> list[DisclosureRequest]:
    return list(
        DisclosureRequest.objects.filter(applicant_id=user_id)
        .select_related("department")
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def applicant_request(user_id: int, request_id: int) -> DisclosureRequest | None:
    return (
        DisclosureRequest.objects.filter(pk=request_id, applicant_id=user_id)
        .select_related("department")
        .first()
    )


def released_files(request: DisclosureRequest) -> list[ReleaseFile]:
    """The redacted files the applicant may download: only once answered, and only confirmed ones."""
    if request.status != Status.ANSWERED or request.answer_type not in ("granted", "partial"):
        return []
    return list(request.files.filter(confirmed=True).order_by("pk"))


# --- the staff ----------------------------------------------------------------------------------------------


def staff_request(user_id: int, request_id: int) -> DisclosureRequest | None:
    departments = staff_department_ids(user_id)
    return (
        DisclosureRequest.objects.filter(pk=request_id, department_id__in=departments)
        .select_related("department")
        .first()
    )


@dataclass(frozen=True)
class QueueRow:
    request: DisclosureRequest
    level: Level
    pending_extension: bool


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    open_count: int
    overdue_count: int
    departments: list[tuple[int, str]]


FILTERS = ("open", "overdue", "review", "answered", "all")


def _level(request: DisclosureRequest, today: dt.date) -> Level:
    if not request.is_open or request.is_paused:
        return Level.NORMAL
    return warning_level(
        start=request.received_on, due=request.due_on, today=today, paused_days=request.paused_days
    )


def queue(
    user_id: int, *, show: str = "open", department_id: int | None = None, today: dt.date | None = None
) -> Queue:
    """The requests of the viewer's departments, by due date, with 黄牌/红牌 warnings and the counts of
    open and overdue ones (a fixed number of queries whatever the number of requests)."""
    today = today or timezone.localdate()
    departments = staff_department_ids(user_id)
    if department_id is not None:
        departments &= {department_id}
    base = DisclosureRequest.objects.filter(department_id__in=departments)
    open_qs = base.filter(status__in=OPEN_STATUSES)
    overdue_qs = open_qs.exclude(status__in=(Status.CORRECTION, Status.CONSULTATION)).filter(due_on__lt=today)
    chosen: QuerySet[DisclosureRequest] = {
        "open": open_qs,
        "overdue": overdue_qs,
        "review": base.filter(status=Status.REVIEW),
        "answered": base.filter(status=Status.ANSWERED),
    }.get(show, base)
    items = list(chosen.select_related("department").order_by("due_on", "pk")[:LIST_LIMIT])
    pending = set(
        DisclosureRequest.objects.filter(
            pk__in=[r.pk for r in items], extensions__status=ExtensionStatus.PENDING
        ).values_list("pk", flat=True)
    )
    with calendar.preloaded(today - CALENDAR_SPAN, today + CALENDAR_SPAN):
        rows = [QueueRow(r, _level(r, today), r.pk in pending) for r in items]
    names = departments_by_ids(staff_department_ids(user_id))
    return Queue(
        rows=rows,
        open_count=open_qs.count(),
        overdue_count=overdue_qs.count(),
        departments=sorted((d.id, d.name) for d in names.values()),
    )


def request_level(request: DisclosureRequest, today: dt.date | None = None) -> Level:
    return _level(request, today or timezone.localdate())


def pending_extension(request: DisclosureRequest):
    return request.extensions.filter(status=ExtensionStatus.PENDING).first()


def open_rows(user_id: int, limit: int) -> Rows:
    """Navigation: the open requests of the user's departments, at most ``limit`` of them."""
    departments = staff_department_ids(user_id)
    return first_rows(
        DisclosureRequest.objects.filter(department_id__in=departments, status__in=OPEN_STATUSES), limit
    )


def rules_table() -> list[RedactionRule]:
    return list(RedactionRule.objects.order_by("pk"))


@dataclass(frozen=True)
class OverdueRow:
    request: DisclosureRequest
    department: str
    overdue_days: int


def supervision_section(*, department_ids: set[int] | None, today: dt.date) -> BoardSection:
    """The e-supervision board's card: requests past their legal due date (numbers and dates only)."""
    overdue = DisclosureRequest.objects.filter(
        status__in=(Status.SUBMITTED, Status.HANDLING, Status.REVIEW), due_on__lt=today
    )
    if department_ids is not None:
        overdue = overdue.filter(department_id__in=department_ids)
    items = list(overdue.order_by("due_on", "pk")[:LIST_LIMIT])
    names = departments_by_ids({r.department_id for r in items}) if items else {}
    rows: list[OverdueRow] = []
    if items:
        with calendar.preloaded(items[0].due_on, today):
            rows = [
                OverdueRow(r, names[r.department_id].name, calendar.working_days_between(r.due_on, today))
                for r in items
            ]
    return BoardSection(
        title=_("依申请公开超期未答复"), template="disclosure_requests/_board_section.html", rows=rows
    )


# --- the annual report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportContent:
    report: AnnualReport
    title: str
    scope: str
    proactive: ProactiveCounts
    table: rules.ReportTable
    review_counts: dict[str, int]

    def snapshot(self) -> dict:
        return {
            "proactive": {
                "published": self.proactive.published,
                "updated": self.proactive.updated,
                "withdrawn": self.proactive.withdrawn,
                "by_category": self.proactive.by_category,
                "regulations": self.proactive.regulations,
                "normative_documents": self.proactive.normative_documents,
            },
            "table": {
                "new": self.table.new,
                "carried_in": self.table.carried_in,
                "results": self.table.results,
                "carried_out": self.table.carried_out,
            },
        }

    def table_rows(self) -> list[tuple[str, int, list[int]]]:
        """(label, indent, [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计])."""
        columns = (*rules.COLUMNS, "total")
        rows: list[tuple[str, int, list[int]]] = [
            ("一、本年新收政府信息公开申请数量", 0, [self.table.new[c] for c in columns]),
            ("二、上年结转政府信息公开申请数量", 0, [self.table.carried_in[c] for c in columns]),
            ("三、本年度办理结果", 0, []),
        ]
        for key, label, indent in rules.RESULT_ROWS:
            rows.append((label, indent, [self.table.results[key][c] for c in columns]))
        rows.append(("四、结转下年度继续办理", 0, [self.table.carried_out[c] for c in columns]))
        return rows

    def review_rows(self) -> list[tuple[str, list[int]]]:
        rows = []
        for group, label in rules.REVIEW_GROUPS:
            values = [int(self.review_counts.get(f"{group}:{r}", 0)) for r, _l in rules.REVIEW_RESULTS]
            rows.append((label, [*values, sum(values)]))
        return rows


TABLE_HEADER = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def report_content(report: AnnualReport) -> ReportContent:
    """The report's figures: from the snapshot once published, computed from the requests otherwise."""
    name = report.department.name if report.department is not None else ""
    scope = name or _("本级人民政府（全部部门）")
    title = _("%(scope)s%(year)d年政府信息公开工作年度报告") % {"scope": name, "year": report.year}
    if report.status == ReportStatus.PUBLISHED and report.snapshot:
        snap = report.snapshot
        proactive = ProactiveCounts(**snap["proactive"])
        table = rules.ReportTable(year=report.year, **snap["table"])
    else:
        department_ids = [report.department_id] if report.department_id else None
        proactive = proactive_counts(department_ids=department_ids, year=report.year)
        table = report_table(department_ids=department_ids, year=report.year)
    return ReportContent(report, title, scope, proactive, table, dict(report.review_counts))


def report_table(*, department_ids: list[int] | None, year: int) -> rules.ReportTable:
    """第三部分 from the requests: received up to the year's end, not answered before it began."""
    rows = DisclosureRequest.objects.filter(received_on__lte=dt.date(year, 12, 31)).exclude(
        answered_on__lt=dt.date(year, 1, 1)
    )
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    facts = [
        rules.RequestFact(*values)
        for values in rows.values_list(
            "applicant_type", "received_on", "answered_on", "answer_type", "refusal_ground"
        )
    ]
    return rules.report_table(facts, year=year)


def report_pdf(content: ReportContent) -> bytes:
    from tongban.disclosure_requests.pdf import render_report

    report = content.report
    p = content.proactive
    proactive_rows = [
        ["项目", "数量"],
        ["本年主动公开政府信息", str(p.published)],
        ["本年更新政府信息", str(p.updated)],
        ["本年废止、失效政府信息", str(p.withdrawn)],
        ["本年制发规章", str(p.regulations)],
        ["本年制发行政规范性文件", str(p.normative_documents)],
        *[[label, str(count)] for label, count in sorted(p.by_category.items())],
    ]
    table = [["申请人情况", *TABLE_HEADER]]
    for label, indent, values in content.table_rows():
        table.append(["\u3000" * indent + label, *[str(v) for v in values]] if values else [label, *[""] * 7])
    review = [["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    review += [[label, *[str(v) for v in values]] for label, values in content.review_rows()]
    sections = [
        ("一、总体情况", [report.overview], []),
        (
            "二、主动公开政府信息情况",
            [report.proactive_note] if report.proactive_note else [],
            [proactive_rows],
        ),
        ("三、收到和处理政府信息公开申请情况", [], [table]),
        ("四、政府信息公开行政复议、行政诉讼情况", [], [review]),
        ("五、存在的主要问题及改进情况", [report.problems], []),
        ("六、其他需要报告的事项", [report.other_matters], []),
    ]
    return render_report(title=content.title, sections=sections)


def reports_for_staff(user_id: int) -> list[AnnualReport]:
    from tongban.disclosure_requests.access import approver_department_ids, is_government_report_editor

    departments = approver_department_ids(user_id)
    reports = AnnualReport.objects.filter(department_id__in=departments)
    if is_government_report_editor(user_id):
        reports = reports | AnnualReport.objects.filter(department__isnull=True)
    return list(reports.select_related("department").order_by("-year", "pk"))


def published_reports() -> list[AnnualReport]:
    return list(
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("department")
        .order_by("-year", "department_id", "pk")
    )


def applicant_type_label(value: str) -> str:
    return str(ApplicantType(value).label)
