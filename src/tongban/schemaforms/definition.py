"""Reading a form definition (JSON Schema + UI schema) into field specs.

Anything outside the supported subset (see the package docstring) is refused with a message for
catalog staff that names the field, so a form that saves is a form the portal can render and check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import re._constants as sre_constants  # no public API parses a pattern into its parts
import re._parser as sre_parser
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from tongban.core.uploads import UPLOAD_MAX_MB
from tongban.schemaforms.spec import (
    ATTACHMENT_DEFAULT_MB,
    ATTACHMENT_DEFAULT_TYPES,
    ATTACHMENT_TYPES,
    AUTOCOMPLETE,
    DATE_AUTOCOMPLETE,
    EMAIL_MAX_LENGTH,
    FORMAT_MIN_LENGTH,
    FORMATS,
    MAX_CHOICES,
    MAX_FIELDS,
    MAX_HELP_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_ROWS,
    MAX_STRING_LENGTH,
    NAME_MAX_LENGTH,
    PREFILL_KEYS,
    UI_WIDGETS,
    WHEN_OPS,
    Condition,
    FieldSpec,
    FormSchemaError,
)

_TOP_KEYWORDS = frozenset(
    {"$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties"}
)
_COMMON = frozenset({"type", "title", "description"})
_KEYWORDS = {
    "string": _COMMON
    | {"maxLength", "minLength", "pattern", "enum", "format", "x-when", "x-accept", "x-max-mb"},
    "integer": _COMMON | {"minimum", "maximum", "x-when"},
    "number": _COMMON | {"minimum", "maximum", "x-when", "x-sum", "x-product"},
    "boolean": _COMMON | {"x-when"},
    "array": _COMMON | {"items", "uniqueItems", "minItems", "maxItems", "x-when"},
    "object": _COMMON | {"properties", "required", "additionalProperties"},
}
_ROW_KEYWORDS = frozenset({"type", "title", "description", "properties", "required", "additionalProperties"})
_COLUMN_KINDS = ("text", "choice", "date", "integer", "number", "boolean")
# Columns are asked inside a table cell: one line, a select, a single checkbox.
_COLUMN_WIDGET = {"choice": "select", "boolean": "checkbox"}
_CONDITION_OPS = {
    "text": ("equals", "not_equals", "in"),
    "choice": ("equals", "not_equals", "in"),
    "boolean": ("equals", "not_equals"),
    "date": WHEN_OPS,
    "integer": WHEN_OPS,
    "number": WHEN_OPS,
    "total": WHEN_OPS,
}
_BASE_UI = frozenset({"ui:label", "ui:help", "ui:widget"})
_UI_KEYS = {
    "text": _BASE_UI | {"ui:autocomplete", "ui:prefill", "ui:patternMessage"},
    "choice": _BASE_UI | {"ui:labels", "ui:autocomplete"},
    "date": _BASE_UI | {"ui:autocomplete", "ui:past"},
    "integer": _BASE_UI,
    "number": _BASE_UI,
    "boolean": _BASE_UI | {"ui:labels"},
    "choices": _BASE_UI | {"ui:labels"},
    "group": frozenset({"ui:label", "ui:help", "ui:order"}),
    "rows": frozenset({"ui:label", "ui:help", "ui:order"}),
    "total": frozenset({"ui:label", "ui:help"}),
    "attachment": frozenset({"ui:label", "ui:help"}),
}
# Per kind: the default widget, and the UI schema's widget names it accepts (mapped to ours).
_DEFAULT_WIDGET = {
    "text": "text",
    "choice": "radio",
    "date": "date3",
    "integer": "text",
    "number": "text",
    "boolean": "radio",
    "choices": "checkboxes",
    "group": "group",
    "rows": "rows",
    "total": "total",
    "attachment": "file",
}
_UI_WIDGET_CHOICES: dict[str, dict[str, str]] = {
    "text": {"textarea": "textarea"},
    "choice": {"radio": "radio", "select": "select"},
    "date": {"date3": "date3"},
    "boolean": {"radio": "radio", "checkbox": "checkbox"},
    "choices": {"checkbox": "checkboxes"},
}
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def read_definition(schema: Any, ui_schema: Any) -> tuple[FieldSpec, ...]:
    """The fields of a definition in display order; raises FormSchemaError naming each problem.

    SchemaForm and prefill() call this on every request. The JSON Schema meta-schema pass (about
    10 ms) is left to validate_schema(): all it adds is a check of what rendering ignores, such as
    a ``title`` that is not text.
    """
    reader = _Reader()
    specs = reader.form(schema, ui_schema)
    if reader.problems:
        raise FormSchemaError(reader.problems)
    return specs


def validate_schema(schema: Any, ui_schema: Any) -> None:
    """Refuse a definition the portal cannot render or check, for catalog staff saving a form.

    Raises FormSchemaError: ``message`` is the first problem, ``details`` all of them, each in
    Chinese and naming the field ("字段“name”使用了不支持的类型“date”…").
    """
    read_definition(schema, ui_schema)
    problems = _meta_problems(schema)
    if problems:
        raise FormSchemaError(problems)


def _field_ref(path: str) -> str:
    return _("字段“%(name)s”") % {"name": path}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _is_name(name: str) -> bool:
    # Length first: a key is staff input too (T-K3).
    return (
        0 < len(name) <= NAME_MAX_LENGTH
        and name.isascii()
        and name[0].islower()
        and all(c.islower() or c.isdigit() or c == "_" for c in name)
    )


def _has_han(text: str) -> bool:
    return any(
        "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\U00020000" <= c <= "\U0003134f"
        for c in text
    )


def _is_slow_pattern(items: Iterable[Any], *, repeated: bool = False) -> bool:
    """True when a repeated part can match the same text in more than one way: a variable repeat or
    an alternation inside another repeat, as in (a+)+ or (a|aa)*. Such patterns backtrack
    exponentially on a near-miss (T-K3: no nested quantifiers)."""
    for op, arg in items:
        inner_repeated = repeated
        if op in _REPEATS:
            low, high, inner = arg
            if repeated and low != high:
                return True
            parts, inner_repeated = [inner], repeated or high > 1
        elif op is sre_constants.BRANCH:
            if repeated:
                return True
            parts = arg[1]
        elif op is sre_constants.SUBPATTERN:
            parts = [arg[3]]
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            parts = [arg[1]]
        elif op is sre_constants.ATOMIC_GROUP:
            parts = [arg]
        elif op is sre_constants.GROUPREF_EXISTS:
            parts = [branch for branch in arg[1:] if branch]
        else:
            continue
        if any(_is_slow_pattern(part, repeated=inner_repeated) for part in parts):
            return True
    return False


def _meta_problems(schema: Any) -> list[str]:
    """What the JSON Schema meta-schema still refuses once our own checks pass (a title that is not
    text, say), named by field."""
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        rest = list(exc.absolute_path)
        names = []
        while len(rest) >= 2 and rest[0] == "properties":
            names.append(str(rest[1]))
            rest = rest[2:]
        keyword = str(rest[0]) if rest else ""
        if not names:
            return [_("表单定义的 %(keyword)s 不符合 JSON Schema 规范") % {"keyword": keyword}]
        if not keyword:
            return [_("%(field)s的定义不符合 JSON Schema 规范") % {"field": _field_ref(".".join(names))}]
        return [
            _("%(field)s的 %(keyword)s 不符合 JSON Schema 规范")
            % {"field": _field_ref(".".join(names)), "keyword": keyword}
        ]
    return []


class _Reader:
    """Walks a definition once, collecting every problem rather than stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.field_count = 0
        self.labels: dict[str, str] = {}
        self.in_rows = False

    def refuse(self, message: str) -> None:
        self.problems.append(message)

    def form(self, schema: Any, ui: Any) -> tuple[FieldSpec, ...]:
        if not isinstance(schema, Mapping):
            self.refuse(_("表单定义须为 JSON 对象"))
            return ()
        if not isinstance(ui, Mapping):
            self.refuse(_("界面定义须为 JSON 对象"))
            return ()
        for keyword in schema:
            if keyword not in _TOP_KEYWORDS:
                self.refuse(_("表单定义使用了不支持的关键字“%(keyword)s”") % {"keyword": keyword})
        if schema.get("type") != "object":
            self.refuse(_("表单定义的 type 须为 object"))
        for key in ui:
            if key.startswith("ui:") and key != "ui:order":
                self.refuse(_("界面定义使用了不支持的设置“%(key)s”") % {"key": key})
        specs = self.fields(schema, ui, parent="")
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            specs = self.conditions(specs, properties)
            self.totals(specs)
        if self.field_count > MAX_FIELDS:
            self.refuse(_("表单最多可有 %(n)s 个字段") % {"n": MAX_FIELDS})
        return specs

    def fields(
        self, schema: Mapping[str, Any], ui: Mapping[str, Any], *, parent: str
    ) -> tuple[FieldSpec, ...]:
        where = _field_ref(parent) if parent else _("表单定义")
        if schema.get("additionalProperties", False) is not False:
            self.refuse(_("%(where)s的 additionalProperties 只能为 false") % {"where": where})
        properties = schema.get("properties")
        if not isinstance(properties, Mapping) or not properties:
            self.refuse(_("%(where)s须在 properties 中定义至少一个字段") % {"where": where})
            return ()
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            self.refuse(_("%(where)s的 required 须为字段名的列表") % {"where": where})
            required = []
        for name in required:
            if name not in properties:
                self.refuse(
                    _("%(where)s的 required 中的“%(name)s”不是已定义的字段") % {"where": where, "name": name}
                )
        for key in ui:
            if not key.startswith("ui:") and key not in properties:
                self.refuse(_("界面定义中的“%(name)s”不是已定义的字段") % {"name": _join(parent, key)})

        specs = []
        for name in self.order(properties, ui, parent=parent):
            path = _join(parent, name)
            if not _is_name(name):
                self.refuse(
                    _(
                        "字段名“%(name)s”须以小写英文字母开头，只含小写英文字母、数字和下划线，最多 %(n)s 个字符"
                    )
                    % {"name": path, "n": NAME_MAX_LENGTH}
                )
                continue
            field_ui = ui.get(name, {})
            if not isinstance(field_ui, Mapping):
                self.refuse(_("界面定义中“%(name)s”的设置须为 JSON 对象") % {"name": path})
                continue
            spec = self.field(
                path, properties[name], field_ui, required=name in required, nested=bool(parent)
            )
            if spec is not None:
                specs.append(spec)
        return tuple(specs)

    def order(self, properties: Mapping[str, Any], ui: Mapping[str, Any], *, parent: str) -> list[str]:
        order = ui.get("ui:order")
        if order is None:
            return list(properties)
        where = _("界面定义中“%(name)s”") % {"name": parent} if parent else _("界面定义")
        if not isinstance(order, list) or not all(isinstance(name, str) for name in order):
            self.refuse(_("%(where)s的 ui:order 须为字段名的列表") % {"where": where})
            return list(properties)
        for name in order:
            if name not in properties:
                self.refuse(
                    _("%(where)s的 ui:order 中的“%(name)s”不是已定义的字段") % {"where": where, "name": name}
                )
        missing = [name for name in properties if name not in order]
        for name in missing:
            self.refuse(_("%(where)s的 ui:order 缺少字段“%(name)s”") % {"where": where, "name": name})
        if len(set(order)) != len(order):
            self.refuse(_("%(where)s的 ui:order 中有重复的字段") % {"where": where})
        return [name for name in dict.fromkeys(order) if name in properties] + missing

    def field(
        self, path: str, prop: Any, ui: Mapping[str, Any], *, required: bool, nested: bool
    ) -> FieldSpec | None:
        self.field_count += 1
        field = _field_ref(path)
        if not isinstance(prop, Mapping):
            self.refuse(_("%(field)s的定义须为 JSON 对象") % {"field": field})
            return None
        type_ = prop.get("type")
        if not isinstance(type_, str) or type_ not in _KEYWORDS:
            if type_ is None:
                self.refuse(_("%(field)s须设置 type") % {"field": field})
            else:
                self.refuse(
                    _(
                        "%(field)s使用了不支持的类型“%(type)s”，可用的类型：string、integer、number、boolean、array、object"
                    )
                    % {"field": field, "type": _show(type_)}
                )
            return None
        for keyword in prop:
            if keyword not in _KEYWORDS[type_]:
                self.refuse(
                    _("%(field)s使用了不支持的关键字“%(keyword)s”") % {"field": field, "keyword": keyword}
                )

        kind = _kind(type_, prop)
        if "x-when" in prop and nested:
            self.refuse(_("%(field)s：x-when 只能用于表单顶层的字段") % {"field": field})
        if "x-product" in prop and not self.in_rows:
            self.refuse(_("%(field)s：x-product 只能用于明细表的列") % {"field": field})
        if self.in_rows and kind not in _COLUMN_KINDS:
            self.refuse(_("%(field)s：明细表的列只能是文字、选项、日期、整数、数字或是否") % {"field": field})
            return None
        if kind != "attachment":
            for keyword in ("x-accept", "x-max-mb"):
                if keyword in prop:
                    self.refuse(
                        _("%(field)s：%(keyword)s 只能用于附件（format 为 attachment）")
                        % {"field": field, "keyword": keyword}
                    )
        if self.in_rows and prop.get("format") == "resident_id":
            self.refuse(_("%(field)s：明细表的列不能是身份证号码") % {"field": field})
        for key in ui:
            if key.startswith("ui:") and key not in _UI_KEYS[kind]:
                self.refuse(_("%(field)s使用了不支持的界面设置“%(key)s”") % {"field": field, "key": key})
            elif not key.startswith("ui:") and kind not in ("group", "rows"):
                self.refuse(_("界面定义中的“%(name)s”不是已定义的字段") % {"name": _join(path, key)})
        common: dict[str, Any] = {
            "path": path,
            "kind": kind,
            "widget": self.widget(path, kind, prop, ui),
            "label": self.label(path, ui, is_field=kind != "group"),
            "help": self.help(path, ui),
            "required": required,
        }
        if kind == "group":
            if nested:
                self.refuse(_("%(field)s是对象中的对象：表单只支持一层嵌套") % {"field": field})
                return None
            return FieldSpec(**common, children=self.fields(prop, ui, parent=path))
        if kind in ("rows", "total") and nested and not self.in_rows:
            self.refuse(_("%(field)s：明细表和合计不能放在对象中") % {"field": field})
            return None
        if kind == "rows":
            return FieldSpec(**common, **self.rows(path, prop, ui))
        if kind == "total":
            return self.total(path, prop, common)
        if kind == "attachment":
            if nested:
                self.refuse(_("%(field)s：附件不能放在对象中") % {"field": field})
                return None
            return FieldSpec(**common, **self.attachment(path, prop))
        if self.in_rows and kind in _COLUMN_WIDGET:
            common["widget"] = _COLUMN_WIDGET[kind]
        if kind in ("text", "choice", "date"):
            return FieldSpec(**common, **self.string(path, kind, prop, ui))
        if kind in ("integer", "number"):
            found = self.number(path, prop, integer=kind == "integer")
            if "x-product" in prop and self.in_rows:
                found["product_of"] = self.product_of(path, prop["x-product"])
            return FieldSpec(**common, **found)
        if kind == "boolean":
            return FieldSpec(**common, options=self.boolean_options(path, common["widget"], ui))
        return FieldSpec(**common, options=self.array_options(path, prop, ui))

    def label(self, path: str, ui: Mapping[str, Any], *, is_field: bool) -> str:
        field = _field_ref(path)
        label = ui.get("ui:label")
        if not isinstance(label, str) or not label.strip():
            self.refuse(_("%(field)s须在界面定义中设置 ui:label（中文标签）") % {"field": field})
            return path
        label = label.strip()
        if len(label) > MAX_LABEL_LENGTH:
            self.refuse(
                _("%(field)s的 ui:label 须少于或等于%(n)s个字") % {"field": field, "n": MAX_LABEL_LENGTH}
            )
        elif not _has_han(label):
            self.refuse(_("%(field)s的 ui:label 须为中文") % {"field": field})
        elif is_field:
            # Error messages and 修改 links name a field by its label alone, so two fields must differ.
            other = self.labels.setdefault(label, path)
            if other != path:
                self.refuse(
                    _("字段“%(first)s”和“%(second)s”的标签都是“%(label)s”，请使用不同的标签")
                    % {"first": other, "second": path, "label": label}
                )
        return label

    def help(self, path: str, ui: Mapping[str, Any]) -> str:
        help_text = ui.get("ui:help", "")
        if not isinstance(help_text, str) or len(help_text) > MAX_HELP_LENGTH:
            self.refuse(
                _("%(field)s的 ui:help 须为少于或等于%(n)s个字的文字")
                % {"field": _field_ref(path), "n": MAX_HELP_LENGTH}
            )
            return ""
        return help_text.strip()

    def widget(self, path: str, kind: str, prop: Mapping[str, Any], ui: Mapping[str, Any]) -> str:
        name = ui.get("ui:widget")
        if name is None or kind in ("rows", "total", "attachment"):
            return _DEFAULT_WIDGET[kind]
        name = _show(name)
        accepted = _UI_WIDGET_CHOICES.get(kind, {})
        if kind == "text" and "format" in prop:
            accepted = {}  # identifiers, phones and addresses are one line
        if name not in UI_WIDGETS:
            self.refuse(
                _(
                    "%(field)s使用了不支持的控件“%(widget)s”，可用的控件：textarea、radio、select、checkbox、date3"
                )
                % {"field": _field_ref(path), "widget": name}
            )
        elif name not in accepted:
            self.refuse(
                _("%(field)s的类型不能使用控件“%(widget)s”") % {"field": _field_ref(path), "widget": name}
            )
        return accepted.get(name, _DEFAULT_WIDGET[kind])

    def string(self, path: str, kind: str, prop: Mapping[str, Any], ui: Mapping[str, Any]) -> dict[str, Any]:
        field = _field_ref(path)
        found: dict[str, Any] = {"autocomplete": self.autocomplete(path, kind, ui)}
        max_length = prop.get("maxLength")
        if max_length is None:
            self.refuse(_("%(field)s须设置 maxLength（最多字数），用于限制输入的长度") % {"field": field})
        elif not _is_int(max_length) or not 1 <= max_length <= MAX_STRING_LENGTH:
            self.refuse(
                _("%(field)s的 maxLength 须为 1 至 %(max)s 之间的整数")
                % {"field": field, "max": MAX_STRING_LENGTH}
            )
        else:
            found["max_length"] = max_length

        if kind == "choice":
            for keyword in ("format", "pattern", "minLength"):
                if keyword in prop:
                    self.refuse(
                        _("%(field)s的 %(keyword)s 不能与 enum 同用") % {"field": field, "keyword": keyword}
                    )
            found["options"] = self.options(path, prop["enum"], ui, max_length=found.get("max_length"))
            return found

        fmt = prop.get("format")
        if fmt is not None:
            if not isinstance(fmt, str) or fmt not in FORMATS:
                self.refuse(
                    _(
                        "%(field)s使用了不支持的格式“%(format)s”，可用的格式：date、email、phone、resident_id、uscc、attachment"
                    )
                    % {"field": field, "format": _show(fmt)}
                )
                return found
            for keyword in ("pattern", "minLength"):
                if keyword in prop:
                    self.refuse(
                        _("%(field)s的 %(keyword)s 不能与 format 同用") % {"field": field, "keyword": keyword}
                    )
            shortest = FORMAT_MIN_LENGTH.get(fmt, 0)
            if "max_length" in found and found["max_length"] < shortest:
                self.refuse(
                    _("%(field)s的 maxLength 须至少为 %(n)s，才能容纳完整的答案")
                    % {"field": field, "n": shortest}
                )
            if fmt == "email" and found.get("max_length", 0) > EMAIL_MAX_LENGTH:
                self.refuse(
                    _("%(field)s的 maxLength 须小于或等于 %(n)s") % {"field": field, "n": EMAIL_MAX_LENGTH}
                )
            if fmt == "date":
                past_only = ui.get("ui:past", False)
                if not isinstance(past_only, bool):
                    self.refuse(_("%(field)s的 ui:past 须为 true 或 false") % {"field": field})
                found["past_only"] = past_only is True
            else:
                found["format"] = fmt
                found["prefill"] = self.prefill(path, ui)
            return found

        min_length = prop.get("minLength")
        if min_length is not None:
            if not _is_int(min_length) or not 0 <= min_length <= found.get("max_length", MAX_STRING_LENGTH):
                self.refuse(_("%(field)s的 minLength 须为不大于 maxLength 的非负整数") % {"field": field})
            else:
                found["min_length"] = min_length
        found["prefill"] = self.prefill(path, ui)
        found.update(self.pattern(path, prop.get("pattern"), ui))
        return found

    def pattern(self, path: str, pattern: Any, ui: Mapping[str, Any]) -> dict[str, str]:
        field = _field_ref(path)
        message = ui.get("ui:patternMessage")
        if pattern is None:
            if message is not None:
                self.refuse(_("%(field)s没有 pattern，不能设置 ui:patternMessage") % {"field": field})
            return {}
        if not isinstance(pattern, str) or not 0 < len(pattern) <= MAX_PATTERN_LENGTH:
            self.refuse(
                _("%(field)s的 pattern 须为少于或等于%(n)s个字符的正则表达式")
                % {"field": field, "n": MAX_PATTERN_LENGTH}
            )
            return {}
        try:
            parsed = sre_parser.parse(pattern, re.ASCII)
            re.compile(pattern, re.ASCII)
        except (re.error, RecursionError, OverflowError, ValueError):
            self.refuse(_("%(field)s的 pattern 不是有效的正则表达式") % {"field": field})
            return {}
        if _is_slow_pattern(parsed):
            self.refuse(
                _(
                    "%(field)s的 pattern 含有嵌套的重复或重复的分支（如 (a+)+ 或 (a|ab)*），匹配可能极慢，请改写"
                )
                % {"field": field}
            )
        if not isinstance(message, str) or not message.strip():
            self.refuse(
                _(
                    "%(field)s使用了 pattern，须在界面定义中用 ui:patternMessage 说明格式，如“邮政编码应为6位数字”"
                )
                % {"field": field}
            )
            return {}
        return {"pattern": pattern, "pattern_message": message.strip()}

    def options(
        self, path: str, enum: Any, ui: Mapping[str, Any], *, max_length: int | None
    ) -> tuple[tuple[str, str], ...]:
        field = _field_ref(path)
        if not isinstance(enum, list) or not enum or not all(isinstance(v, str) and v for v in enum):
            self.refuse(_("%(field)s的 enum 须为非空文字组成的列表") % {"field": field})
            return ()
        if len(enum) > MAX_CHOICES:
            self.refuse(_("%(field)s最多可有 %(n)s 个选项") % {"field": field, "n": MAX_CHOICES})
        if len(set(enum)) != len(enum):
            self.refuse(_("%(field)s的 enum 中有重复的选项") % {"field": field})
        for value in enum:
            if max_length is not None and len(value) > max_length:
                self.refuse(
                    _("%(field)s的选项“%(value)s”超过了 maxLength") % {"field": field, "value": value}
                )
        labels = ui.get("ui:labels")
        if labels is None:
            return tuple((value, value) for value in enum)
        if (
            not isinstance(labels, list)
            or len(labels) != len(enum)
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            self.refuse(_("%(field)s的 ui:labels 须为与 enum 一一对应的标签列表") % {"field": field})
            return tuple((value, value) for value in enum)
        return tuple(zip(enum, (label.strip() for label in labels), strict=True))

    def boolean_options(self, path: str, widget: str, ui: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        labels = ui.get("ui:labels")
        if labels is None:
            return (("yes", _("是")), ("no", _("否"))) if widget == "radio" else ()
        if (
            widget != "radio"
            or not isinstance(labels, list)
            or len(labels) != 2
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            self.refuse(
                _("%(field)s的 ui:labels 须为单选按钮“是”和“否”的两个标签") % {"field": _field_ref(path)}
            )
            return (("yes", _("是")), ("no", _("否")))
        return (("yes", labels[0].strip()), ("no", labels[1].strip()))

    def array_options(
        self, path: str, prop: Mapping[str, Any], ui: Mapping[str, Any]
    ) -> tuple[tuple[str, str], ...]:
        field = _field_ref(path)
        for keyword in ("minItems", "maxItems"):
            if keyword in prop:
                self.refuse(
                    _("%(field)s：%(keyword)s 只能用于明细表（items 为对象的数组）")
                    % {"field": field, "keyword": keyword}
                )
        if prop.get("uniqueItems", True) is not True:
            self.refuse(_("%(field)s的 uniqueItems 只能为 true") % {"field": field})
        items = prop.get("items")
        if (
            not isinstance(items, Mapping)
            or items.get("type") != "string"
            or "enum" not in items
            or not set(items) <= {"type", "enum", "title", "description"}
        ):
            self.refuse(
                _('%(field)s的 items 须为带 enum 的 string，如 {"type": "string", "enum": ["a", "b"]}')
                % {"field": field}
            )
            return ()
        return self.options(path, items["enum"], ui, max_length=None)

    def number(self, path: str, prop: Mapping[str, Any], *, integer: bool) -> dict[str, Any]:
        field = _field_ref(path)
        found: dict[str, Any] = {}
        for keyword, attribute in (("minimum", "minimum"), ("maximum", "maximum")):
            bound = prop.get(keyword)
            if bound is None:
                continue
            if not (_is_int(bound) if integer else _is_number(bound)):
                self.refuse(
                    _("%(field)s的 %(keyword)s 须为%(what)s")
                    % {"field": field, "keyword": keyword, "what": _("整数") if integer else _("数字")}
                )
            else:
                found[attribute] = bound
        if "minimum" in found and "maximum" in found and found["minimum"] > found["maximum"]:
            self.refuse(_("%(field)s的 minimum 不能大于 maximum") % {"field": field})
        return found

    def autocomplete(self, path: str, kind: str, ui: Mapping[str, Any]) -> str:
        token = ui.get("ui:autocomplete")
        if token is None:
            return ""
        allowed = DATE_AUTOCOMPLETE if kind == "date" else AUTOCOMPLETE
        if not isinstance(token, str) or token not in allowed:
            self.refuse(
                _("%(field)s使用了不支持的自动填写类型“%(token)s”，可用的类型：%(allowed)s")
                % {"field": _field_ref(path), "token": _show(token), "allowed": "、".join(sorted(allowed))}
            )
            return ""
        return str(token)

    def prefill(self, path: str, ui: Mapping[str, Any]) -> str:
        source = ui.get("ui:prefill")
        if source is None:
            return ""
        if not isinstance(source, str) or source not in PREFILL_KEYS:
            self.refuse(
                _("%(field)s的预填来源“%(source)s”不存在，可用的来源：%(allowed)s")
                % {
                    "field": _field_ref(path),
                    "source": _show(source),
                    "allowed": "、".join(sorted(PREFILL_KEYS)),
                }
            )
            return ""
        return str(source)

    def rows(self, path: str, prop: Mapping[str, Any], ui: Mapping[str, Any]) -> dict[str, Any]:
        """明细表: an array of objects of scalar columns, asked as a table."""
        field = _field_ref(path)
        items = prop["items"]
        for keyword in items:
            if keyword not in _ROW_KEYWORDS:
                self.refuse(
                    _("%(field)s的 items 使用了不支持的关键字“%(keyword)s”")
                    % {"field": field, "keyword": keyword}
                )
        if "uniqueItems" in prop:
            self.refuse(_("%(field)s：明细表不能设置 uniqueItems") % {"field": field})
        found: dict[str, Any] = {"min_items": 0, "max_items": MAX_ROWS}
        for keyword, attribute in (("minItems", "min_items"), ("maxItems", "max_items")):
            bound = prop.get(keyword)
            if bound is None:
                continue
            if not _is_int(bound) or not 0 <= bound <= MAX_ROWS:
                self.refuse(
                    _("%(field)s的 %(keyword)s 须为 0 至 %(n)s 之间的整数")
                    % {"field": field, "keyword": keyword, "n": MAX_ROWS}
                )
            else:
                found[attribute] = bound
        if found["min_items"] > found["max_items"] or found["max_items"] == 0:
            self.refuse(_("%(field)s的 minItems 不能大于 maxItems，maxItems 须至少为 1") % {"field": field})
        # Column labels are unique within the table; they may repeat a label elsewhere in the form.
        labels, self.labels = self.labels, {}
        self.in_rows = True
        try:
            columns = self.fields(items, ui, parent=path)
        finally:
            self.labels, self.in_rows = labels, False
        keys = {column.key: column for column in columns}
        for column in columns:
            if column.widget == "textarea":
                self.refuse(_("%(field)s：明细表的列只能是单行文字") % {"field": _field_ref(column.path)})
            for other in column.product_of:
                if other == column.key or other not in keys:
                    self.refuse(
                        _("%(field)s的 x-product 中的“%(name)s”不是本明细表的其他列")
                        % {"field": _field_ref(column.path), "name": other}
                    )
                elif keys[other].kind not in ("integer", "number") or keys[other].product_of:
                    self.refuse(
                        _("%(field)s的 x-product 中的“%(name)s”须为填写的整数或数字列")
                        % {"field": _field_ref(column.path), "name": other}
                    )
        found["children"] = columns
        return found

    def product_of(self, path: str, names: Any) -> tuple[str, ...]:
        if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) for n in names):
            self.refuse(
                _('%(field)s的 x-product 须为两个列名的列表，如 ["quantity", "unit_price"]')
                % {"field": _field_ref(path)}
            )
            return ()
        return tuple(names)

    def total(self, path: str, prop: Mapping[str, Any], common: dict[str, Any]) -> FieldSpec | None:
        field = _field_ref(path)
        for keyword in ("minimum", "maximum"):
            if keyword in prop:
                self.refuse(
                    _("%(field)s由系统计算，不能设置 %(keyword)s") % {"field": field, "keyword": keyword}
                )
        if common["required"]:
            self.refuse(_("%(field)s由系统计算，不能列入 required") % {"field": field})
        sum_of = prop["x-sum"]
        if not isinstance(sum_of, str) or sum_of.count(".") != 1:
            self.refuse(
                _("%(field)s的 x-sum 须写作“明细表字段名.数字列名”，如“items.amount”") % {"field": field}
            )
            return None
        return FieldSpec(**{**common, "required": False}, sum_of=sum_of)

    def totals(self, specs: tuple[FieldSpec, ...]) -> None:
        """Each x-sum names a 明细表 before it and a number column of that table."""
        seen: dict[str, FieldSpec] = {}
        for spec in specs:
            if spec.kind == "total":
                rows_key, _dot, column_key = spec.sum_of.partition(".")
                rows = seen.get(rows_key)
                field = _field_ref(spec.path)
                if rows is None or rows.kind != "rows":
                    self.refuse(
                        _("%(field)s的 x-sum 引用的“%(name)s”不是排在它之前的明细表")
                        % {"field": field, "name": rows_key}
                    )
                    continue
                column = next((c for c in rows.children if c.key == column_key), None)
                if column is None or column.kind not in ("integer", "number"):
                    self.refuse(
                        _("%(field)s的 x-sum 引用的“%(name)s”不是明细表中的整数或数字列")
                        % {"field": field, "name": spec.sum_of}
                    )
            seen[spec.key] = spec

    def attachment(self, path: str, prop: Mapping[str, Any]) -> dict[str, Any]:
        field = _field_ref(path)
        for keyword in ("pattern", "minLength", "enum"):
            if keyword in prop:
                self.refuse(_("%(field)s是附件，不能设置 %(keyword)s") % {"field": field, "keyword": keyword})
        accept = prop.get("x-accept", list(ATTACHMENT_DEFAULT_TYPES))
        if (
            not isinstance(accept, list)
            or not accept
            or not all(isinstance(kind, str) and kind in ATTACHMENT_TYPES for kind in accept)
            or len(set(accept)) != len(accept)
        ):
            self.refuse(
                _("%(field)s的 x-accept 须为文件类型的列表，可用的类型：%(allowed)s")
                % {"field": field, "allowed": "、".join(ATTACHMENT_TYPES)}
            )
            accept = list(ATTACHMENT_DEFAULT_TYPES)
        max_mb = prop.get("x-max-mb", ATTACHMENT_DEFAULT_MB)
        if not _is_int(max_mb) or not 1 <= max_mb <= UPLOAD_MAX_MB:
            self.refuse(
                _("%(field)s的 x-max-mb 须为 1 至 %(n)s 之间的整数") % {"field": field, "n": UPLOAD_MAX_MB}
            )
            max_mb = ATTACHMENT_DEFAULT_MB
        return {"accept": tuple(accept), "max_mb": max_mb}

    def conditions(
        self, specs: tuple[FieldSpec, ...], properties: Mapping[str, Any]
    ) -> tuple[FieldSpec, ...]:
        """x-when on top-level fields: an earlier top-level field, one known operator, a value of the
        right kind."""
        earlier: dict[str, FieldSpec] = {}
        result = []
        order = {spec.key: i for i, spec in enumerate(specs)}
        for spec in specs:
            prop = properties.get(spec.key)
            if isinstance(prop, Mapping) and "x-when" in prop:
                condition = self.condition(spec, prop["x-when"], earlier, order)
                if condition is not None:
                    spec = dataclasses.replace(spec, when=condition)
            earlier[spec.key] = spec
            result.append(spec)
        return tuple(result)

    def condition(
        self, spec: FieldSpec, when: Any, earlier: Mapping[str, FieldSpec], order: Mapping[str, int]
    ) -> Condition | None:
        field = _field_ref(spec.path)
        ops = [key for key in when if key != "field"] if isinstance(when, Mapping) else []
        if not isinstance(when, Mapping) or not isinstance(when.get("field"), str) or len(ops) != 1:
            self.refuse(
                _(
                    '%(field)s的 x-when 须为 {"field": 字段名, 比较方式: 值}，如 {"field": "kind", "equals": "sick"}'
                )
                % {"field": field}
            )
            return None
        name, op = when["field"], ops[0]
        if op not in WHEN_OPS:
            self.refuse(
                _("%(field)s的 x-when 使用了不支持的比较方式“%(op)s”，可用的方式：%(allowed)s")
                % {"field": field, "op": op, "allowed": "、".join(WHEN_OPS)}
            )
            return None
        other = earlier.get(name)
        if other is None:
            if name == spec.key:
                self.refuse(_("%(field)s的 x-when 不能以它自己为条件") % {"field": field})
            elif name in order:
                self.refuse(
                    _("%(field)s的 x-when 引用了排在它之后的字段“%(name)s”，请把“%(name)s”排在前面")
                    % {"field": field, "name": name}
                )
            else:
                self.refuse(
                    _("%(field)s的 x-when 引用的字段“%(name)s”不存在（只能引用表单顶层的字段）")
                    % {"field": field, "name": name}
                )
            return None
        allowed = _CONDITION_OPS.get(other.kind, ())
        if not allowed:
            self.refuse(
                _("%(field)s的 x-when 不能以“%(name)s”为条件：只能比较文字、选项、日期、数字、是否或合计")
                % {"field": field, "name": name}
            )
            return None
        if op not in allowed:
            self.refuse(
                _("%(field)s的 x-when 不能对“%(name)s”使用比较方式“%(op)s”，可用的方式：%(allowed)s")
                % {"field": field, "name": name, "op": op, "allowed": "、".join(allowed)}
            )
            return None
        raw = when[op]
        values = raw if op == "in" else [raw]
        if op == "in" and (not isinstance(raw, list) or not raw):
            self.refuse(_("%(field)s的 x-when 中 in 的值须为非空列表") % {"field": field})
            return None
        if not all(_fits(other, value) for value in values):
            self.refuse(
                _("%(field)s的 x-when 中的值 %(value)s 不是“%(name)s”可能的答案")
                % {"field": field, "value": _show(raw), "name": name}
            )
            return None
        return Condition(field=name, op=op, value=tuple(values) if op == "in" else raw)


def _fits(spec: FieldSpec, value: Any) -> bool:
    """Whether ``value`` could be the answer of ``spec`` (for x-when)."""
    if spec.kind == "choice":
        return isinstance(value, str) and value in dict(spec.options)
    if spec.kind == "text":
        return isinstance(value, str)
    if spec.kind == "boolean":
        return isinstance(value, bool)
    if spec.kind == "date":
        if not isinstance(value, str):
            return False
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    return _is_number(value)


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _show(value: Any) -> str:
    """A staff-written value as it appears in the definition, for messages."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _kind(type_: str, prop: Mapping[str, Any]) -> str:
    if type_ == "string":
        if "enum" in prop:
            return "choice"
        return {"date": "date", "attachment": "attachment"}.get(str(prop.get("format")), "text")
    if type_ == "number" and "x-sum" in prop:
        return "total"
    if type_ == "array":
        items = prop.get("items")
        return "rows" if isinstance(items, Mapping) and items.get("type") == "object" else "choices"
    return {"object": "group"}.get(type_, type_)
