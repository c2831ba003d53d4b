"""Account writes: phone codes, registration of citizens and enterprises, portal and staff login,
enterprise agents, staff accounts as administrators manage them (``staff_accounts``).

Quotas (THREATS T-A1, T-A3, T-K5; ASVS 6.1.1 asks for them to be written down):
- SMS codes: 6 digits from ``secrets``, valid 10 minutes, dead after 5 wrong tries, used once, bound to
  the phone and purpose they were issued for. At most 1 per phone per 60 s, 10 per phone per calendar
  day and ``TONGBAN_SMS_CODES_PER_IP_PER_HOUR`` (default 20) per client address per hour.
- Password login: after 5 failures within 15 minutes a phone number is locked for the rest of those
  15 minutes, whether or not an account uses it, so a lock reveals nothing (T-A2). A client address
  with ``TONGBAN_LOGIN_FAILURES_PER_IP`` (default 20) failed logins (password or code) in 15 minutes is
  refused too. The lock leaves login by SMS code open: it proves the phone, and its codes have their
  own limits.
- Staff login (password, then an authenticator code): the same quotas, per username. Every step counts
  as an attempt on the account, a right password included, and only an accepted code clears the count:
  the 6th attempt within 15 minutes without a completed login is refused, so a stolen password buys at
  most 4 code guesses per 15 minutes. Wrong codes count towards the address quota like wrong passwords.
  Codes: TOTP (RFC 6238, SHA-1, 6 digits, 30 s), the server's step ±1, each step accepted once (T-A4).

Functions that check a code must not run inside a caller's transaction that a refusal rolls back: the
wrong-try count is committed before the refusal is raised, or brute force would cost nothing.
"""

from tongban.accounts.services.agents import authorize_agent, revoke_agent
from tongban.accounts.services.codes import request_phone_code, verify_phone_code
from tongban.accounts.services.login import check_code_login, check_password_login
from tongban.accounts.services.registration import register_citizen, register_enterprise, resident_id_digest
from tongban.accounts.services.staff import (
    check_staff_password,
    confirm_totp_enrolment,
    start_totp_enrolment,
    verify_staff_totp,
)
from tongban.accounts.services.staff_accounts import (
    clean_staff_phone,
    create_staff_account,
    issue_staff_password,
    remove_authenticator,
    set_staff_active,
    staff_account_problems,
)
from tongban.accounts.services.users import ensure_user

__all__ = [
    "authorize_agent",
    "check_code_login",
    "check_password_login",
    "check_staff_password",
    "clean_staff_phone",
    "confirm_totp_enrolment",
    "create_staff_account",
    "ensure_user",
    "issue_staff_password",
    "register_citizen",
    "register_enterprise",
    "remove_authenticator",
    "request_phone_code",
    "resident_id_digest",
    "revoke_agent",
    "set_staff_active",
    "staff_account_problems",
    "start_totp_enrolment",
    "verify_phone_code",
    "verify_staff_totp",
]
