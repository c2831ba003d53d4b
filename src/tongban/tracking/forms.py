"""The 立项 form and the item page's small forms; each error names its field (the error summary links
to it). The services check the same rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.tracking import rules
from tongban.tracking.models import FeedbackCycle, TrackingLevel


class ItemForm(forms.Form):
    use_required_attribute = False  # UX.md: server-side validation only
    office_department = forms.TypedChoiceField(
        label=_("督查部门"), coerce=int, error_messages={"required": _("请选择督查部门")}
    )
    title = forms.CharField(
        label=_("督办事项"), max_length=200, error_messages={"required": _("请输入督办事项")}
    )
    requirement = forms.CharField(
        label=_("督办要求"), widget=forms.Textarea, error_messages={"required": _("请输入督办要求")}
    )
    lead_department = forms.TypedChoiceField(
        label=_("牵头单位"), coerce=int, error_messages={"required": _("请选择牵头单位")}
    )
    assisting_departments = forms.TypedMultipleChoiceField(
        label=_("协办单位（选填）"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(
        label=_("督办级别"),
        choices=TrackingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择督办级别")},
    )
    deadline_days = forms.IntegerField(
        label=_("办理时限（工作日）"),
        min_value=1,
        max_value=rules.MAX_DEADLINE_DAYS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-short", "maxlength": "3"}),
        error_messages={
            "required": _("请输入办理时限"),
            "invalid": _("办理时限须为数字"),
            "min_value": _("办理时限须为1至%(n)d个工作日") % {"n": rules.MAX_DEADLINE_DAYS},
            "max_value": _("办理时限须为1至%(n)d个工作日") % {"n": rules.MAX_DEADLINE_DAYS},
        },
    )
    cycle = forms.ChoiceField(
        label=_("反馈周期"),
        choices=FeedbackCycle.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择反馈周期")},
    )

    def __init__(
        self,
        *args: object,
        offices: list[tuple[int, str]],
        departments: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["office_department"].choices = offices  # type: ignore[attr-defined]
        self.fields["lead_department"].choices = [("", _("请选择")), *departments]  # type: ignore[attr-defined]
        self.fields["assisting_departments"].choices = departments  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        lead = data.get("lead_department")
        if lead is not None and lead in (data.get("assisting_departments") or []):
            self.add_error("assisting_departments", _("牵头单位不能同时是协办单位"))
        return data


def errors_of(form: forms.Form) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, in the form's field order."""
    out = []
    for name in form.fields:
        for message in form.errors.get(name, []):
            out.append((f"id_{name}", message))
    out += [("main-heading", m) for m in form.non_field_errors()]
    return out
