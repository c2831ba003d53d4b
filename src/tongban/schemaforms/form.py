"""SchemaForm: a checked form definition bound to a POST (or to initial answers) for the templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tongban.core.uploads import UploadError
from tongban.schemaforms import compute
from tongban.schemaforms import rows as table
from tongban.schemaforms.bound import AnswerSection, BoundField, Row, mask_resident_id, shown_value
from tongban.schemaforms.cleaning import Checked, check, read_raw
from tongban.schemaforms.definition import read_definition
from tongban.schemaforms.spec import FieldSpec
from tongban.schemaforms.types import UploadInfo

__all__ = ["SchemaForm", "attachment_keys", "mask_resident_id", "prefill", "resident_id_paths"]


class SchemaForm:
    """A form from a JSON Schema and UI schema (checked with ``validate_schema``'s rules).

    Unbound, it shows ``initial`` (answers in the shape of ``cleaned_data``, e.g. from ``prefill()``
    or a saved draft). Bound to ``data`` (``request.POST``), it checks every answer: ``errors`` lists
    (control id, message) for the error summary, each field keeps what was posted, and when
    ``is_valid()`` ``cleaned_data`` holds the answers as JSON values (dates as ISO strings;
    unanswered optional fields left out; a nested object always present). With ``only`` (top-level
    names) it asks those fields alone, and ``cleaned_data`` holds their answers alone.

    Attachments: pass ``files`` (``request.FILES``) and ``owner_id`` (who uploads); each file posted
    is checked, scanned and kept at once (``services.store_form_upload``), so the page re-rendered
    with errors still holds it. A posted upload id is accepted only when that person uploaded it or
    it is the field's answer in ``initial``.

    明细表: when the POST is a press of 增加一行 or 删除 (``is_editing_rows``), the form is not valid
    and shows no error: the page comes back with the rows changed.
    """

    def __init__(
        self,
        schema: Mapping[str, Any],
        ui_schema: Mapping[str, Any],
        *,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
        only: Collection[str] | None = None,
        owner_id: int | None = None,
    ) -> None:
        specs = read_definition(schema, ui_schema)
        self.all_specs = specs
        # A part of the form (补正: the requested fields): top-level names, a group with all its fields.
        self.specs = specs if only is None else tuple(spec for spec in specs if spec.key in only)
        self.is_bound = data is not None
        self._data = _multivalue(data) if data is not None else None
        self._files = files or {}
        self._initial = initial or {}
        self._owner_id = owner_id
        self._editing_rows = False
        # Each 明细表's rows as far as their cells could be read: what totals add up (also on a page
        # with errors).
        self._row_values: dict[str, list[dict[str, Any]]] = {}

    @cached_property
    def _bound(self) -> tuple[list[BoundField], dict[str, Any]]:
        # Checked on first use, like Django's forms.
        cleaned: dict[str, Any] = {}
        today = timezone.localdate()
        asked = {spec.key for spec in self.specs}
        # Conditions read the answers given so far, and the saved answers of fields not asked (补正).
        context: dict[str, Any] = {k: v for k, v in self._initial.items() if k not in asked}
        if self._data is None:
            context = dict(self._initial)
        uploads = self._known_uploads()
        by_key = {spec.key: spec for spec in self.all_specs}
        fields = []
        for spec in self.specs:
            is_shown = spec.when is None or compute.holds(spec.when, context)
            field = self._bind(
                spec,
                self._data,
                self._initial,
                cleaned,
                today,
                uploads=uploads,
                context=context,
                is_shown=is_shown,
            )
            if spec.when is not None:
                field.is_shown = is_shown
                field.when_hint = compute.condition_hint(spec.when, by_key[spec.when.field])
                if not is_shown:
                    # Not asked: its answer is dropped and nothing about it is refused.
                    cleaned.pop(spec.key, None)
                    field.error = ""
                    for row in field.rows:
                        for cell in row.cells:
                            cell.error = ""
            if self._data is not None:
                context.pop(spec.key, None)
                if spec.key in cleaned:
                    context[spec.key] = cleaned[spec.key]
            fields.append(field)
        if self._editing_rows:
            for field in self.all_fields_of(fields):
                field.error = ""
        return fields, cleaned

    def _known_uploads(self) -> dict[str, UploadInfo]:
        """The uploads the initial answers and the POST name, in one query."""
        # Imported here: the package is imported before Django's models are ready.
        from tongban.schemaforms.selectors import uploads_by_id

        ids: list[str] = []
        for spec in self.specs:
            if spec.kind != "attachment":
                continue
            ids.append(str(self._initial.get(spec.key, "")))
            if self._data is not None:
                ids.append(str(self._data.get(f"{spec.name}-keep", "")))
        ids = [value for value in ids if value]
        return uploads_by_id(ids) if ids else {}

    @property
    def fields(self) -> list[BoundField]:
        return self._bound[0]

    @property
    def is_editing_rows(self) -> bool:
        """The POST pressed 增加一行 or 删除 of a 明细表: show the page again, save nothing."""
        return self._bound is not None and self._editing_rows

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self._bound[1]

    @cached_property
    def errors(self) -> list[tuple[str, str]]:
        """(id of the control to fix, message), in page order, for the error summary; a cell of a
        明细表 is named by its row and column («第2行“单价”：请输入单价»)."""
        found = []
        for field in self.all_fields():
            if field.error:
                found.append((field.error_target, field.error))
            for row in field.rows:
                for cell in row.cells:
                    if cell.error:
                        message = _("第%(n)s行“%(column)s”：%(message)s") % {
                            "n": row.number,
                            "column": cell.label,
                            "message": cell.error,
                        }
                        found.append((cell.error_target, message))
        return found

    @property
    def is_multipart(self) -> bool:
        """The page's form needs enctype="multipart/form-data" (it asks for a file)."""
        return any(spec.kind == "attachment" for spec in self.specs)

    @property
    def has_rows(self) -> bool:
        return any(spec.kind == "rows" for spec in self.specs)

    @property
    def needs_script(self) -> bool:
        """Live totals and conditional fields: the page loads schemaforms.js (all else works without)."""
        return any(spec.kind == "total" or spec.when is not None for spec in self.specs) or any(
            column.product_of for spec in self.specs for column in spec.children
        )

    def _bind(
        self,
        spec: FieldSpec,
        posted: MultiValueDict | None,
        initial: Mapping[str, Any],
        cleaned: dict[str, Any],
        today: dt.date,
        *,
        uploads: Mapping[str, UploadInfo] | None = None,
        context: Mapping[str, Any] | None = None,
        is_shown: bool = True,
    ) -> BoundField:
        known = initial.get(spec.key)
        if spec.kind == "group":
            inner: dict[str, Any] = {}
            if posted is not None:
                cleaned[spec.key] = inner
            known = known if isinstance(known, Mapping) else {}
            children = tuple(self._bind(child, posted, known, inner, today) for child in spec.children)
            return BoundField(spec, value=None, children=children)
        if spec.kind == "rows":
            return self._bind_rows(spec, posted, known, cleaned, today)
        if spec.kind == "total":
            return self._bind_total(spec, posted, cleaned, context or {})
        if spec.kind == "attachment":
            return self._bind_attachment(spec, posted, known, cleaned, uploads or {}, is_shown=is_shown)
        if posted is None:
            return BoundField(spec, value=shown_value(spec, known), answer=known)
        raw = read_raw(spec, posted)
        checked = check(spec, raw, today=today)
        if checked.value is not None:
            cleaned[spec.key] = checked.value
        return BoundField(
            spec, value=raw, answer=checked.value, error=checked.error, bad_parts=checked.bad_parts
        )

    def _bind_rows(
        self,
        spec: FieldSpec,
        posted: MultiValueDict | None,
        known: Any,
        cleaned: dict[str, Any],
        today: dt.date,
    ) -> BoundField:
        focus = ""
        if posted is None:
            answers = table.initial_rows(spec, known)
            raw_rows = [{c.key: shown_value(c, row.get(c.key)) for c in spec.children} for row in answers]
            raw_rows = table.shown_rows(spec, raw_rows)
        else:
            raw_rows, action, changed = table.read_rows(spec, posted)
            if action:
                self._editing_rows = True
            raw_rows = table.shown_rows(spec, raw_rows)
            if action == "add" and changed is not None:
                focus = table.cell_spec(spec, changed, spec.children[0]).name
            elif action == "remove":
                focus = f"{spec.name}-add"
        shown: list[Row] = []
        answered: list[dict[str, Any]] = []
        for index, raw_row in enumerate(raw_rows):
            blank = all(table.is_blank(column, raw_row.get(column.key)) for column in spec.children)
            values: dict[str, Any] = {}
            cells = []
            for column in spec.children:
                cell = table.cell_spec(spec, index, column)
                raw = raw_row.get(column.key, table.blank_raw(column))
                if column.product_of:
                    continue
                if posted is None:
                    answer = answers[index].get(column.key) if index < len(answers) else None
                    checked = Checked(value=answer)
                elif blank:
                    checked = Checked()
                else:
                    checked = check(cell, raw, today=today)
                if checked.value is not None:
                    values[column.key] = checked.value
                cells.append(
                    (
                        column,
                        BoundField(
                            cell,
                            value=raw,
                            answer=checked.value,
                            error=checked.error,
                            bad_parts=checked.bad_parts,
                        ),
                    )
                )
            for column in spec.children:
                if column.product_of:
                    amount = compute.product(values, column)
                    if amount is not None:
                        values[column.key] = amount
                    cells.append(
                        (column, BoundField(table.cell_spec(spec, index, column), value="", answer=amount))
                    )
            order = {column.key: i for i, column in enumerate(spec.children)}
            cells.sort(key=lambda pair: order[pair[0].key])
            shown.append(Row(index=index, cells=tuple(field for _column, field in cells)))
            if not blank:
                answered.append(values)
        self._row_values[spec.key] = answered
        field = BoundField(spec, value=None, answer=answered or None, rows=tuple(shown), focus_id=focus)
        if posted is None:
            return field
        error = ""
        if len(answered) < max(spec.min_items, 1 if spec.required else 0):
            if spec.min_items > 1:
                error = _("%(label)s须至少填写%(n)s行") % {"label": spec.label, "n": spec.min_items}
            else:
                error = _("请填写%(label)s") % {"label": spec.label}
        field.error = error
        if answered or spec.required or spec.min_items:
            cleaned[spec.key] = answered
        return field

    def _bind_total(
        self,
        spec: FieldSpec,
        posted: MultiValueDict | None,
        cleaned: dict[str, Any],
        context: Mapping[str, Any],
    ) -> BoundField:
        # Always computed here: a total in the POST is never read.
        rows_key, _dot, column_key = spec.sum_of.partition(".")
        rows_spec = next(s for s in self.all_specs if s.key == rows_key)
        column = next(c for c in rows_spec.children if c.key == column_key)
        if rows_key in self._row_values:
            source: Any = self._row_values[rows_key]
        else:  # the table is not asked on this page (补正): its saved rows
            source = table.initial_rows(rows_spec, context.get(rows_key) or self._initial.get(rows_key))
        amount = compute.total(source, column_key)
        if posted is not None:
            cleaned[spec.key] = amount
        is_count = column.kind == "integer" and not column.product_of
        return BoundField(spec, value=amount, answer=amount, is_count=is_count)

    def _bind_attachment(
        self,
        spec: FieldSpec,
        posted: MultiValueDict | None,
        known: Any,
        cleaned: dict[str, Any],
        uploads: Mapping[str, UploadInfo],
        *,
        is_shown: bool,
    ) -> BoundField:
        from tongban.schemaforms.services import store_form_upload  # a write, only when a file comes

        saved = uploads.get(known) if isinstance(known, str) else None
        if posted is None:
            field = BoundField(
                spec, value=saved.id if saved else "", answer=known if saved else None, upload=saved
            )
            field.viewer_id = self._owner_id
            return field
        keep_id = str(posted.get(f"{spec.name}-keep", ""))
        kept = uploads.get(keep_id)
        if kept is not None and kept.owner_id != self._owner_id and kept is not saved:
            kept = None  # someone else's file: only the saved answer or one's own uploads
        if posted.get(f"{spec.name}-clear") == "yes":
            kept = None
        error = ""
        upload = self._files.get(spec.name)
        if not is_shown:
            upload = None  # a field not asked takes no file
        if upload is not None:
            if self._owner_id is None:
                raise ValueError("SchemaForm needs owner_id to accept files")
            try:
                kept = store_form_upload(
                    owner_id=self._owner_id,
                    name=upload.name,
                    data=upload,
                    allowed_types=spec.accept,
                    max_size_mb=spec.max_mb,
                )
            except UploadError as exc:
                error = f"{spec.label}：{exc.message}"
        if kept is not None:
            cleaned[spec.key] = kept.id
        elif not error and spec.required:
            error = _("请上传%(label)s") % {"label": spec.label}
        field = BoundField(
            spec, value=kept.id if kept else "", answer=kept.id if kept else None, error=error, upload=kept
        )
        field.viewer_id = self._owner_id
        return field

    def is_valid(self) -> bool:
        return self.is_bound and not self.errors and not self.is_editing_rows

    @staticmethod
    def all_fields_of(fields: list[BoundField]) -> Iterator[BoundField]:
        for field in fields:
            yield from field.children if field.is_group else (field,)
            for row in field.rows:
                yield from row.cells

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
        """The 核对信息 rows; a field whose x-when does not hold is left out."""
        sections: list[AnswerSection] = []
        loose: list[BoundField] = []
        for field in self.fields:
            if not field.is_shown:
                continue
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


def attachment_keys(schema: Mapping[str, Any], ui_schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The top-level fields whose answer is an upload id (``"format": "attachment"``): what a caller
    checks before serving a file named by an answer."""
    if not schema:
        return ()
    return tuple(spec.key for spec in read_definition(schema, ui_schema) if spec.kind == "attachment")


def _knows(known: Mapping[str, str], spec: FieldSpec) -> bool:
    return bool(spec.prefill) and spec.prefill in known


def _multivalue(data: Mapping[str, Any]) -> MultiValueDict:
    if isinstance(data, MultiValueDict):
        return data
    return MultiValueDict({k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()})
