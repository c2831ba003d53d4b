"""Portal login of citizens and enterprises, by password or SMS code (T-A1, T-A2, T-A3)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import limits, rules
from tongban.accounts.errors import InvalidDetailsError, LoginError, PhoneCodeError, RateLimitedError
from tongban.accounts.models import PhoneCode
from tongban.accounts.services.codes import client_subject, verify_phone_code
from tongban.accounts.services.users import portal_user
from tongban.core import audit


def audit_login(
    event: str, *, user_id: int | None, client_ip: str, failed: bool = False, reason: str = ""
) -> None:
    """One audit row per login step (T-J2): ``account`` is the account tried (empty when unknown); the
    actor is only known once the step succeeded. The typed identifier is never written (T-M2)."""
    audit.record(
        event=event,
        actor_id=None if failed else user_id,
        object_type="account",
        object_id=user_id or "",
        failed=failed,
        reason=reason,
        ip=client_ip,
    )


def refuse_locked_address(client_ip: str) -> None:
    """Raise ``RateLimitedError`` (429) while ``client_ip`` is past its failed-login quota."""
    if limits.is_reached(limits.login_failures_per_address(), client_subject(client_ip)):
        raise RateLimitedError(_("登录失败次数过多，请15分钟后再试"))


def count_account_attempt(account: str, *, locked: str) -> None:
    """Count a login attempt on ``account``; past 5 in 15 minutes raise ``RateLimitedError`` (429) with
    ``locked``. Counted before the credential is checked, so parallel guesses cannot slip past the limit;
    the caller resets the count once the login succeeds."""
    if not limits.hit(limits.PASSWORD_FAILURES_PER_ACCOUNT, account):
        raise RateLimitedError(locked)


def count_failed_login(client_ip: str) -> None:
    limits.hit(limits.login_failures_per_address(), client_subject(client_ip))


@sensitive_variables("password")
def check_password_login(*, phone: str, password: str, client_ip: str) -> int:
    """The id of the citizen or enterprise account that ``phone`` and ``password`` open (T-A1, T-A2).

    Unknown phone, wrong password, a staff or a disabled account all raise the same ``LoginError`` after
    the same password-hashing work. Past the failure quotas (``tongban.accounts.services`` docstring) ``RateLimitedError`` (429)
    is raised before the password is looked at, so the right password is refused in the same words
    while the lock lasts. A success clears the phone's failure count. The caller starts the session.
    """
    phone = rules.clean_code(phone)
    errors = {"phone": rules.phone_problem(phone), "password": None if password else _("请输入密码")}
    if problems := {field: message for field, message in errors.items() if message}:
        raise InvalidDetailsError(problems)
    try:
        refuse_locked_address(client_ip)
        count_account_attempt(
            phone, locked=_("该手机号码登录失败次数过多，请15分钟后再试，或使用短信验证码登录")
        )
    except RateLimitedError:
        audit_login("login.password", user_id=None, client_ip=client_ip, failed=True, reason="locked")
        raise
    user = portal_user(phone)
    if user is not None and user.check_password(password):
        limits.reset(limits.PASSWORD_FAILURES_PER_ACCOUNT, phone)
        audit_login("login.password", user_id=user.pk, client_ip=client_ip)
        return user.pk
    if user is None:
        make_password(password)  # the same work as checking a real account's password
    count_failed_login(client_ip)
    audit_login(
        "login.password", user_id=user.pk if user else None, client_ip=client_ip, failed=True, reason="wrong"
    )
    raise LoginError()


@sensitive_variables("code")
def check_code_login(*, phone: str, code: str, client_ip: str) -> int:
    """The id of the citizen or enterprise account of ``phone``, once its login code is accepted.

    Uses ``verify_phone_code`` rules (a register code is refused here, T-A3). Failures count towards the
    client address's login quota; an unregistered phone fails like a wrong code (its codes are never
    sent). Raises ``PhoneCodeError``, ``InvalidDetailsError`` or ``RateLimitedError``.
    """
    phone = rules.clean_code(phone)
    if problem := rules.phone_problem(phone):
        raise InvalidDetailsError({"phone": problem})
    try:
        refuse_locked_address(client_ip)
    except RateLimitedError:
        audit_login("login.code", user_id=None, client_ip=client_ip, failed=True, reason="locked")
        raise
    try:
        verify_phone_code(phone=phone, purpose=PhoneCode.Purpose.LOGIN, code=code)
        user = portal_user(phone)
        if user is None:
            raise PhoneCodeError(expired=False)
    except PhoneCodeError:
        count_failed_login(client_ip)
        audit_login("login.code", user_id=None, client_ip=client_ip, failed=True, reason="wrong")
        raise
    audit_login("login.code", user_id=user.pk, client_ip=client_ip)
    return user.pk
