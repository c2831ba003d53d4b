from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import ServiceForm

SCOPES = [("openid", _("身份标识（必选）")), ("profile", _("姓名")), ("staff", _("所在部门与岗位角色"))]


class RelyingPartyForm(ServiceForm):
    name = forms.CharField(
        label=_("系统名称"), max_length=100, required=False, help_text=_("如：市档案馆 业务系统")
    )
    redirect_uris = forms.CharField(
        label=_("回调地址"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，须以 https:// 开头；登录时逐字比对"),
    )
    post_logout_redirect_uris = forms.CharField(
        label=_("注销后返回地址"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个，可不填"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("允许的授权范围"), choices=SCOPES, required=False, widget=forms.CheckboxSelectMultiple
    )
    backchannel_logout_uri = forms.URLField(
        label=_("后端注销地址"),
        required=False,
        assume_scheme="https",
        help_text=_("工作人员注销时通知该系统，可不填"),
    )

    def lines(self, field: str) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get(field, "").splitlines() if line.strip()]
