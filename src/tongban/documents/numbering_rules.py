"""The 发文字号 (文号) of GB/T 9704-2012 §7.2.4 as a pure rule: 机关代字, the year in 六角括号 〔〕 and the
sequence number without leading zeros or 第, then 号: 云州府办〔2026〕12号."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = r"[\u4e00-\u9fff]{1,20}"
_NUMBER = re.compile(rf"^(?P<code>{_CODE})〔(?P<year>\d{{4}})〕(?P<sequence>[1-9]\d*)号$")


@dataclass(frozen=True)
class DocumentNumberParts:
    code: str  # 机关代字
    year: int
    sequence: int


def format_document_number(code: str, year: int, sequence: int) -> str:
    """云州府办〔2026〕12号. Refuses (ValueError) a 代字 that is not Chinese, a year that is not four digits
    and a sequence below 1."""
    if not re.fullmatch(_CODE, code):
        raise ValueError(f"机关代字只能是汉字: {code!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"年份应为四位数字: {year!r}")
    if sequence < 1:
        raise ValueError(f"序号从1开始: {sequence!r}")
    return f"{code}〔{year}〕{sequence}号"


def parse_document_number(text: str) -> DocumentNumberParts | None:
    """The parts of a 文号 written to the standard, None for anything else (leading zeros, 第, other
    brackets such as [ ] or 〔〕 written as （ ）)."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    return DocumentNumberParts(code=match["code"], year=int(match["year"]), sequence=int(match["sequence"]))
