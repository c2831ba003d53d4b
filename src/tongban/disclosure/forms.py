"""The item form and the small forms of the item page; each error names its field (the error summary
links to it). The services check the same rules again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.disclosure.models import Category, PolicyKind, Topic, Validity
from tongban.disclosure.rules import ItemFields

DATE_HINT = _("例如 2026-03-02")


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.TextInput(attrs={"class": "input-medium", "inputmode": "numeric", "maxlength": "10"}),
        error_messages={"invalid": _("日期应写成 年-月-日，例如 2026-03-02"), "required": _("请输入日期")},
    )


class ItemForm(forms.Form):
    use_required_attribute = False  # UX.md: server-side validation only
    department = forms.TypedChoiceField(
        label=_("公开部门"), coerce=int, error_messages={"required": _("请选择公开部门")}
    )
    category = forms.ChoiceField(
        label=_("公开目录"), choices=Category.choices, error_messages={"required": _("请选择公开目录")}
    )
    policy_kind = forms.ChoiceField(
        label=_("文件类别（政策文件填写）"), choices=[("", "—"), *PolicyKind.choices], required=False
    )
    key_area = forms.CharField(label=_("重点领域子目录（重点领域填写）"), max_length=50, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请输入标题")})
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    issuer = forms.CharField(label=_("发布机构（选填，默认为本部门）"), max_length=100, required=False)
    document_number = forms.CharField(label=_("文号（选填）"), max_length=50, required=False)
    written_on = _date(_("成文日期（选填）"))
    changed_on = _date(_("信息形成或变更日期（选填，默认为今天）"))
    topic = forms.ChoiceField(label=_("主题分类"), choices=Topic.choices, initial=Topic.GENERAL)
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices, initial=Validity.VALID)
    validity_changed_on = _date(_("失效或废止日期（失效、废止时填写）"))

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments  # type: ignore[attr-defined]

    def item_fields(self) -> ItemFields:
        d = self.cleaned_data
        return ItemFields(
            category=d["category"],
            policy_kind=d["policy_kind"],
            key_area=d["key_area"],
            title=d["title"],
            body=d["body"],
            issuer=d["issuer"],
            written_on=d["written_on"],
            document_number=d["document_number"],
            topic=d["topic"],
            validity=d["validity"],
            validity_changed_on=d["validity_changed_on"],
            changed_on=d["changed_on"],
        )


def initial_of(item: Any) -> dict[str, Any]:
    return {
        "department": item.department_id,
        "category": item.category,
        "policy_kind": item.policy_kind,
        "key_area": item.key_area,
        "title": item.title,
        "body": item.body,
        "issuer": item.issuer,
        "document_number": item.document_number,
        "written_on": item.written_on,
        "changed_on": item.changed_on,
        "topic": item.topic,
        "validity": item.validity,
        "validity_changed_on": item.validity_changed_on,
    }


class ValidityForm(forms.Form):
    use_required_attribute = False
    validity = forms.ChoiceField(
        label=_("有效性"), choices=Validity.choices, error_messages={"required": _("请选择有效性")}
    )
    validity_changed_on = _date(_("日期"), required=True)


def errors_of(form: forms.Form, prefix: str = "id_") -> list[tuple[str, str]]:
    """(field id, message) for the error summary; non-field errors link to the form's first field."""
    found: list[tuple[str, str]] = []
    first = next(iter(form.fields), "")
    for name, messages in form.errors.items():
        target = f"{prefix}{name}" if name != "__all__" else f"{prefix}{first}"
        found += [(target, str(m)) for m in messages]
    return found


def year_month(value: str | None, today: dt.date) -> tuple[int, int]:
    """``2026-03`` → (2026, 3); anything else: the current month."""
    try:
        year, month = (int(p) for p in (value or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month
