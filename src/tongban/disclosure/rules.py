"""Pure rules of 主动公开 (no ORM): the 索引号's form, the item's fields, the gate's findings and the
timeliness of publishing (政府信息公开条例 Art. 26: within 20 working days of the information being
formed or changed; the working-day arithmetic is ``core.calendar``'s, done by the callers)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

PUBLISH_WITHIN_WORKING_DAYS = 20
DUE_SOON_WORKING_DAYS = 5  # shown as 即将到期 this many working days before the deadline
TITLE_MAX = 200


def index_number(prefix: str, year: int, serial: int) -> str:
    """索引号: the department's code (its 统一社会信用代码), the year and a five-digit serial, e.g.
    11990100MB0000001X/2026-00012."""
    return f"{prefix}/{year}-{serial:05d}"


@dataclass(frozen=True)
class ItemFields:
    """What an editor fills in (``services.create_item``, ``update_item``)."""

    category: str
    title: str
    body: str = ""
    policy_kind: str = ""
    key_area: str = ""
    issuer: str = ""
    written_on: dt.date | None = None
    document_number: str = ""
    topic: str = "general"
    validity: str = "valid"
    validity_changed_on: dt.date | None = None
    changed_on: dt.date | None = None


@dataclass(frozen=True)
class Violation:
    field: str
    message: str


def check_item(fields: ItemFields, *, today: dt.date) -> list[Violation]:
    """The rules of an item's fields: a title; a 政策文件 has its kind (规章, 行政规范性文件 …), other
    categories none; a 重点领域 item names its field; 失效/废止 carry their date, 有效 none; the
    dates are not in the future."""
    found: list[Violation] = []
    if not fields.title.strip():
        found.append(Violation("title", _("请输入标题")))
    elif len(fields.title) > TITLE_MAX:
        found.append(Violation("title", _("标题不能超过200个字")))
    if fields.category == "policy" and not fields.policy_kind:
        found.append(Violation("policy_kind", _("请选择政策文件的类别")))
    if fields.category != "policy" and fields.policy_kind:
        found.append(Violation("policy_kind", _("只有政策文件选择文件类别")))
    if fields.category == "key_areas" and not fields.key_area.strip():
        found.append(Violation("key_area", _("请输入重点领域子目录，例如食品药品监管")))
    if fields.validity != "valid" and fields.validity_changed_on is None:
        found.append(Violation("validity_changed_on", _("请输入失效或废止日期")))
    for name, value, label in (
        ("written_on", fields.written_on, _("成文日期")),
        ("changed_on", fields.changed_on, _("信息形成或变更日期")),
        ("validity_changed_on", fields.validity_changed_on, _("失效或废止日期")),
    ):
        if value is not None and value > today:
            found.append(Violation(name, _("%(label)s须不晚于今天") % {"label": label}))
    return found


@dataclass(frozen=True)
class Finding:
    """One thing the gate found: where (标题, 正文, an attachment's name), what (身份证号码, a
    sensitive word), the value as shown (masked for personal data) and whether it blocks."""

    source: str
    kind: str
    shown: str
    blocks: bool


def fingerprint(findings: list[Finding]) -> str:
    """The blocking findings as one value: a justification covers exactly these; a new or changed
    finding needs a new one."""
    text = "\n".join(sorted(f"{f.source}|{f.kind}|{f.shown}" for f in findings if f.blocks))
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def is_blocked(findings: list[Finding], justified_fingerprint: str) -> bool:
    """Blocked while a blocking finding is neither masked (gone from the text) nor justified."""
    current = fingerprint(findings)
    return bool(current) and current != justified_fingerprint


ON_TIME, LATE, DUE_SOON, OVERDUE, PENDING = "on_time", "late", "due_soon", "overdue", "pending"


def timeliness(*, due: dt.date, published_on: dt.date | None, today: dt.date, soon_from: dt.date) -> str:
    """Published: on time (by the due date) or late. Not published: overdue once the due date has
    passed, due soon from ``soon_from`` (a few working days before), else pending."""
    if published_on is not None:
        return ON_TIME if published_on <= due else LATE
    if today > due:
        return OVERDUE
    if today >= soon_from:
        return DUE_SOON
    return PENDING
