"""会签 modes: when a step signed by several people is decided, from their signatures alone.

A step names its mode in the model (``countersign`` property):
- ``all`` 会签: everyone must agree; the first 不同意 rejects the step at once.
- ``any`` 或签: the first signature decides, 同意 or 不同意 (as in the common Chinese approval apps).
- ``sequential`` 依次: one after another in order; the first 不同意 rejects, the last 同意 approves.
- ``ratio`` 比例: approved once the share of 同意 reaches ``countersign_ratio`` (e.g. ``2/3``) of all
  signers; rejected as soon as that share can no longer be reached.
Signers added (加签) or removed (减签) change the total, so the outcome is recomputed each time.
"""

from __future__ import annotations

import math
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _


class Mode(StrEnum):
    ALL = "all"
    ANY = "any"
    SEQUENTIAL = "sequential"
    RATIO = "ratio"


MODE_LABELS = {
    Mode.ALL: _("会签（全部同意）"),
    Mode.ANY: _("或签（一人决定）"),
    Mode.SEQUENTIAL: _("依次签署"),
    Mode.RATIO: _("按比例通过"),
}


def parse_ratio(text: str) -> Fraction:
    """``2/3``, ``0.6`` or ``60%`` as a fraction in (0, 1]; ValueError otherwise."""
    text = text.strip()
    try:
        value = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(text) from exc
    if not 0 < value <= 1:
        raise ValueError(text)
    return value


def needed(ratio: Fraction, total: int) -> int:
    """How many 同意 a ratio step needs out of ``total`` signers."""
    return max(1, math.ceil(ratio * total))


def outcome(
    mode: Mode, *, approvals: int, rejections: int, total: int, ratio: Fraction | None = None
) -> bool | None:
    """True when the step is approved, False when rejected, None while it is undecided."""
    if total <= 0:
        return None
    if mode in (Mode.ALL, Mode.SEQUENTIAL):
        if rejections:
            return False
        return True if approvals >= total else None
    if mode == Mode.ANY:
        if approvals or rejections:
            return approvals > 0
        return None
    required = needed(ratio or Fraction(1), total)
    if approvals >= required:
        return True
    if rejections > total - required:
        return False
    return None
