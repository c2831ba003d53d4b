"""SchemaForm: a checked form definition bound to a POST (or to initial answers) for the templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tongban.schemaforms.cleaning import DATE_PARTS, check, number_text, read_raw
from tongban.schemaforms.definition import read_definition
from tongban.schemaforms.spec import FieldSpec

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
    ) -> None:
        self.spec = spec
        self.value = value
        self.error = error
        self.children = children
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
        return f"{base}--year" if self.widget == "date3" else base

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
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group(self) -> bool:
        return self.widget == "group"

    @property
    def shows_optional(self) -> bool:
        """（选填） after the label. A single checkbox always has an answer (ticked or not)."""
        return not self.required and self.widget not in ("checkbox", "group")

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


class SchemaForm:
    """A form from a JSON Schema and UI schema (checked with ``validate_schema``'s rules).

    Unbound, it shows ``initial`` (answers in the shape of ``cleaned_data``, e.g. from ``prefill()``
    or a saved draft). Bound to ``data`` (``request.POST``), it checks every answer: ``errors`` lists
    (control id, message) for the error summary, each field keeps what was posted, and when
    ``is_valid()`` ``cleaned_data`` holds the answers as JSON values (dates as ISO strings;
    unanswered optional fields left out; a nested object always present). With ``only`` (top-level
    names) it asks those fields alone, and ``cleaned_data`` holds their answers alone.
    """

    def __init__(
        self,
        schema: Mapping[str, Any],
        ui_schema: Mapping[str, Any],
        *,
        data: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
        only: Collection[str] | None = None,
    ) -> None:
        specs = read_definition(schema, ui_schema)
        # A part of the form (补正: the requested fields): top-level names, a group with all its fields.
        self.specs = specs if only is None else tuple(spec for spec in specs if spec.key in only)
        self.is_bound = data is not None
        self._data = _multivalue(data) if data is not None else None
        self._initial = initial or {}

    @cached_property
    def _bound(self) -> tuple[list[BoundField], dict[str, Any]]:
        # Checked on first use, like Django's forms.
        cleaned: dict[str, Any] = {}
        today = timezone.localdate()
        fields = [self._bind(spec, self._data, self._initial, cleaned, today) for spec in self.specs]
        return fields, cleaned

    @property
    def fields(self) -> list[BoundField]:
        return self._bound[0]

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self._bound[1]

    @cached_property
    def errors(self) -> list[tuple[str, str]]:
        """(id of the control to fix, message), in page order, for the error summary."""
        return [(field.error_target, field.error) for field in self.all_fields() if field.error]

    def _bind(
        self,
        spec: FieldSpec,
        posted: MultiValueDict | None,
        initial: Mapping[str, Any],
        cleaned: dict[str, Any],
        today: dt.date,
    ) -> BoundField:
        known = initial.get(spec.key)
        if spec.kind == "group":
            inner: dict[str, Any] = {}
            if posted is not None:
                cleaned[spec.key] = inner
            known = known if isinstance(known, Mapping) else {}
            children = tuple(self._bind(child, posted, known, inner, today) for child in spec.children)
            return BoundField(spec, value=None, children=children)
        if posted is None:
            return BoundField(spec, value=_shown(spec, known), answer=known)
        raw = read_raw(spec, posted)
        checked = check(spec, raw, today=today)
        if checked.value is not None:
            cleaned[spec.key] = checked.value
        return BoundField(
            spec, value=raw, answer=checked.value, error=checked.error, bad_parts=checked.bad_parts
        )

    def is_valid(self) -> bool:
        return self.is_bound and not self.errors

    def all_fields(self) -> Iterator[BoundField]:
        """Every field that asks something, in display order (groups give their fields)."""
        for field in self.fields:
            yield from field.children if field.is_group else (field,)

    def __getitem__(self, path: str) -> BoundField:
        for field in self.fields:
            if field.path == path:
                return field
            for child in field.children:
                if child.path == path:
                    return child
        raise KeyError(path)

    @property
    def answer_sections(self) -> list[AnswerSection]:
        sections: list[AnswerSection] = []
        loose: list[BoundField] = []
        for field in self.fields:
            if not field.is_group:
                loose.append(field)
                continue
            if loose:
                sections.append(AnswerSection(heading="", fields=tuple(loose)))
                loose = []
            sections.append(AnswerSection(heading=field.label, fields=field.children))
        if loose:
            sections.append(AnswerSection(heading="", fields=tuple(loose)))
        return sections


def prefill(
    schema: Mapping[str, Any], ui_schema: Mapping[str, Any], known: Mapping[str, str]
) -> dict[str, Any]:
    """Initial answers for ``SchemaForm(initial=…)`` from what the platform already knows.

    ``known`` maps prefill keys ("account.full_name", "enterprise.uscc", see PREFILL_KEYS) to values;
    a field whose ``ui:prefill`` is among them starts with that value, which the person can change
    (UX.md: never ask twice). Other fields are left out. Raises FormSchemaError like validate_schema.
    """
    initial: dict[str, Any] = {}
    for spec in read_definition(schema, ui_schema):
        if spec.kind == "group":
            inner = {child.key: known[child.prefill] for child in spec.children if _knows(known, child)}
            if inner:
                initial[spec.key] = inner
        elif _knows(known, spec):
            initial[spec.key] = known[spec.prefill]
    return initial


def resident_id_paths(schema: Mapping[str, Any], ui_schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The paths ("applicant.resident_id") of the fields whose answer is a resident ID number
    (``"format": "resident_id"``), in display order; none for an item without a form."""
    if not schema:
        return ()
    return tuple(
        field.path
        for spec in read_definition(schema, ui_schema)
        for field in (spec.children if spec.kind == "group" else (spec,))
        if field.format == "resident_id"
    )


def _knows(known: Mapping[str, str], spec: FieldSpec) -> bool:
    return bool(spec.prefill) and spec.prefill in known


def mask_resident_id(value: str) -> str:
    """1101**********1234: an ID number as screens show it (UX.md)."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _multivalue(data: Mapping[str, Any]) -> MultiValueDict:
    if isinstance(data, MultiValueDict):
        return data
    return MultiValueDict({k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()})


def _shown(spec: FieldSpec, value: Any) -> Any:
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
