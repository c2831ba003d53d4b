from __future__ import annotations

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
