"""Pure rules of 依申请公开 (no ORM): the due date, receipt numbers and the annual-report table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tongban.core.calendar import add_working_days, working_days_between

BASE_DAYS = 20
EXTENSION_DAYS = 20


def due_date(received_on: dt.date, *, extended: bool, paused_days: int) -> dt.date:
    """20 working days after receipt (the day of receipt not counted), 20 more once extended, and
    every working day of a 补正 or 第三方 pause added on."""
    return add_working_days(received_on, BASE_DAYS + (EXTENSION_DAYS if extended else 0) + paused_days)


def pause_days(started_on: dt.date, ended_on: dt.date) -> int:
    """The working days a pause kept the clock stopped: after the day it started, up to and including
    the day it ended (the applicant's reply, the third party's answer)."""
    return working_days_between(started_on, ended_on)


def receipt_number(year: int, value: int) -> str:
    return f"YSQ-{year}-{value:06d}"


# --- the annual report's table (第三部分) ------------------------------------------------------------

COLUMNS = ("natural_person", "commercial", "research", "public_welfare", "legal_service", "other")

# (key, label, indent): the rows of 三、本年度办理结果 in the national template's order.
RESULT_ROWS: tuple[tuple[str, str, int], ...] = (
    ("granted", "（一）予以公开", 1),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("refused", "（三）不予公开", 1),
    ("refused:state_secret", "1.属于国家秘密", 2),
    ("refused:law_forbids", "2.其他法律行政法规禁止公开", 2),
    ("refused:security", "3.危及“三安全一稳定”", 2),
    ("refused:third_party", "4.保护第三方合法权益", 2),
    ("refused:internal", "5.属于三类内部事务信息", 2),
    ("refused:process", "6.属于四类过程性信息", 2),
    ("refused:enforcement", "7.属于行政执法案卷", 2),
    ("refused:other", "8.其他", 2),
    ("unable", "（四）无法提供", 1),
    ("unable:not_held", "1.本机关不掌握相关政府信息", 2),
    ("unable:no_ready", "2.没有现成信息需要另行制作", 2),
    ("unable:unclear", "3.补正后申请内容仍不明确", 2),
    ("not_processed", "（五）不予处理", 1),
    ("not_processed:complaint", "1.信访举报投诉类申请", 2),
    ("not_processed:repeated", "2.重复申请", 2),
    ("not_processed:publication", "3.要求提供公开出版物", 2),
    ("not_processed:mass", "4.无正当理由大量反复申请", 2),
    ("not_processed:confirm", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("other_handling", "（六）其他处理", 1),
    ("total", "（七）总计", 1),
)


def result_keys(answer_type: str, refusal_ground: str) -> tuple[str, ...]:
    """The rows of 本年度办理结果 an answer counts in (a group row and its sub-row)."""
    if answer_type in ("granted", "already_public"):
        return ("granted", "total")
    if answer_type == "partial":
        return ("partial", "total")
    if answer_type == "refused":
        return ("refused", f"refused:{refusal_ground or 'other'}", "total")
    if answer_type in ("not_exist", "not_held"):
        return ("unable", "unable:not_held", "total")
    if answer_type == "repeated":
        return ("not_processed", "not_processed:repeated", "total")
    return ("other_handling", "total")


@dataclass(frozen=True)
class RequestFact:
    """What the table needs of one request."""

    applicant_type: str
    received_on: dt.date
    answered_on: dt.date | None
    answer_type: str
    refusal_ground: str


@dataclass(frozen=True)
class ReportTable:
    year: int
    new: dict[str, int]  # column -> count, "total" included
    carried_in: dict[str, int]
    results: dict[str, dict[str, int]]  # row key -> column -> count
    carried_out: dict[str, int]


def _row() -> dict[str, int]:
    return dict.fromkeys((*COLUMNS, "total"), 0)


def _add(row: dict[str, int], column: str) -> None:
    row[column if column in COLUMNS else "other"] += 1
    row["total"] += 1


def report_table(facts: Iterable[RequestFact], *, year: int) -> ReportTable:
    """第三部分 of the annual report from the requests of a department (or all of them):

    - 一、本年新收: received in the year;
    - 二、上年结转: received before the year and not answered before it;
    - 三、本年度办理结果: answered in the year, by answer type (已公开 counts as 予以公开);
    - 四、结转下年度继续办理: received by the year's end and not answered in it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    new, carried_in, carried_out = _row(), _row(), _row()
    results = {key: _row() for key, _label, _indent in RESULT_ROWS}
    for fact in facts:
        if first <= fact.received_on <= last:
            _add(new, fact.applicant_type)
        if fact.received_on < first and (fact.answered_on is None or fact.answered_on >= first):
            _add(carried_in, fact.applicant_type)
        if fact.answered_on is not None and first <= fact.answered_on <= last:
            for key in result_keys(fact.answer_type, fact.refusal_ground):
                _add(results[key], fact.applicant_type)
        if fact.received_on <= last and (fact.answered_on is None or fact.answered_on > last):
            _add(carried_out, fact.applicant_type)
    return ReportTable(year=year, new=new, carried_in=carried_in, results=results, carried_out=carried_out)


# 第四部分: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), each by result, entered by staff.
REVIEW_GROUPS = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after", "行政诉讼（复议后起诉）"),
)
REVIEW_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)


def review_total(counts: dict[str, int], group: str) -> int:
    return sum(int(counts.get(f"{group}:{result}", 0)) for result, _label in REVIEW_RESULTS)
