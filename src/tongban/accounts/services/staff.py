"""Staff login in two steps: password, then a code from an authenticator app (T-A1, T-A4, T-A5).

The staff login view keeps the id that ``check_staff_password`` returns in the session, without logging
anyone in, until ``verify_staff_totp`` (or ``confirm_totp_enrolment``, the first time) accepts a code;
only then does it start the session.
"""

from __future__ import annotations

import logging

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import limits, rules, totp
from tongban.accounts.errors import (
    InvalidDetailsError,
    RateLimitedError,
    StaffLoginError,
    TotpCodeError,
    TotpEnrolmentError,
)
from tongban.accounts.models import StaffTotpDevice, User
from tongban.accounts.services.codes import client_subject
from tongban.accounts.services.login import (
    audit_login,
    count_account_attempt,
    count_failed_login,
    refuse_locked_address,
)
from tongban.accounts.services.users import staff_user
from tongban.accounts.types import TotpEnrolment

# Ids and addresses only: never the typed username (T-J3) or a code.
logger = logging.getLogger(__name__)
# Audit events of the two steps (T-J2).
PASSWORD_STEP = "staff_login.password"  # noqa: S105 - an event name
CODE_STEP = "staff_login.second_factor"


def _count_attempt(step: str, *, username: str, user_id: int | None, client_ip: str) -> None:
    """The address and account quotas of a login step (T-A1); a refusal is audited as its failure."""
    try:
        refuse_locked_address(client_ip)
        count_account_attempt(_account(username), locked=_locked())
    except RateLimitedError:
        audit_login(step, user_id=user_id, client_ip=client_ip, failed=True, reason="locked")
        raise


def _account(username: str) -> str:
    # A staff name never shares a failure count with a portal phone number.
    return f"staff:{username}"


def _locked() -> str:
    return _("该账户登录失败次数过多，请15分钟后再试")


@sensitive_variables("password")
def check_staff_password(*, username: str, password: str, client_ip: str) -> int:
    """The id of the staff account that ``username`` and ``password`` open: the first of two steps.

    Unknown username, wrong password, a citizen, enterprise or disabled account all raise the same
    ``StaffLoginError`` after the same password-hashing work. The quotas are the portal's (``services``
    docstring): past them ``RateLimitedError`` (429) is raised before the password is looked at, so the
    right password is refused in the same words while the lock lasts. A right password does not clear the
    account's count: only an accepted code does, or someone holding the password could guess codes four
    at a time forever. Raises ``InvalidDetailsError`` for empty answers (not counted).
    """
    username = username.strip()
    errors = {
        "username": None if username else _("请输入用户名"),
        "password": None if password else _("请输入密码"),
    }
    if problems := {field: message for field, message in errors.items() if message}:
        raise InvalidDetailsError(problems)
    _count_attempt(PASSWORD_STEP, username=username, user_id=None, client_ip=client_ip)
    user = staff_user(username)
    if user is not None and user.check_password(password):
        audit_login(PASSWORD_STEP, user_id=user.pk, client_ip=client_ip)
        return user.pk
    if user is None:
        make_password(password)  # the same work as checking a real account's password
    count_failed_login(client_ip)
    audit_login(
        PASSWORD_STEP, user_id=user.pk if user else None, client_ip=client_ip, failed=True, reason="wrong"
    )
    logger.warning(
        "staff login refused: wrong password or not a staff account, from %s", client_subject(client_ip)
    )
    raise StaffLoginError()


@sensitive_variables("secret")
@transaction.atomic
def start_totp_enrolment(*, user_id: int) -> TotpEnrolment:
    """A new authenticator secret for the staff account ``user_id`` to add to an app; it counts once
    ``confirm_totp_enrolment`` accepted a code from it.

    The secret (160 bits from ``secrets``) is stored encrypted and replaces one not yet confirmed. An
    account with a confirmed authenticator gets ``TotpEnrolmentError`` (409): only an administrator can
    remove it (人员管理: 重置身份验证器), so a stolen password cannot swap in the thief's phone.
    """
    username = User.objects.values_list("username", flat=True).get(pk=user_id)
    device = StaffTotpDevice.objects.select_for_update().filter(user_id=user_id).first()
    if device is not None and device.confirmed_at is not None:
        raise TotpEnrolmentError()
    secret = totp.new_secret()
    StaffTotpDevice.objects.update_or_create(
        user_id=user_id,
        defaults={
            "encrypted_secret": totp.encrypt_secret(secret),
            "created_at": timezone.now(),
            "last_used_step": None,
        },
    )
    return totp.enrolment(secret, account_name=username)


@sensitive_variables("code")
def _accept_code(*, user_id: int, code: str, client_ip: str, confirming: bool) -> None:
    code = rules.clean_code(code)
    if problem := rules.code_problem(code, empty=_("请输入验证码")):
        raise InvalidDetailsError({"code": problem})
    username = User.objects.filter(pk=user_id, is_active=True).values_list("username", flat=True).first()
    if username is None:
        audit_login(CODE_STEP, user_id=user_id, client_ip=client_ip, failed=True, reason="inactive")
        raise TotpCodeError()
    _count_attempt(CODE_STEP, username=username, user_id=user_id, client_ip=client_ip)
    now = timezone.now()
    accepted = False
    with transaction.atomic():
        device = (
            StaffTotpDevice.objects.select_for_update()
            .filter(user_id=user_id, confirmed_at__isnull=confirming)
            .first()
        )
        if device is not None:
            step = totp.matching_step(totp.decrypt_secret(device.encrypted_secret), code, at=now)
            # The step must be newer than the last one used: a code is good once, and never after a later one.
            if step is not None and (device.last_used_step is None or step > device.last_used_step):
                device.last_used_step = step
                if confirming:
                    device.confirmed_at = now
                device.save(update_fields=["last_used_step", "confirmed_at"])
                accepted = True
    if not accepted:
        count_failed_login(client_ip)
        logger.warning("staff login refused: wrong or used authenticator code for user %s", user_id)
        audit_login(CODE_STEP, user_id=user_id, client_ip=client_ip, failed=True, reason="wrong")
        raise TotpCodeError()
    limits.reset(limits.PASSWORD_FAILURES_PER_ACCOUNT, _account(username))
    audit_login(CODE_STEP, user_id=user_id, client_ip=client_ip, reason="enrolled" if confirming else "")
    logger.info("staff user %s passed the second factor", user_id)


@sensitive_variables("code")
def confirm_totp_enrolment(*, user_id: int, code: str, client_ip: str) -> None:
    """Make the authenticator added after ``start_totp_enrolment`` count, with a code it shows; this is
    also the second step of that login. Rules, counting and errors as for ``verify_staff_totp``."""
    _accept_code(user_id=user_id, code=code, client_ip=client_ip, confirming=True)


@sensitive_variables("code")
def verify_staff_totp(*, user_id: int, code: str, client_ip: str) -> None:
    """Accept ``code`` from the confirmed authenticator of ``user_id``: the second step of a staff login.

    Rules (T-A4): the code of the server's current 30-second step or of one step either side; each step
    is accepted once, and no step older than the last one used. A refused code counts towards both
    quotas like a wrong password, and raises ``TotpCodeError``; past the quotas ``RateLimitedError``
    (429) is raised before the code is looked at. An accepted code clears the account's count. Raises
    ``InvalidDetailsError`` for an empty or malformed code (not counted).
    """
    _accept_code(user_id=user_id, code=code, client_ip=client_ip, confirming=False)
