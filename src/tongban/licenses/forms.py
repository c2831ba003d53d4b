from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.licenses.services import SHARE_MAX_DAYS


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("注销原因"),
        max_length=500,
        error_messages={"required": _("请输入注销原因"), "max_length": _("注销原因不能超过500个字")},
    )


class ShareForm(forms.Form):
    purpose = forms.CharField(
        label=_("用途"),
        max_length=100,
        help_text=_("例如：办理银行开户。加注件上会显示“仅用于”此用途。"),
        error_messages={"required": _("请输入用途"), "max_length": _("用途不能超过100个字")},
    )
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=SHARE_MAX_DAYS,
        initial=7,
        help_text=_("1到30天，到期后链接失效"),
        error_messages={
            "required": _("请输入有效天数"),
            "invalid": _("有效天数须为1到30天"),
            "min_value": _("有效天数须为1到30天"),
            "max_value": _("有效天数须为1到30天"),
        },
    )
    fields = forms.MultipleChoiceField(
        label=_("公开的照面信息"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未选择的信息不会显示给对方"),
    )

    def __init__(self, *args, face_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = face_choices
