"""明细表 (kind ``rows``): reading the table's rows from a POST, with the 增加一行 and 删除 buttons.

The page posts ``<name>-count`` (how many rows it showed) and each cell as ``<name>-<row>-<column>``;
the buttons post ``<name>-add`` or ``<name>-remove`` (the row's index). A button press is an edit of
the table, not a submission: the page comes back with the rows changed and no error shown, which is
how rows are added and removed without JavaScript.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict

from tongban.schemaforms.cleaning import DATE_PARTS, read_raw
from tongban.schemaforms.spec import FieldSpec


def cell_spec(rows: FieldSpec, index: int, column: FieldSpec) -> FieldSpec:
    """A column in one row: its POST name and control id carry the row index ("items-0-price")."""
    return dataclasses.replace(column, path=f"{rows.path}.{index}.{column.key}")


def blank_raw(column: FieldSpec) -> Any:
    if column.widget == "date3":
        return dict.fromkeys(DATE_PARTS, "")
    if column.widget == "checkbox":
        return False
    return ""


def is_blank(column: FieldSpec, raw: Any) -> bool:
    if column.product_of:
        return True
    if isinstance(raw, dict):
        return not any(part.strip() for part in raw.values())
    if isinstance(raw, bool):
        return not raw
    return not str(raw).strip()


def read_rows(spec: FieldSpec, data: MultiValueDict) -> tuple[list[dict[str, Any]], str, int | None]:
    """The rows as posted (raw cell values by column key), after the button pressed, if any.

    Returns (rows, action, changed index): action is "" (a submission), "add" or "remove"; the index
    is the added row's, or the removed row's old position.
    """
    try:
        count = int(str(data.get(f"{spec.name}-count", "0")))
    except ValueError:
        count = 0
    count = max(0, min(count, spec.max_items))  # never more rows than the definition allows (T-K3)
    rows = [
        {column.key: read_raw(cell_spec(spec, i, column), data) for column in spec.children}
        for i in range(count)
    ]
    if f"{spec.name}-add" in data:
        if len(rows) < spec.max_items:
            rows.append({column.key: blank_raw(column) for column in spec.children})
        return rows, "add", len(rows) - 1
    removed = data.get(f"{spec.name}-remove")
    if removed is not None:
        try:
            index = int(str(removed))
        except ValueError:
            index = -1
        if 0 <= index < len(rows):
            del rows[index]
        return rows, "remove", index
    return rows, "", None


def shown_rows(spec: FieldSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At least ``minItems`` rows and at least one, so that there is always a row to fill."""
    wanted = max(spec.min_items, 1)
    return rows + [
        {column.key: blank_raw(column) for column in spec.children} for _ in range(wanted - len(rows))
    ]


def initial_rows(spec: FieldSpec, answer: Any) -> list[Mapping[str, Any]]:
    if not isinstance(answer, list):
        return []
    return [row for row in answer if isinstance(row, Mapping)][: spec.max_items]
