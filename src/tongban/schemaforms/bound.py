"""A field of a SchemaForm as the templates see it: BoundField, its choices, date parts and rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tongban.schemaforms import compute
from tongban.schemaforms.cleaning import DATE_PARTS, number_text
from tongban.schemaforms.spec import FieldSpec
from tongban.schemaforms.types import UploadInfo

TEMPLATES = "schemaforms/widgets"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    id: str
    is_checked: bool


@dataclass(frozen=True)
class DatePart:
    key: str  # year, month, day
    label: str  # 年, 月, 日
    id: str
    name: str
    value: str
    size: int
    autocomplete: str
    is_invalid: bool


@dataclass(frozen=True)
class AnswerSection:
    """Rows of the 核对信息 summary: top-level fields between groups, or one group under its legend."""

    heading: str
    fields: tuple[BoundField, ...]


class BoundField:
    """One field as the templates see it, with what was posted (or the initial answer) and its error.

    ``value`` is what the control shows again: text for inputs, radios and selects, a list for
    checkboxes, True/False for a single checkbox, {"year", "month", "day"} for dates.
    """

    def __init__(
        self,
        spec: FieldSpec,
        *,
        value: Any,
        answer: Any = None,
        error: str = "",
        bad_parts: tuple[str, ...] = (),
        children: tuple[BoundField, ...] = (),
        rows: tuple[Row, ...] = (),
        upload: UploadInfo | None = None,
        is_shown: bool = True,
        when_hint: str = "",
        focus_id: str = "",
        is_count: bool = False,
    ) -> None:
        self.spec = spec
        self.value = value
        self.error = error
        self.children = children
        self.rows = rows  # 明细表: the rows shown, each with its cells
        self.upload = upload  # an attachment: the file kept for it
        self.is_shown = is_shown  # False when its x-when does not hold for the answers
        self.when_hint = when_hint  # «仅当…时填写»
        self.focus_id = focus_id  # 明细表: the control to focus after 增加一行 or 删除
        self.is_count = is_count  # a total of an integer column: shown without fen
        self.viewer_id: int | None = None  # who fills the form (the owner_id of SchemaForm)
        self._answer = answer
        self._bad_parts = bad_parts

    def __repr__(self) -> str:
        return f"<BoundField {self.path}>"

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def help(self) -> str:
        return self.spec.help

    @property
    def widget(self) -> str:
        return self.spec.widget

    @property
    def required(self) -> bool:
        return self.spec.required

    @property
    def id(self) -> str:
        """The id of the field's first control: where the error summary and 修改 links go."""
        base = f"field-{self.name}"
        if self.widget == "rows" and self.rows:
            return self.rows[0].cells[0].id
        return f"{base}--year" if self.widget == "date3" else base

    @property
    def when_id(self) -> str:
        return f"field-{self.name}--when"

    @property
    def when_json(self) -> str:
        return compute.condition_json(self.spec.when) if self.spec.when else ""

    @property
    def is_rows(self) -> bool:
        return self.widget == "rows"

    @property
    def can_add_row(self) -> bool:
        return len(self.rows) < self.spec.max_items

    @property
    def name_prefix(self) -> str:
        """A cell's POST name without its column ("items-0-"), for the script."""
        return self.name[: -len(self.spec.key)]

    @property
    def value_plain(self) -> str:
        """A computed amount for the script: 1234.50, no separators."""
        return compute.money_text(self._answer).replace(",", "") if self._answer is not None else ""

    @property
    def sum_rows_name(self) -> str:
        return self.spec.sum_of.partition(".")[0]

    @property
    def sum_column(self) -> str:
        return self.spec.sum_of.partition(".")[2]

    @property
    def types_id(self) -> str:
        return f"field-{self.name}--types"

    @property
    def kept_id(self) -> str:
        return f"field-{self.name}--kept"

    @property
    def file_described_by(self) -> str:
        ids = [self.types_id]
        if self.upload is not None:
            ids.append(self.kept_id)
        return " ".join([*ids, self.described_by]).strip()

    @property
    def download_url(self) -> str:
        """Where 已上传 links: the uploader's own copy (others see it through their app's views)."""
        if self.upload is None or self.upload.owner_id != self.viewer_id:
            return ""
        return reverse("schemaforms:own-upload", args=[self.upload.id])

    @property
    def accept_attr(self) -> str:
        """The file input's accept: extensions of the field's types."""
        extensions = {"pdf": ".pdf", "jpg": ".jpg,.jpeg", "png": ".png", "ofd": ".ofd"}
        return ",".join(extensions[kind] for kind in self.spec.accept)

    @property
    def accept_text(self) -> str:
        return "、".join(kind.upper() for kind in self.spec.accept)

    @property
    def help_id(self) -> str:
        return f"field-{self.name}--help"

    @property
    def error_id(self) -> str:
        return f"field-{self.name}--error"

    @property
    def error_target(self) -> str:
        """The control to fix: the first date part at fault, else the first control."""
        if self._bad_parts:
            return f"field-{self.name}--{self._bad_parts[0]}"
        return self.id

    @property
    def described_by(self) -> str:
        ids = [self.help_id] if self.help else []
        if self.when_hint:
            ids.append(self.when_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group(self) -> bool:
        return self.widget == "group"

    @property
    def shows_optional(self) -> bool:
        """（选填） after the label. A single checkbox always has an answer (ticked or not)."""
        return (
            not self.required
            and self.widget not in ("checkbox", "group", "total")
            and not self.spec.product_of
        )

    @property
    def template_name(self) -> str:
        return f"{TEMPLATES}/{self.widget}.html"

    @property
    def choices(self) -> list[Choice]:
        chosen = set(self.value) if isinstance(self.value, list) else {self.value}
        return [
            Choice(
                value=value,
                label=label,
                id=self.id if i == 0 else f"{self.id}--{i + 1}",
                is_checked=value in chosen,
            )
            for i, (value, label) in enumerate(self.spec.options)
        ]

    @property
    def date_parts(self) -> list[DatePart]:
        labels = {"year": _("年"), "month": _("月"), "day": _("日")}
        autocomplete = self.spec.autocomplete
        return [
            DatePart(
                key=part,
                label=labels[part],
                id=f"field-{self.name}--{part}",
                name=f"{self.name}-{part}",
                value=self.value.get(part, ""),
                size=4 if part == "year" else 2,
                autocomplete=f"bday-{part}" if autocomplete == "bday" else autocomplete,
                is_invalid=part in self._bad_parts,
            )
            for part in DATE_PARTS
        ]

    @property
    def attrs(self) -> dict[str, str]:
        """Attributes of a text input, textarea or select beyond id, name, value and ARIA."""
        attrs: dict[str, str] = {}
        if self.widget == "text":
            attrs["type"] = {"email": "email", "phone": "tel"}.get(self.spec.format, "text")
            if self.spec.kind == "integer":
                attrs["inputmode"] = "numeric"
            elif self.spec.kind == "number":
                attrs["inputmode"] = "decimal"
            if self.spec.format:
                attrs["spellcheck"] = "false"
        if self.spec.autocomplete:
            attrs["autocomplete"] = self.spec.autocomplete
        return attrs

    @property
    def attrs_html(self) -> SafeString:
        return flatatt(self.attrs)

    @property
    def answer(self) -> str:
        """The answer as the 核对信息 page shows it; "" when there is none."""
        value = self._answer
        if value is None or value == [] or self.is_group:
            return ""
        spec = self.spec
        if spec.kind == "rows":
            return "\n".join(
                _("第%(n)s行：%(cells)s")
                % {
                    "n": row.number,
                    "cells": "；".join(f"{c.label}：{c.answer}" for c in row.cells if c.answer),
                }
                for row in self.rows
                if any(c.answer for c in row.cells)
            )
        if spec.kind == "total" or spec.product_of:
            return compute.money_text(value, integer=self.is_count)
        if spec.kind == "attachment":
            if self.upload is None:
                return ""
            return _("%(name)s（%(size)s）") % {"name": self.upload.name, "size": self.upload.size_text}
        if spec.kind == "boolean":
            labels = dict(spec.options) or {"yes": _("是"), "no": _("否")}
            return labels["yes" if value else "no"]
        if spec.kind in ("choice", "choices"):
            labels = dict(spec.options)
            return "、".join(
                labels.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value])
            )
        if spec.kind == "date":
            try:
                date = dt.date.fromisoformat(str(value))
            except ValueError:
                return str(value)
            return _("%(year)s年%(month)s月%(day)s日") % {
                "year": date.year,
                "month": date.month,
                "day": date.day,
            }
        if spec.kind in ("integer", "number"):
            return number_text(value)
        if spec.format == "resident_id":
            return mask_resident_id(str(value))
        return str(value)


@dataclass(frozen=True)
class Row:
    """One row of a 明细表: ``index`` as posted (0-based), ``number`` as people count (第1行)."""

    index: int
    cells: tuple[BoundField, ...]

    @property
    def number(self) -> int:
        return self.index + 1


def mask_resident_id(value: str) -> str:
    """1101**********1234: an ID number as screens show it (UX.md)."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def shown_value(spec: FieldSpec, value: Any) -> Any:
    """An initial answer as its control shows it (the inverse of cleaning)."""
    if spec.widget == "date3":
        try:
            date = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            date = None
        if date is None:
            return dict.fromkeys(DATE_PARTS, "")
        return {"year": str(date.year), "month": str(date.month), "day": str(date.day)}
    if spec.widget == "checkboxes":
        return [str(v) for v in value] if isinstance(value, list) else []
    if spec.widget == "checkbox":
        return value is True
    if spec.kind == "boolean":
        return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""
    return "" if value is None else str(value)
