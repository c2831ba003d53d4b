"""Reading one field's answer from a POST and checking it, with the messages UX.md asks for: an
instruction when empty (请输入姓名), a description when a rule is broken (身份证号码应为18位).

Every check measures the length first and no text reaches a regular expression before it is known
to be at most ``maxLength`` long (T-K3). Identifiers and numbers are checked without any.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tongban.core.identifiers import (
    USCC_ALPHABET,
    is_valid_resident_id,
    is_valid_uscc,
    resident_id_check_char,
)
from tongban.schemaforms.spec import FieldSpec

DATE_PARTS = ("year", "month", "day")
NUMBER_MAX_CHARS = 20
# Control characters never belong in an answer; NUL would also be refused by PostgreSQL's jsonb.
_ONE_LINE = {**dict.fromkeys([*range(32), 127]), ord("\t"): " "}
_MULTI_LINE = {code: new for code, new in _ONE_LINE.items() if code != ord("\n")}
_COMPACTED_FORMATS = ("phone", "resident_id", "uscc")


@dataclass(frozen=True)
class Checked:
    """The JSON answer (None when unanswered or refused) and the message if refused. ``bad_parts``
    names the date parts at fault, in order; the error summary links to the first."""

    value: Any = None
    error: str = ""
    bad_parts: tuple[str, ...] = ()


def read_raw(spec: FieldSpec, data: MultiValueDict) -> Any:
    """What was posted for the field, as its widget shows it again on error."""
    if spec.widget == "date3":
        return {part: _text(data.get(f"{spec.name}-{part}")) for part in DATE_PARTS}
    if spec.widget == "checkboxes":
        return [_text(value) for value in data.getlist(spec.name)]
    if spec.widget == "checkbox":
        return _text(data.get(spec.name)) == "yes"
    return _text(data.get(spec.name))


def check(spec: FieldSpec, raw: Any, *, today: dt.date) -> Checked:
    if spec.kind == "text":
        return _check_text(spec, raw, today=today)
    if spec.kind == "date":
        return _check_date(spec, raw, today=today)
    if spec.kind in ("integer", "number"):
        return _check_number(spec, raw)
    if spec.kind == "choices":
        return _check_choices(spec, raw)
    if spec.widget == "checkbox":
        if spec.required and not raw:
            return Checked(error=_("请勾选“%(label)s”") % {"label": spec.label})
        return Checked(value=raw)
    return _check_choice(spec, raw)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _missing(spec: FieldSpec) -> Checked:
    if not spec.required:
        return Checked()
    if spec.kind in ("text", "date", "integer", "number"):
        return Checked(error=_("请输入%(label)s") % {"label": spec.label})
    return Checked(error=_("请选择%(label)s") % {"label": spec.label})


def _tidy(raw: str, *, multiline: bool = False) -> str:
    value = raw.replace("\r\n", "\n").replace("\r", "\n") if multiline else raw
    return value.translate(_MULTI_LINE if multiline else _ONE_LINE).strip()


def _compact(value: str, fmt: str) -> str:
    """Identifiers and phone numbers as people type them: full-width digits, spaces, hyphens, +86."""
    value = unicodedata.normalize("NFKC", value).replace(" ", "").replace("-", "").upper()
    if fmt == "phone" and value.startswith("+86"):
        value = value[3:]
    return value


def _check_text(spec: FieldSpec, raw: str, *, today: dt.date) -> Checked:
    value = _tidy(raw, multiline=spec.widget == "textarea")
    if spec.format in _COMPACTED_FORMATS:
        value = _compact(value, spec.format)
    if not value:
        return _missing(spec)
    label = spec.label
    if spec.format == "resident_id":
        return Checked(value=value, error=_resident_id_problem(label, value, today=today))
    if spec.format == "uscc":
        return Checked(value=value, error=_uscc_problem(label, value))
    if spec.format == "phone":
        return Checked(value=value, error=_phone_problem(label, value))

    if spec.min_length == spec.max_length and len(value) != spec.max_length:
        return Checked(error=_("%(label)s须为%(n)s个字") % {"label": label, "n": spec.max_length})
    if len(value) > spec.max_length:
        return Checked(error=_("%(label)s须少于或等于%(n)s个字") % {"label": label, "n": spec.max_length})
    if len(value) < spec.min_length:
        return Checked(error=_("%(label)s须多于或等于%(n)s个字") % {"label": label, "n": spec.min_length})
    # Only now, with the length bounded, may a pattern run (T-K3).
    if spec.format == "email":
        try:
            validate_email(value)
        except ValidationError:
            return Checked(error=_("请输入正确的%(label)s，如 name@example.com") % {"label": label})
    if spec.pattern and re.search(spec.pattern, value, re.ASCII) is None:
        return Checked(error=spec.pattern_message)
    return Checked(value=value)


def _resident_id_problem(label: str, value: str, *, today: dt.date) -> str:
    if len(value) != 18:
        return _("%(label)s应为18位") % {"label": label}
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        return _("%(label)s的前17位须为数字，最后一位为数字或字母X") % {"label": label}
    if resident_id_check_char(value[:17]) != value[17]:
        return _("%(label)s的校验位不正确，请核对") % {"label": label}
    if not is_valid_resident_id(value, today=today):
        return _("%(label)s中的出生日期不正确，请核对") % {"label": label}
    return ""


def _uscc_problem(label: str, value: str) -> str:
    if len(value) != 18:
        return _("%(label)s应为18位") % {"label": label}
    if any(c not in USCC_ALPHABET for c in value):
        return _("%(label)s只能包含数字和大写英文字母（不含 I、O、S、V、Z）") % {"label": label}
    if not is_valid_uscc(value):
        return _("%(label)s的校验位不正确，请核对") % {"label": label}
    return ""


def _phone_problem(label: str, value: str) -> str:
    if len(value) != 11 or not (value.isascii() and value.isdigit()):
        return _("%(label)s应为11位数字") % {"label": label}
    if value[0] != "1" or value[1] not in "3456789":
        return _("请输入正确的%(label)s，如 13800138000") % {"label": label}
    return ""


def _check_date(spec: FieldSpec, raw: dict[str, str], *, today: dt.date) -> Checked:
    parts = {part: unicodedata.normalize("NFKC", _tidy(raw[part])) for part in DATE_PARTS}
    missing = tuple(part for part in DATE_PARTS if not parts[part])
    if len(missing) == len(DATE_PARTS):
        return _missing(spec)
    label = spec.label
    if missing:
        names = {"year": _("年"), "month": _("月"), "day": _("日")}
        listed = _("和").join(names[part] for part in missing)
        return Checked(
            error=_("%(label)s须包含%(parts)s") % {"label": label, "parts": listed}, bad_parts=missing
        )
    widths = {"year": 4, "month": 2, "day": 2}
    not_numbers = tuple(
        part
        for part in DATE_PARTS
        if len(parts[part]) > widths[part] or not (parts[part].isascii() and parts[part].isdigit())
    )
    if not_numbers:
        return Checked(error=_("%(label)s须为真实的日期") % {"label": label}, bad_parts=not_numbers)
    if len(parts["year"]) != 4:
        return Checked(error=_("%(label)s的年份须为4位数字") % {"label": label}, bad_parts=("year",))
    try:
        date = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return Checked(error=_("%(label)s须为真实的日期") % {"label": label}, bad_parts=DATE_PARTS)
    if spec.past_only and date >= today:
        return Checked(error=_("%(label)s须早于今天") % {"label": label}, bad_parts=DATE_PARTS)
    return Checked(value=date.isoformat())


def _check_number(spec: FieldSpec, raw: str) -> Checked:
    value = unicodedata.normalize("NFKC", _tidy(raw)).replace(" ", "")
    if not value:
        return _missing(spec)
    integer = spec.kind == "integer"
    digits = value[1:] if value[0] in "+-" else value
    if not integer:
        digits = digits.replace(".", "", 1)
    # Checked by hand: int() and Decimal() also accept "1_000", "1e5" and "NaN".
    if len(value) > NUMBER_MAX_CHARS or not (digits.isascii() and digits.isdigit()):
        message = _("%(label)s须为整数") if integer else _("%(label)s须为数字")
        return Checked(error=message % {"label": spec.label})
    try:
        number = Decimal(value)
    except InvalidOperation:
        return Checked(error=_("%(label)s须为数字") % {"label": spec.label})
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        return Checked(error=_range_message(spec.label, low, high))
    answer: int | float = int(number) if integer or "." not in value else float(number)
    return Checked(value=answer)


def _range_message(label: str, low: int | float | None, high: int | float | None) -> str:
    if low is not None and high is not None:
        return _("%(label)s须介于 %(min)s 和 %(max)s 之间") % {
            "label": label,
            "min": number_text(low),
            "max": number_text(high),
        }
    if low is not None:
        return _("%(label)s须大于或等于 %(min)s") % {"label": label, "min": number_text(low)}
    return _("%(label)s须小于或等于 %(max)s") % {"label": label, "max": number_text(high)}


def number_text(number: int | float | None) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _check_choice(spec: FieldSpec, raw: str) -> Checked:
    if not raw:
        return _missing(spec)
    if raw not in dict(spec.options):
        # Only a changed page sends a value that is not offered.
        return Checked(error=_("请选择%(label)s") % {"label": spec.label})
    if spec.kind == "boolean":
        return Checked(value=raw == "yes")
    return Checked(value=raw)


def _check_choices(spec: FieldSpec, raw: list[str]) -> Checked:
    offered = dict(spec.options)
    if any(value not in offered for value in raw):
        return Checked(error=_("请选择%(label)s") % {"label": spec.label})
    chosen = [value for value in offered if value in raw]
    if not chosen:
        return _missing(spec)
    return Checked(value=chosen)
