"""Forms of the 通讯录 pages; they only parse (the rules are ``services.directory``'s)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import ServiceForm


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("搜索通讯录"),
        help_text=_("输入姓名、姓名拼音首字母（如 zs）、部门、职务或电话号码"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class MyDirectoryEntryForm(ServiceForm):
    position = forms.CharField(
        label=_("职务（选填）"), help_text=_("例如 科长、一级主任科员"), required=False
    )
    office_phone = forms.CharField(
        label=_("办公电话（选填）"),
        help_text=_("例如 0999-83120000"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("手机号码（选填）"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    shows_mobile = forms.BooleanField(
        label=_("在通讯录中向同事显示我的手机号码"),
        help_text=_("不勾选时，只有您自己能看到这里填写的手机号码"),
        required=False,
    )
