"""Pure rules for e-licenses (GB/T 36901–36905 via shared/STANDARDS.md §8); no ORM."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

# Where a face field takes its value from:
#   form.<answer key>      the applicant's answer in the application form (form.applicant.name: nested)
#   applicant.<attribute>  the applicant's account: full_name, uscc, legal_representative
#   const:<text>           the same text on every license of the type
#   issue_date             the date of issue (2026年11月23日)
#   decision_date          the date the issuing application was approved (成立日期 of a new company)
#   new_uscc               a unified social credit code assigned at issue (设立登记: the holder is new)
APPLICANT_ATTRIBUTES = ("full_name", "uscc", "legal_representative")
NEW_USCC = "new_uscc"
ISSUE_SOURCES = ("issue_date", "decision_date", NEW_USCC)

PAYLOAD_VERSION = 1


def face_field_problems(fields: object) -> list[str]:
    """What is wrong with a license type's face definition (empty list: nothing)."""
    if not isinstance(fields, list) or not fields:
        return [_("请至少填写一个照面信息项")]
    problems: list[str] = []
    keys: set[str] = set()
    for field in fields:
        if not isinstance(field, dict) or not {"key", "label", "source"} <= field.keys():
            problems.append(_("每个照面信息项须有 key、label 和 source"))
            continue
        if field["key"] in keys:
            problems.append(_("照面信息项“%(key)s”重复") % {"key": field["key"]})
        keys.add(field["key"])
        if not source_is_known(str(field["source"])):
            problems.append(_("照面信息项“%(label)s”的来源不正确") % {"label": field["label"]})
    return problems


def holder_source_problems(*, holder_kind: str, name_source: str, code_source: str) -> list[str]:
    """What is wrong with where a license type takes its holder from: answers only (form.…, empty for
    the applicant's account), and for a legal person's code also ``new_uscc`` (设立登记 registers a
    new holder, which gets its code with the license)."""
    problems = []
    if name_source and not name_source.startswith("form."):
        problems.append(_("持证主体信息只能取自申请表（form.）"))
    if code_source == NEW_USCC:
        if holder_kind != "legal":
            problems.append(_("只有法人证照可以赋予新的统一社会信用代码（new_uscc）"))
    elif code_source and not code_source.startswith("form."):
        problems.append(_("持证主体信息只能取自申请表（form.）"))
    return problems


def source_is_known(source: str) -> bool:
    if source in ISSUE_SOURCES or source.startswith("const:"):
        return True
    if source.startswith("form."):
        return len(source) > len("form.")
    if source.startswith("applicant."):
        return source.removeprefix("applicant.") in APPLICANT_ATTRIBUTES
    return False


def face_value(
    source: str,
    *,
    answers: Mapping[str, object],
    applicant: Mapping[str, str],
    issue_date: dt.date,
    decision_date: dt.date | None = None,
    new_uscc: str = "",
) -> str:
    """The value of one face field; a missing answer is an empty string (the service refuses it)."""
    if source == "issue_date":
        return chinese_date(issue_date)
    if source == "decision_date":
        return chinese_date(decision_date) if decision_date else ""
    if source == NEW_USCC:
        return new_uscc
    if source.startswith("const:"):
        return source.removeprefix("const:")
    if source.startswith("form."):
        value: object = answers
        for part in source.removeprefix("form.").split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return "" if value is None or isinstance(value, Mapping | list) else str(value).strip()
    return applicant.get(source.removeprefix("applicant."), "").strip()


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def valid_until(*, valid_from: dt.date, years: int) -> dt.date | None:
    """The last day of validity: ``years`` after ``valid_from``, less one day; None for long-term (0)."""
    if years == 0:
        return None
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + years, day=28)
    return end - dt.timedelta(days=1)


def license_status(*, revoked: bool, valid_until: dt.date | None, today: dt.date) -> str:
    """valid, revoked or expired. Revocation wins; a license is valid through its last day."""
    if revoked:
        return "revoked"
    if valid_until is not None and today > valid_until:
        return "expired"
    return "valid"


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: UTF-8 JSON, keys sorted, no spaces (one form for one content)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: what a public page may show of a person (T-F4)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
