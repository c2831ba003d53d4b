"""The 诉求 forms (portal, mailboxes, 来电录入); each error names its field (the error summary links to
it). The services check the same rules again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.hotline.models import OrderType, Urgency
from tongban.organizations.selectors import regions_tree

MAYOR = "mayor"


def region_choices() -> list[tuple[str, str]]:
    return [("", _("请选择（选填）"))] + [
        (str(region.id), "　" * max(depth - 1, 0) + region.name)
        for region, depth in regions_tree()
        if depth >= 1
    ]


class _Base(forms.Form):
    use_required_attribute = False  # UX.md: server-side validation only
    order_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=OrderType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择诉求类型")},
    )
    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请输入标题")})
    content = forms.CharField(
        label=_("诉求内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、地点、事情经过和您的诉求，2000字以内。"),
        error_messages={"required": _("请输入诉求内容")},
    )
    region = forms.TypedChoiceField(label=_("所在区域"), coerce=int, required=False, empty_value=None)
    address = forms.CharField(label=_("详细地址（选填）"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()


class OrderForm(_Base):
    """The portal form and the mailboxes (``mailboxes``: the choice of 市长信箱 or a department)."""

    mailbox = forms.ChoiceField(label=_("信箱"), required=False, error_messages={"required": _("请选择信箱")})
    publish_consent = forms.BooleanField(
        label=_("同意在公开栏公开我的诉求和答复（个人信息将隐去）"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["mailbox", "order_type", "title", "content", "region", "address", "publish_consent"]

    def __init__(self, *args: Any, mailboxes: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mailboxes is None:
            del self.fields["mailbox"]
        else:
            self.fields["mailbox"].choices = [("", _("请选择")), *mailboxes]
            self.fields["mailbox"].required = True
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class CallForm(_Base):
    """来电录入 by a 话务员."""

    caller_name = forms.CharField(
        label=_("来电人姓名"), max_length=50, error_messages={"required": _("请输入来电人姓名")}
    )
    caller_phone = forms.CharField(
        label=_("来电号码"), max_length=20, error_messages={"required": _("请输入来电号码")}
    )
    confidential = forms.BooleanField(label=_("来电人要求保密"), required=False)
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.GENERAL, widget=forms.RadioSelect
    )

    field_order = [
        "caller_name",
        "caller_phone",
        "confidential",
        "order_type",
        "urgency",
        "title",
        "content",
        "region",
        "address",
    ]


def errors_of(form: forms.Form) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, in the form's field order."""
    out = []
    for name, field in form.fields.items():
        target = f"id_{name}_0" if isinstance(field.widget, forms.RadioSelect) else f"id_{name}"
        for message in form.errors.get(name, []):
            out.append((target, message))
    out += [("main-heading", m) for m in form.non_field_errors()]
    return out
