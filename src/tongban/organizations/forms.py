"""Forms of the people pages (人员管理). They only parse: every rule and message lives in the services,
whose ``field_errors`` come back here to be shown next to the answers (UX.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import REQUIRED, ServiceForm
from tongban.organizations.types import DepartmentRef, RegionRef


class _Choice(forms.ChoiceField):
    """A select whose answer the service checks (with the UX.md words), not Django's "valid choice"."""

    def validate(self, value: Any) -> None:
        pass


class _Choices(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        pass


def _department_choices(departments: list[DepartmentRef]) -> list[tuple[str, str]]:
    return [("", _("请选择"))] + [(str(d.id), d.name) for d in departments]


def parse_id(value: str) -> int | None:
    """A posted id, or None for anything that is not a plain number a database key can hold."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class StaffCreateForm(ServiceForm):
    username = forms.CharField(
        label=_("用户名"),
        help_text=_("登录时使用。以小写字母开头，可包含小写字母、数字、下划线、点和连字符，3至30个字符"),
        required=False,
        widget=forms.TextInput(
            attrs={**REQUIRED, "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(
        label=_("姓名"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号码（选填）"),
        help_text=_("用于联系，不用于登录"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "numeric"}),
    )
    department = _Choice(label=_("部门"), required=False, widget=forms.Select(attrs=REQUIRED))
    roles = _Choices(
        label=_("岗位"),
        help_text=_("可选多个，以后也可以在人员页面授予或撤销"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, departments: list[DepartmentRef], roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices(departments)
        self.fields["roles"].choices = roles
        if len(departments) == 1 and not self.is_bound:
            self.initial["department"] = str(departments[0].id)


class GrantRoleForm(ServiceForm):
    department = _Choice(label=_("部门"), required=False)
    role = _Choice(label=_("岗位"), required=False)

    def __init__(
        self, *args: Any, departments: list[DepartmentRef], roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, auto_id="grant_%s", **kwargs)
        self.fields["department"].choices = _department_choices(departments)
        self.fields["role"].choices = [("", _("请选择")), *roles]
        if len(departments) == 1 and not self.is_bound:
            self.initial["department"] = str(departments[0].id)


class RoleForm(ServiceForm):
    """添加岗位 (a city's own role, e.g. 财务审核)."""

    code = forms.CharField(
        label=_("岗位代码"),
        help_text=_(
            "流程定义的 role 属性写这个代码。以小写字母开头，由小写字母、数字和下划线组成，例如 finance_review"
        ),
        required=False,
        widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("岗位名称"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off"})
    )
    description = forms.CharField(label=_("说明（选填）"), required=False)


class RoleRenameForm(ServiceForm):
    """修改岗位名称 and its description; the code stays."""

    name = forms.CharField(
        label=_("岗位名称"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off"})
    )
    description = forms.CharField(label=_("说明（选填）"), required=False)


class DepartmentForm(ServiceForm):
    """添加部门 and 修改部门: the region and parent offered are only those the administrator manages."""

    name = forms.CharField(
        label=_("部门名称"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off"})
    )
    short_name = forms.CharField(
        label=_("简称"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off"})
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        help_text=_("18位"),
        required=False,
        widget=forms.TextInput(attrs={**REQUIRED, "autocomplete": "off", "spellcheck": "false"}),
    )
    region = _Choice(label=_("所属区划"), required=False, widget=forms.Select(attrs=REQUIRED))
    parent = _Choice(label=_("上级部门（选填）"), required=False)
    phone = forms.CharField(label=_("联系电话（选填）"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[RegionRef, int]],
        departments: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("请选择"))] + [
            (str(r.id), "\u3000" * depth + r.name) for r, depth in regions
        ]
        self.fields["parent"].choices = [("", _("无"))] + [(str(i), name) for i, name in departments]
