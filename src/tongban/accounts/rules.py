"""Account rules taken from standards and house rules: pure functions, no ORM, no settings.

Each ``*_problem`` function returns the user-facing message (UX.md wording) or ``None``. Input is capped
in length before any other work, so a 100 KB answer costs nothing (T-K3).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils.translation import gettext as _

from tongban.core.identifiers import USCC_ALPHABET, resident_id_check_char, uscc_check_char

MAX_NAME_LENGTH = 50
STAFF_USERNAME_LENGTH = (3, 30)
# Staff user names start with a letter, so none can ever equal a portal login (a mobile number).
_STAFF_USERNAME_FIRST = "abcdefghijklmnopqrstuvwxyz"
_STAFF_USERNAME_REST = _STAFF_USERNAME_FIRST + "0123456789_.-"
# Longer answers are not normalized at all: they fail the length rule as typed.
_NORMALIZE_LIMIT = 64


def clean_code(value: str) -> str:
    """An identifier or number as typed on a Chinese keyboard: full-width digits and letters become
    half-width (NFKC), spaces and hyphens go, letters become upper case."""
    if len(value) > _NORMALIZE_LIMIT:
        return value
    normalized = unicodedata.normalize("NFKC", value)
    return "".join(normalized.split()).replace("-", "").upper()


def phone_problem(phone: str) -> str | None:
    """Mainland mobile numbers: 11 ASCII digits starting with 1."""
    if not phone:
        return _("请输入手机号码")
    if len(phone) != 11 or not (phone.isascii() and phone.isdigit()) or phone[0] != "1":
        return _("手机号码应为以1开头的11位数字")
    return None


def code_problem(code: str, *, empty: str | None = None) -> str | None:
    """A 6-digit code: an SMS code, or an authenticator's code with ``empty`` saying which to enter."""
    if not code:
        return empty or _("请输入短信验证码")
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return _("验证码应为6位数字")
    return None


def resident_id_problem(value: str, *, today: dt.date) -> str | None:
    """GB 11643-1999: 17 digits (6 region, 8 birth date, 3 sequence) and a MOD 11-2 check character."""
    if not value:
        return _("请输入身份证号码")
    if len(value) != 18:
        return _("身份证号码应为18位")
    first17, last = value[:17], value[17]
    if not (first17.isascii() and first17.isdigit()) or last not in "0123456789X":
        return _("身份证号码的前17位应为数字，最后一位为数字或字母X")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号码中的出生日期不正确，请核对")
    if birth.year < 1900 or birth > today:
        return _("身份证号码中的出生日期不正确，请核对")
    if last != resident_id_check_char(first17):
        return _("身份证号码的校验位不正确，请核对")
    return None


def uscc_problem(value: str) -> str | None:
    """GB 32100-2015: 18 characters from the code alphabet (no I, O, S, V, Z) with a MOD 31 check character."""
    if not value:
        return _("请输入统一社会信用代码")
    if len(value) != 18:
        return _("统一社会信用代码应为18位")
    if any(char not in USCC_ALPHABET for char in value):
        return _("统一社会信用代码只能包含数字和大写字母，不含I、O、S、V、Z")
    if value[17] != uscc_check_char(value[:17]):
        return _("统一社会信用代码的校验位不正确，请核对")
    return None


def name_problem(value: str, *, empty: str, too_long: str) -> str | None:
    if not value:
        return empty
    if len(value) > MAX_NAME_LENGTH:
        return too_long
    return None


def staff_username_problem(value: str) -> str | None:
    """A staff login name: 3 to 30 lower-case letters, digits, ``_``, ``.`` or ``-``, starting with a letter."""
    low, high = STAFF_USERNAME_LENGTH
    if not value:
        return _("请输入用户名")
    if not low <= len(value) <= high:
        return _("用户名应为3至30个字符")
    if value[0] not in _STAFF_USERNAME_FIRST or any(char not in _STAFF_USERNAME_REST for char in value):
        return _("用户名须以小写字母开头，只能包含小写字母、数字、下划线、点和连字符")
    return None


def guessable_word_in(password: str, words: list[str]) -> bool:
    """Whether the password contains one of ``words`` (case-insensitive), e.g. the city name or 通办 (T-A1)."""
    lowered = password.casefold()
    return any(word and word.casefold() in lowered for word in words)


def mask_resident_id(value: str) -> str:
    """``110101199003074514`` → ``1101**********4514`` (UX.md)."""
    return f"{value[:4]}{'*' * 10}{value[-4:]}"
