"""Forms of the archive pages. They only parse; the services check and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.archives.models import RecordSource, Retention
from tongban.archives.rules import DOCUMENT_KINDS

REQUIRED = {"aria-required": "true"}


class RetentionRuleForm(forms.Form):
    position = forms.IntegerField(
        label=_("顺序"),
        help_text=_("从小到大依次匹配，第一条符合的规则决定保管期限"),
        min_value=0,
        max_value=32000,
        error_messages={
            "required": _("请输入顺序"),
            "invalid": _("顺序应为整数"),
            "min_value": _("顺序应为0到32000之间的整数"),
            "max_value": _("顺序应为0到32000之间的整数"),
        },
    )
    kind = forms.ChoiceField(
        label=_("文种"), required=False, choices=[("", _("任何文种"))] + [(k, k) for k in DOCUMENT_KINDS]
    )
    source = forms.ChoiceField(
        label=_("适用于"), required=False, choices=[("", _("发文和收文")), *list(RecordSource.choices)]
    )
    title_contains = forms.CharField(label=_("标题含有（选填）"), required=False, max_length=50)
    retention = forms.ChoiceField(
        label=_("保管期限"),
        choices=[("", _("请选择")), *list(Retention.choices)],
        error_messages={"required": _("请选择保管期限")},
        widget=forms.Select(attrs=REQUIRED),
    )
    note = forms.CharField(label=_("依据或说明（选填）"), required=False, max_length=200)


class ArchiveSearchForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=9999)
    q = forms.CharField(label=_("题名、档号或文号"), required=False, max_length=100)


class OrganisationCodeForm(forms.Form):
    department = forms.ChoiceField(label=_("部门"), required=False, widget=forms.Select(attrs=REQUIRED))
    code = forms.CharField(
        label=_("机构（问题）代码"),
        help_text=_("1到8位大写字母或数字，如：BGS（办公室）；用于此后归档的档号"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs=REQUIRED),
    )

    def __init__(self, *args, departments: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("请选择")), *((str(i), n) for i, n in departments)]
