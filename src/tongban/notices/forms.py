"""Forms of the notice pages. They only parse: the rules and their messages live in ``services``,
whose ``field_errors`` come back here to be shown next to the answers (UX.md)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import REQUIRED, ServiceForm
from tongban.appointments.forms import DatePartsField
from tongban.notices.types import NoticeDraft
from tongban.organizations.forms import parse_id
from tongban.organizations.types import DepartmentRef

CITYWIDE = "citywide"
DEPARTMENTS = "departments"


class _Choice(forms.ChoiceField):
    def validate(self, value: Any) -> None:  # the service checks it, with the UX.md words
        pass


class _Choices(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        pass


class NoticeForm(ServiceForm):
    title = forms.CharField(
        label=_("标题"), required=False, widget=forms.TextInput(attrs={**REQUIRED, "maxlength": 120})
    )
    body = forms.CharField(
        label=_("正文"),
        help_text=_("段落之间空一行"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={**REQUIRED, "rows": 12}),
    )
    department = _Choice(label=_("发布部门"), required=False)
    audience = _Choice(
        label=_("发送范围"),
        required=False,
        widget=forms.RadioSelect,
        choices=[(CITYWIDE, _("全市")), (DEPARTMENTS, _("指定部门"))],
    )
    departments = _Choices(
        label=_("接收部门"),
        help_text=_("选择“指定部门”时填写，部门的全体工作人员都能看到"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requires_receipt = forms.BooleanField(
        label=_("需阅知（接收人须点击“已阅知”，您可以查看阅知情况并催阅）"), required=False
    )
    is_pinned = forms.BooleanField(label=_("置顶"), required=False)
    expires_on = DatePartsField(
        label=_("有效期至（选填）"),
        help_text=_("例如 2027 3 31，过期后不再显示在通知列表中"),
        required=False,
        required_message=_("请输入有效期"),
        invalid_message=_("有效期须为真实的日期"),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        departments: list[DepartmentRef],
        audience: list[DepartmentRef],
        citywide: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("请选择"))] + [(str(d.id), d.name) for d in departments]
        self.fields["departments"].choices = [(str(d.id), d.name) for d in audience]
        if not citywide:
            self.fields["audience"].choices = [(DEPARTMENTS, _("指定部门"))]
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex
        if len(departments) == 1 and not self.initial.get("department"):
            self.initial["department"] = str(departments[0].id)
        self.initial.setdefault("audience", DEPARTMENTS)

    def draft(self) -> NoticeDraft:
        data = self.cleaned_data
        return NoticeDraft(
            title=data.get("title") or "",
            body=data.get("body") or "",
            department_id=parse_id(data.get("department") or ""),
            is_citywide=data.get("audience") == CITYWIDE,
            audience_ids=tuple(i for v in data.get("departments") or [] if (i := parse_id(v)) is not None),
            is_pinned=bool(data.get("is_pinned")),
            requires_receipt=bool(data.get("requires_receipt")),
            expires_on=data.get("expires_on"),
        )


class AttachmentForm(ServiceForm):
    file = forms.FileField(
        label=_("添加附件"),
        help_text=_("PDF、OFD、JPG 或 PNG 格式，小于 20MB，最多 10 个"),
        required=False,
    )


class WithdrawForm(ServiceForm):
    reason = forms.CharField(
        label=_("撤回原因"),
        help_text=_("阅读人打开该通知时会看到撤回原因"),
        required=False,
        widget=forms.TextInput(attrs={**REQUIRED, "maxlength": 200}),
    )
