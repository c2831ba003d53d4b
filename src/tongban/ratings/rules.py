"""Which step of a 差评整改 comes next (pure: no ORM)."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    REPLY = "reply"  # 整改情况
    FOLLOW_UP = "follow_up"  # 回访
    CLOSE = "close"  # 办结


def next_steps(status: str, latest_follow_up: str | None) -> frozenset[Step]:
    """The steps a handler may take now.

    待整改 → 整改情况; 待回访 → 回访 (every bad rating is by a real-name account: 100 % follow-up,
    STANDARDS.md §3, so nothing closes without one); 待办结 → 办结, or, when the rater was not
    satisfied at the 回访, 整改情况 again (再次整改); 已办结 → nothing.
    """
    if status == "open":
        return frozenset({Step.REPLY})
    if status == "replied":
        return frozenset({Step.FOLLOW_UP})
    if status == "followed_up":
        return frozenset({Step.CLOSE, Step.REPLY} if latest_follow_up == "dissatisfied" else {Step.CLOSE})
    return frozenset()
