"""Personal data found in free text, and text with it masked (pure functions, no ORM).

Used wherever text written by staff or the public is about to be shown to others: the PII gate
before a disclosure is published (T-I2), the redaction of files released on a disclosure request,
the 12345 public board. What counts as found:

- a GB 11643 resident ID with a valid check character (18 characters; 17 digits and a digit or X);
- a GB 32100 unified social credit code with a valid check character;
- a mainland mobile number (11 digits from 13–19);
- a bank card number (16–19 digits passing the Luhn check);
- a landline with its area code (0 + 2–3 digits, a dash, 7–8 digits).

A number is matched only when it is not part of a longer run of digits, so a 19-digit card number is
never also reported as a mobile number. Text is bounded before any expression runs (T-K3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tongban.core.identifiers import is_valid_resident_id, is_valid_uscc

# Longer text is refused by the callers' forms long before this; here it only bounds the work.
MAX_SCANNED_CHARS = 2_000_000

RESIDENT_ID = "resident_id"
USCC = "uscc"
MOBILE = "mobile"
BANK_CARD = "bank_card"
LANDLINE = "landline"
NAME = "name"  # given by a handler (a redaction rule), never guessed

KIND_LABELS = {
    RESIDENT_ID: "身份证号码",
    USCC: "统一社会信用代码",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    LANDLINE: "固定电话",
    NAME: "姓名",
}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (RESIDENT_ID, re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")),
    (
        USCC,
        re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}(?![0-9A-Za-z])"),
    ),
    (BANK_CARD, re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")),
    (MOBILE, re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")),
    (LANDLINE, re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])")),
)


@dataclass(frozen=True)
class PiiFinding:
    kind: str
    start: int
    end: int
    value: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def masked(self) -> str:
        return mask(self.value, kind=self.kind)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _is_real(kind: str, value: str) -> bool:
    if kind == RESIDENT_ID:
        return is_valid_resident_id(value.upper())
    if kind == USCC:
        return is_valid_uscc(value) and not value.isdigit()
    if kind == BANK_CARD:
        return _luhn_ok(value)
    return True


def find_personal_data(text: str) -> list[PiiFinding]:
    """Every piece of personal data in ``text``, in reading order, none overlapping another.

    Earlier kinds win an overlap (a valid resident ID is not also a bank card number)."""
    text = text[:MAX_SCANNED_CHARS]
    found: list[PiiFinding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if _is_real(kind, match.group()):
                found.append(PiiFinding(kind, start, end, match.group()))
                taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def find_terms(text: str, terms: Iterable[str], *, kind: str = NAME) -> list[PiiFinding]:
    """Each occurrence of the given terms (names a handler asked to redact), longest term first."""
    text = text[:MAX_SCANNED_CHARS]
    found: list[PiiFinding] = []
    taken: list[tuple[int, int]] = []
    for term in sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True):
        for match in re.finditer(re.escape(term), text):
            start, end = match.span()
            if not any(start < t_end and t_start < end for t_start, t_end in taken):
                found.append(PiiFinding(kind, start, end, term))
                taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def mask(value: str, *, kind: str) -> str:
    """How a finding is shown once masked (UX.md): keep enough to recognise, never enough to use.

    - resident ID, USCC, bank card: the first 4 and last 4 characters;
    - mobile: 138****5678; landline: the area code;
    - a name: its first character, then ＊ for each other character."""
    if kind in (RESIDENT_ID, USCC, BANK_CARD):
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
    if kind == MOBILE:
        return f"{value[:3]}****{value[-4:]}"
    if kind == LANDLINE:
        area, _, number = value.partition("-")
        return f"{area}-{'*' * len(number)}"
    return value[:1] + "＊" * (len(value) - 1)


def apply_masks(text: str, findings: Iterable[PiiFinding], *, replacement: str | None = None) -> str:
    """``text`` with each finding replaced by its mask, or by ``replacement`` when given (a
    redaction: e.g. "[已删除]"). Findings must come from this very text."""
    pieces: list[str] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < cursor:
            continue
        pieces.append(text[cursor : finding.start])
        pieces.append(finding.masked if replacement is None else replacement)
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def mask_personal_data(text: str) -> str:
    """``text`` with every piece of personal data masked (the public board, previews)."""
    return apply_masks(text, find_personal_data(text))
