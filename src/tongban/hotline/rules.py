"""12345 rules that need no database: the transition table, 办理期限 from a time limit, the 督办
warning, on-time signing, and the text similarity behind 并单 suggestions."""

from __future__ import annotations

import datetime as dt

from tongban.core.calendar import CHINA_TZ, add_working_days
from tongban.core.deadlines import Level, warning_level

# action -> (states it may start from, the state it leaves). Services check every action here.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({"submitted"}), "accepted"),  # 受理
    "dispatch": (frozenset({"accepted", "returned"}), "dispatched"),  # 派单
    "redispatch": (frozenset({"dispatched", "handling"}), "dispatched"),  # 改派
    "sign": (frozenset({"dispatched"}), "handling"),  # 签收
    "return": (frozenset({"dispatched"}), "returned"),  # 退单
    "reply": (frozenset({"handling"}), "replied"),  # 回复
    "close": (frozenset({"replied"}), "closed"),  # 办结 (审核通过)
    "send_back": (frozenset({"replied"}), "handling"),  # 审核退回
    "follow_up": (frozenset({"closed"}), "followed_up"),  # 回访
    "rate": (frozenset({"closed", "followed_up"}), "rated"),  # 评价
    "merge": (frozenset({"submitted", "accepted", "returned", "dispatched"}), "merged"),  # 并单
    "request_extension": (frozenset({"handling"}), None),  # 申请延期
    "decide_extension": (frozenset({"handling"}), None),  # 延期审批
    "supervise": (frozenset({"dispatched", "handling", "replied"}), None),  # 督办
}

OPEN_STATES = frozenset({"dispatched", "handling"})  # the department's clock runs
PUBLISHED_STATES = frozenset({"closed", "followed_up", "rated"})

# 按时签收: a department signs for an order within this time of its 派单.
SIGN_WITHIN = dt.timedelta(hours=24)
MAX_EXTENSION_DAYS = 30
DUPLICATE_WINDOW_DAYS = 30
DUPLICATE_MIN_SCORE = 0.2
SAME_REGION_BOOST = 0.1
SAME_ADDRESS_BOOST = 0.3


def may(action: str, state: str) -> bool:
    allowed, _target = TRANSITIONS[action]
    return state in allowed


def target(action: str) -> str | None:
    return TRANSITIONS[action][1]


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 Beijing time of ``day``: a working-day limit ends with the day."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA_TZ)


def due_at(start: dt.datetime, *, amount: int, unit: str) -> dt.datetime:
    """办理期限: ``amount`` natural hours after ``start``, or the end of the ``amount``-th working day
    after it (core.calendar: weekends and holidays do not count; 调休 working days do)."""
    if unit == "hours":
        return start + dt.timedelta(hours=amount)
    return end_of_day(add_working_days(start, amount))


def extended_due_at(due: dt.datetime, days: int) -> dt.datetime:
    """延期: the due date moves by ``days`` working days."""
    return end_of_day(add_working_days(due, days))


def warning(*, start: dt.datetime | None, due: dt.datetime | None, now: dt.datetime) -> str:
    """ "red" once past the due time; "yellow" near it (core.deadlines.warning_level over working
    days; for an hours limit, the same share of its natural time); "" otherwise."""
    if start is None or due is None:
        return ""
    if now > due:
        return "red"
    if due - start <= dt.timedelta(days=2):
        from django.conf import settings

        used = (now - start) / (due - start) if due > start else 1
        return "yellow" if used * 100 >= settings.TONGBAN_WARNING_PERCENT else ""
    today = now.astimezone(CHINA_TZ).date()
    level = warning_level(start=start, due=due.astimezone(CHINA_TZ).date(), today=today)
    return "yellow" if level == Level.YELLOW else ""


def signed_on_time(dispatched_at: dt.datetime | None, signed_at: dt.datetime | None) -> bool:
    return dispatched_at is not None and signed_at is not None and signed_at - dispatched_at <= SIGN_WITHIN


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def token_set(tokens: str) -> set[str]:
    return {t for t in tokens.split() if len(t) >= 2}


def normalized_address(address: str) -> str:
    return "".join(address.split()).replace("号", "").lower()


def duplicate_score(
    *, tokens_a: str, tokens_b: str, same_region: bool, address_a: str, address_b: str
) -> float:
    """Jaccard similarity of the two texts' jieba tokens, boosted by the same region and address."""
    score = jaccard(token_set(tokens_a), token_set(tokens_b))
    if same_region:
        score += SAME_REGION_BOOST
    a, b = normalized_address(address_a), normalized_address(address_b)
    if a and b and (a in b or b in a):
        score += SAME_ADDRESS_BOOST
    return round(score, 4)


def number(day: dt.date, serial: int) -> str:
    return f"12345-{day:%Y%m%d}-{serial:04d}"


# STANDARDS §5's default limits per urgency (the same for every order type); a city edits the table.
DEFAULT_LIMITS: dict[str, tuple[int, str]] = {
    "urgent": (2, "hours"),
    "utility": (24, "hours"),
    "general": (7, "working_days"),
    "complex": (15, "working_days"),
}
