from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.supervision.models import InterventionKind


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=InterventionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择督办或催办")},
    )
    message = forms.CharField(
        label=_("内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写督办催办内容")},
    )
    reply_due = forms.DateField(
        label=_("反馈期限（督办）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效日期，例如 2026-12-01")},
    )
