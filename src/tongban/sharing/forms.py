from django import forms
from django.utils.translation import gettext_lazy as _


class AnswerRequestForm(forms.Form):
    """The provider's answer to a 共享申请; the service requires the reasons of a refusal."""

    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[("approve", _("同意共享")), ("refuse", _("不同意共享"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意共享")},
    )
    reason = forms.CharField(
        label=_("不同意的理由（选填，不同意时必须填写）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
