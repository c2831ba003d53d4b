"""What the server works out rather than reads from a POST: x-when conditions, per-row products
(x-product) and totals (x-sum). Money is added in Decimal and rounded to fen (2 places, half up);
answers stay JSON numbers (an int when whole)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from tongban.schemaforms.spec import Condition, FieldSpec

FEN = Decimal("0.01")


def decimal_of(value: Any) -> Decimal | None:
    """A JSON number as a Decimal, exactly as written (repr, never the binary float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def as_answer(number: Decimal) -> int | float:
    """A computed amount as a JSON answer: whole amounts as int, others rounded to fen."""
    if number == number.to_integral_value():
        return int(number)
    return float(number.quantize(FEN, rounding=ROUND_HALF_UP))


def money_text(value: Any, *, integer: bool = False) -> str:
    """12,345.60 (or 12,345 for a count) as totals are shown."""
    number = decimal_of(value)
    if number is None:
        return ""
    if integer:
        return f"{number:,.0f}"
    return f"{number.quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"


def product(row: Mapping[str, Any], column: FieldSpec) -> int | float | None:
    factors = [decimal_of(row.get(key)) for key in column.product_of]
    if len(factors) != 2 or factors[0] is None or factors[1] is None:
        return None
    return as_answer(factors[0] * factors[1])


def total(rows: Iterable[Mapping[str, Any]], column_key: str) -> int | float:
    amount = sum((decimal_of(row.get(column_key)) or Decimal(0) for row in rows), Decimal(0))
    return as_answer(amount)


def holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether a field with this x-when is asked, given the answers so far. An unanswered (or hidden)
    field satisfies no condition."""
    answer = answers.get(condition.field)
    if answer is None:
        return False
    op, expected = condition.op, condition.value
    if op == "in":
        assert isinstance(expected, tuple)
        return any(_equal(answer, value) for value in expected)
    if op == "equals":
        return _equal(answer, expected)
    if op == "not_equals":
        return not _equal(answer, expected)
    left, right = _ordered(answer), _ordered(expected)
    if left is None or right is None or type(left) is not type(right):
        return False
    return {
        "gt": left > right,  # type: ignore[operator]
        "gte": left >= right,  # type: ignore[operator]
        "lt": left < right,  # type: ignore[operator]
        "lte": left <= right,  # type: ignore[operator]
    }[op]


def _equal(answer: Any, value: Any) -> bool:
    if isinstance(answer, bool) or isinstance(value, bool):
        return answer is value
    left, right = decimal_of(answer), decimal_of(value)
    if left is not None and right is not None:
        return left == right
    return answer == value


def _ordered(value: Any) -> Decimal | dt.date | None:
    number = decimal_of(value)
    if number is not None:
        return number
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


_NUMBER_WORDS = {"gt": "大于", "gte": "大于或等于", "lt": "小于", "lte": "小于或等于"}
_DATE_WORDS = {"gt": "晚于", "gte": "不早于", "lt": "早于", "lte": "不晚于"}


def condition_hint(condition: Condition, other: FieldSpec) -> str:
    """«仅当“请假类型”为“病假”时填写»: what the page says beside a conditional field (shown without
    JavaScript, where the field cannot hide)."""
    labels = dict(other.options)

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if other.kind == "date" and isinstance(value, str):
            date = dt.date.fromisoformat(value)
            return _("%(year)s年%(month)s月%(day)s日") % {
                "year": date.year,
                "month": date.month,
                "day": date.day,
            }
        if isinstance(value, str):
            return labels.get(value, value)
        return money_text(value, integer=isinstance(value, int)).replace(",", "")

    op, value = condition.op, condition.value
    if op == "in":
        assert isinstance(value, tuple)
        said = _("为%(values)s") % {"values": _("或").join(f"“{shown(v)}”" for v in value)}
    elif op == "equals":
        said = _("为“%(value)s”") % {"value": shown(value)}
    elif op == "not_equals":
        said = _("不为“%(value)s”") % {"value": shown(value)}
    else:
        words = _DATE_WORDS if other.kind == "date" else _NUMBER_WORDS
        said = f"{_(words[op])}{shown(value)}"
    return _("仅当“%(label)s”%(condition)s时填写") % {"label": other.label, "condition": said}


def condition_json(condition: Condition) -> str:
    """The condition for the page's script (data-when)."""
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    return json.dumps({"field": condition.field, "op": condition.op, "value": value}, ensure_ascii=False)
