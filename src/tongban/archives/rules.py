"""Rules of DA/T 22-2015 (归档文件整理规则) and DA/T 70-2018 (四性检测) as pure functions: the 档号, the
件号 sequence, the file formats an archive holds and the metadata each 件 keeps (STANDARDS §12)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# 档案门类代码: 文书 (DA/T 22 §6.1.2).
CATEGORY_DOCUMENTS = "WS"
ITEM_NUMBER_DIGITS = 4

# The 15 文种 of 党政机关公文处理工作条例 (STANDARDS §11), as the retention schedule names them.
DOCUMENT_KINDS = (
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
)

_FONDS = r"[A-Z0-9]{1,8}"
_ORGANISATION = r"[A-Z0-9]{1,8}"
ORGANISATION_CODE_PATTERN = rf"^{_ORGANISATION}$"
FONDS_CODE_PATTERN = rf"^{_FONDS}$"
_ARCHIVAL_CODE = re.compile(
    rf"^(?P<fonds>{_FONDS})-(?P<category>[A-Z]{{1,4}})·(?P<year>\d{{4}})-(?P<retention>Y|D30|D10)"
    rf"-(?P<organisation>{_ORGANISATION})-(?P<item>\d{{{ITEM_NUMBER_DIGITS},}})$"
)


@dataclass(frozen=True)
class ArchivalCodeParts:
    fonds_code: str
    category: str
    year: int
    retention: str
    organisation_code: str
    item_number: int


def format_archival_code(
    *, fonds_code: str, category: str, year: int, retention: str, organisation_code: str, item_number: int
) -> str:
    """档号 (DA/T 22 §8.2): 全宗号-门类代码·年度-保管期限代码-机构（问题）代码-件号, the 件号 with four
    digits at least: Z001-WS·2026-D30-BGS-0012."""
    code = (
        f"{fonds_code}-{category}·{year}-{retention}-{organisation_code}-{item_number:0{ITEM_NUMBER_DIGITS}d}"
    )
    if item_number < 1 or parse_archival_code(code) is None:
        raise ValueError(f"档号不符合 DA/T 22: {code!r}")
    return code


def parse_archival_code(code: str) -> ArchivalCodeParts | None:
    match = _ARCHIVAL_CODE.match(code)
    if match is None:
        return None
    return ArchivalCodeParts(
        fonds_code=match["fonds"],
        category=match["category"],
        year=int(match["year"]),
        retention=match["retention"],
        organisation_code=match["organisation"],
        item_number=int(match["item"]),
    )


def missing_item_numbers(numbers: Iterable[int]) -> list[int]:
    """The 件号 missing from 1 to the highest one held (DA/T 22: 件号 run without gaps)."""
    held = set(numbers)
    return [n for n in range(1, max(held, default=0) + 1) if n not in held]


# The formats an archive 件 may hold (GB/T 18894: formats fit for long-term keeping), with the bytes
# each starts with. Anything else, and any executable, fails the security check.
ARCHIVE_FORMATS = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".html": "text/html",
    ".png": "image/png",
}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")


def format_of(name: str) -> str | None:
    """The MIME type of an archive file by its name, None for a type an archive does not hold."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return ARCHIVE_FORMATS.get(suffix)


def content_problem(name: str, data: bytes) -> str | None:
    """Why ``data`` is not what its name says (a security problem), or None."""
    kind = format_of(name)
    if kind is None:
        return f"不允许的文件类型：{name}"
    if data.startswith(_EXECUTABLE_MAGIC):
        return f"文件含有可执行内容：{name}"
    if kind == "application/pdf" and not data.startswith(b"%PDF-"):
        return f"文件内容不是 PDF：{name}"
    if kind == "image/png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"文件内容不是 PNG：{name}"
    return None


# The metadata every electronic record keeps (STANDARDS §12, GB/T 18894 / DA/T 46): the record's own
# fields, and the 办理过程 in its metadata.
REQUIRED_FIELDS = ("title", "responsible", "date", "retention", "archival_code")
REQUIRED_METADATA = ("process",)


def missing_metadata(fields: dict[str, object], metadata: dict[str, object]) -> list[str]:
    """The required metadata a record lacks (empty counts as missing)."""
    missing = [name for name in REQUIRED_FIELDS if fields.get(name) in (None, "")]
    missing += [f"metadata.{name}" for name in REQUIRED_METADATA if name not in metadata]
    return missing


@dataclass(frozen=True)
class RetentionRuleRow:
    """One row of the 归档范围与保管期限表 as the matcher reads it."""

    kind: str  # a 文种 name, "" for any
    source: str  # "outgoing", "incoming", "" for both
    title_contains: str  # "" for any title
    retention: str


DEFAULT_RETENTION = "D10"


def matching_retention(rows: Iterable[RetentionRuleRow], *, kind: str, source: str, title: str) -> str:
    """The 保管期限 of the first row (in table order) that matches the record; 定期10年 when none does
    (the 保管期限表's 一般文件材料)."""
    for row in rows:
        if row.kind and row.kind != kind:
            continue
        if row.source and row.source != source:
            continue
        if row.title_contains and row.title_contains not in title:
            continue
        return row.retention
    return DEFAULT_RETENTION
