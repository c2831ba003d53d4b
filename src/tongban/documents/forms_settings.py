"""Forms of the 公文设置 pages. They only parse; the services check and say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.documents.models import DocumentKind

REQUIRED = {"aria-required": "true"}


class _Choice(forms.ChoiceField):
    """A select whose answer the service checks (with the UX.md words)."""

    def validate(self, value: Any) -> None:
        pass


def _id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class IssuingBodyForm(forms.Form):
    department = _Choice(label=_("所属部门"), required=False, widget=forms.Select(attrs=REQUIRED))
    name = forms.CharField(
        label=_("发文机关名称"),
        help_text=_("用于署名，如：云州市人民政府办公室"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=REQUIRED),
    )
    head_text = forms.CharField(
        label=_("发文机关标志"),
        help_text=_("红头文字，如：云州市人民政府办公室文件"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs=REQUIRED),
    )
    code = forms.CharField(
        label=_("机关代字"),
        help_text=_("只能是汉字，如：云州府办；文号为 机关代字〔年份〕序号号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=REQUIRED),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("请选择"))] + [(str(i), n) for i, n in departments]

    def department_id(self) -> int | None:
        return _id(self.cleaned_data.get("department") or "")


class TemplateForm(forms.Form):
    issuing_body = _Choice(label=_("发文机关"), required=False, widget=forms.Select(attrs=REQUIRED))
    kind = _Choice(
        label=_("文种"),
        required=False,
        choices=[("", _("请选择")), *DocumentKind.choices],
        widget=forms.Select(attrs=REQUIRED),
    )
    name = forms.CharField(
        label=_("模板名称"), required=False, max_length=100, widget=forms.TextInput(attrs=REQUIRED)
    )
    body_html = forms.CharField(
        label=_("正文模板（选填）"),
        help_text=_("拟稿时的起始正文。可用段落、加粗、列表和表格，其他格式会被去掉"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, bodies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].choices = [("", _("请选择"))] + [(str(i), n) for i, n in bodies]

    def issuing_body_id(self) -> int | None:
        return _id(self.cleaned_data.get("issuing_body") or "")


class _PrefixedForm(forms.Form):
    """Several forms on one page: names and ids ``<prefix>_<field>`` (ids stay word characters)."""

    def add_prefix(self, field_name: str) -> str:
        return f"{self.prefix}_{field_name}" if self.prefix else field_name


class ReserveForm(_PrefixedForm):
    count = forms.CharField(
        label=_("预留数量"),
        help_text=_("1到50个，从下一个文号起连续预留"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={**REQUIRED, "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("预留理由"), required=False, max_length=200, widget=forms.TextInput(attrs=REQUIRED)
    )


class AbandonForm(_PrefixedForm):
    document = _Choice(label=_("公文"), required=False, widget=forms.Select(attrs=REQUIRED))
    reason = forms.CharField(
        label=_("作废理由"), required=False, max_length=200, widget=forms.TextInput(attrs=REQUIRED)
    )

    def __init__(self, *args: Any, documents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("请选择"))] + [(str(i), t) for i, t in documents]


class BackfillForm(_PrefixedForm):
    document = _Choice(label=_("公文"), required=False, widget=forms.Select(attrs=REQUIRED))
    number = _Choice(label=_("文号"), required=False, widget=forms.Select(attrs=REQUIRED))

    def __init__(
        self, *args: Any, documents: list[tuple[int, str]], numbers: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("请选择"))] + [(str(i), t) for i, t in documents]
        self.fields["number"].choices = [("", _("请选择"))] + [(str(i), n) for i, n in numbers]


def posted_id(value: str) -> int | None:
    return _id(value)
