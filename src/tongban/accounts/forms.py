"""Forms of the account pages. They only parse: every rule and message lives in the services, whose
``AccountError.field_errors`` come back here to be shown next to the answers (UX.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.errors import TongbanError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUIRED = {"aria-required": "true"}


def _text(label: StrOrPromise, hint: StrOrPromise = "", **attrs: str) -> forms.CharField:
    # required=False: validation is server-side in the services, with their messages (UX.md: no
    # ``required`` attribute, aria-required instead).
    return forms.CharField(
        label=label, help_text=hint, required=False, widget=forms.TextInput(attrs={**REQUIRED, **attrs})
    )


def _phone(hint: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=_("手机号码"),
        help_text=hint,
        required=False,
        widget=forms.TextInput(
            attrs={**REQUIRED, "type": "tel", "autocomplete": "tel", "inputmode": "numeric"}
        ),
    )


def _code() -> forms.CharField:
    return _text(
        _("短信验证码"),
        _("6位数字，10分钟内有效"),
        autocomplete="one-time-code",
        inputmode="numeric",
        spellcheck="false",
    )


def _password(label: StrOrPromise, hint: StrOrPromise, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={**REQUIRED, "autocomplete": autocomplete}),
    )


class ServiceForm(forms.Form):
    def add_service_error(self, error: TongbanError) -> None:
        """Show a refused service call: each message next to its answer, the rest above the form."""
        field_errors = getattr(error, "field_errors", {})
        for field, message in field_errors.items():
            self.add_error(field if field in self.fields else None, message)
        if not field_errors:
            self.add_error(None, error.message)

    def focus(self, field: str) -> None:
        self.fields[field].widget.attrs["autofocus"] = True


class AccountKindForm(ServiceForm):
    kind = forms.CharField(required=False)


class CitizenRegistrationForm(ServiceForm):
    full_name = _text(_("姓名"), _("与居民身份证上的姓名一致"), autocomplete="name")
    resident_id = _text(
        _("身份证号码"), _("18位，最后一位可能是字母X"), autocomplete="off", spellcheck="false"
    )
    phone = _phone(_("用于登录和接收验证码，一个手机号码只能注册一个账户"))
    code = _code()
    password = _password(
        _("设置密码"),
        _("至少10个字符，不要全用数字，不要包含生日、手机号码或“通办”等容易猜到的内容"),
        "new-password",
    )


class EnterpriseRegistrationForm(ServiceForm):
    name = _text(_("单位名称"), _("与营业执照或登记证书上的名称一致"), autocomplete="organization")
    uscc = _text(
        _("统一社会信用代码"),
        _("18位，印在营业执照或登记证书上，由数字和大写字母组成"),
        autocomplete="off",
        spellcheck="false",
    )
    legal_representative = _text(_("法定代表人姓名"), autocomplete="off")
    phone = _phone(_("经办人的手机号码，用于登录和接收验证码，一个手机号码只能注册一个账户"))
    code = _code()
    password = _password(
        _("设置密码"),
        _("至少10个字符，不要全用数字，不要包含手机号码或“通办”等容易猜到的内容"),
        "new-password",
    )


class PasswordLoginForm(ServiceForm):
    phone = _phone(_("注册时填写的手机号码"))
    password = _password(_("密码"), "", "current-password")


class CodeLoginForm(ServiceForm):
    phone = _phone(_("注册时填写的手机号码"))
    code = _code()


class StaffPasswordForm(ServiceForm):
    username = _text(_("用户名"), autocomplete="username", autocapitalize="none", spellcheck="false")
    password = _password(_("密码"), "", "current-password")


class AuthenticatorCodeForm(ServiceForm):
    code = _text(
        _("验证码"),
        _("身份验证器应用中“通办”显示的6位数字"),
        autocomplete="one-time-code",
        inputmode="numeric",
        spellcheck="false",
    )
