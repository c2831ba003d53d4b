"""Refused account requests. ``field_errors`` maps the service's argument names (``phone``, ``code``…)
to the message shown next to that answer; a form shows each one there and in its error summary."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tongban.core.errors import ConflictError, TongbanError


class AccountError(TongbanError):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.field_errors: dict[str, str] = {field: message} if field else {}


class InvalidDetailsError(AccountError):
    """One or more answers break a rule; every answer's message is in ``field_errors``."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__(next(iter(field_errors.values())), code="invalid_details")
        self.field_errors = dict(field_errors)
        self.details = list(field_errors.values())


class PhoneCodeError(AccountError):
    """The SMS code is wrong, or no longer usable (expired, used, too many wrong tries, another purpose)."""

    def __init__(self, *, expired: bool) -> None:
        if expired:
            super().__init__(_("验证码已失效，请重新获取"), field="code", code="code_expired")
        else:
            super().__init__(_("验证码不正确，请核对后重新输入"), field="code", code="code_wrong")


class RateLimitedError(AccountError):
    """Too many requests from one phone, account or address (HTTP 429)."""

    status = 429

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="rate_limited")


class LoginError(AccountError):
    """Unknown phone, wrong password, staff or disabled account: one message for all of them (T-A2)."""

    def __init__(self) -> None:
        super().__init__(_("手机号码或密码不正确"), code="login_failed")


class StaffLoginError(AccountError):
    """Unknown username, wrong password, a citizen, enterprise or disabled account: one message (T-A2)."""

    def __init__(self) -> None:
        super().__init__(_("用户名或密码不正确"), code="login_failed")


class TotpCodeError(AccountError):
    """The authenticator code is wrong, more than one time step from the server's clock, or from a step
    that was used already (T-A4). One message for all: a replayed code is not a hint that it was right."""

    def __init__(self) -> None:
        super().__init__(
            _("验证码不正确或已使用，请输入身份验证器当前显示的6位数字"), field="code", code="code_wrong"
        )


class TotpEnrolmentError(AccountError):
    """The account already has a confirmed authenticator; only an administrator can remove it (HTTP 409)."""

    status = ConflictError.status

    def __init__(self) -> None:
        super().__init__(_("该账户已绑定身份验证器。如需更换，请联系系统管理员。"), code="totp_enrolled")


class AgentError(AccountError):
    """A refused authorization or revocation of an enterprise's agent."""


class AgentConflictError(AgentError):
    status = ConflictError.status


class StaffAccountNotFound(AccountError):
    """No staff account has that id (HTTP 404)."""

    status = 404

    def __init__(self) -> None:
        super().__init__(_("没有找到该工作人员"), code="not_found")
