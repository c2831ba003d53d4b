from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class DepartmentForm(forms.Form):
    """发起: the department the request is started in, asked only of someone working in several."""

    department = forms.TypedChoiceField(
        label=_("发起部门"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择发起部门")},
    )

    def __init__(self, *args, departments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.id, d.name) for d in departments]
        self.fields["department"].error_messages["invalid_choice"] = _("请选择发起部门")


class RequestFormEditForm(forms.Form):
    """A request form's name and its two JSON documents, as text; the form engine checks them."""

    name = forms.CharField(
        label=_("表单名称"), max_length=200, error_messages={"required": _("请输入表单名称")}
    )
    schema = forms.CharField(
        label=_("JSON Schema"),
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": _("请输入JSON Schema")},
    )
    ui_schema = forms.CharField(
        label=_("UI Schema"),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("请输入UI Schema")},
    )

    def _json(self, field: str) -> object:
        try:
            return json.loads(self.cleaned_data[field])
        except ValueError as exc:
            raise forms.ValidationError(
                _("%(field)s不是有效的JSON：第%(line)d行第%(col)d列")
                % {"field": self.fields[field].label, "line": exc.lineno, "col": exc.colno}  # type: ignore[attr-defined]
            ) from exc

    def clean_schema(self) -> object:
        return self._json("schema")

    def clean_ui_schema(self) -> object:
        return self._json("ui_schema")
