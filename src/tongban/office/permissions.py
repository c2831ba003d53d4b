"""Per-step field permissions (step property ``field_permissions``, docs/process-models.md):
``field:editable,field:hidden,…``; a field not listed is read-only at that step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EDITABLE, HIDDEN, READ_ONLY = "editable", "hidden", "readonly"


@dataclass(frozen=True)
class FieldPermissions:
    editable: frozenset[str]
    hidden: frozenset[str]

    def of(self, field: str) -> str:
        if field in self.hidden:
            return HIDDEN
        return EDITABLE if field in self.editable else READ_ONLY


def field_permissions(properties: dict[str, str]) -> FieldPermissions:
    """The step's permissions by top-level field name (unknown words leave the field read-only)."""
    editable, hidden = set(), set()
    for part in properties.get("field_permissions", "").split(","):
        name, _sep, mode = part.strip().partition(":")
        if mode.strip() == EDITABLE:
            editable.add(name.strip())
        elif mode.strip() == HIDDEN:
            hidden.add(name.strip())
    return FieldPermissions(editable=frozenset(editable - hidden), hidden=frozenset(hidden))


def posted_fields(keys: Iterable[str], fields: Iterable[str]) -> set[str]:
    """The form fields a POST carries: a control is named ``field`` or ``field-part`` (dates, groups;
    field names never contain "-")."""
    known = set(fields)
    return {key.split("-", 1)[0] for key in keys} & known
