"""Step kinds (环节类型) as data: the ``step`` property names a ``StepKind`` row, whose ``meaning``
says what an application's task page does at it (受理/审查/决定/办结/送达, or nothing).

The seeded kinds keep their meaning in code too (``BUILTIN_MEANINGS``): application handling asks
``step_meaning`` on every task page, which answers those without a query, and a flushed test database
still knows them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tongban.workflow.models import StepKind

BUILTIN_KINDS = {
    "accept": (gettext_lazy("受理"), "accept"),
    "review": (gettext_lazy("审查"), "review"),
    "decide": (gettext_lazy("决定"), "decide"),
    "close": (gettext_lazy("办结"), "close"),
    "deliver": (gettext_lazy("送达"), "deliver"),
    # Internal requests (内部事项): 同意 / 不同意 with an opinion; no meaning for a citizen's case.
    "approve": (gettext_lazy("审批"), ""),
}
BUILTIN_MEANINGS = {code: meaning for code, (_name, meaning) in BUILTIN_KINDS.items()}


def step_kinds() -> dict[str, tuple[str, str]]:
    """Every step kind: code -> (name, meaning), built-in first (one query)."""
    kinds = {code: (str(name), meaning) for code, (name, meaning) in BUILTIN_KINDS.items()}
    for code, name, meaning in StepKind.objects.values_list("code", "name", "meaning"):
        # A built-in kind may be renamed, never given another meaning.
        kinds[code] = (name, BUILTIN_MEANINGS.get(code, meaning))
    return kinds


def step_meaning(code: str) -> str:
    """What an application's task page does at a step of kind ``code``: accept, review, decide, close,
    deliver, or "" (none, or an unknown kind)."""
    if code in BUILTIN_MEANINGS:
        return BUILTIN_MEANINGS[code]
    return StepKind.objects.filter(code=code).values_list("meaning", flat=True).first() or ""
