"""Check digits of the national identifiers (pure functions, no ORM).

- GB 11643-1999 citizen identity number: a GB/T 2260 address code (its first two digits a province),
  the birth date, a sequence number and an ISO 7064 MOD 11-2 check character.
- GB 32100-2015 unified social credit code: 17 characters + MOD 31 check character.
- GB 11714-1997 organization code: 8 characters + check character (part of a USCC).

Lengths are checked before any pattern, so long input never reaches a regular expression (T-K3).
"""

from __future__ import annotations

import datetime as dt

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# GB/T 2260 province-level codes (the first two digits of an address code), plus 83: the residence
# permits of Taiwan residents (港澳台居民居住证, numbered like a resident ID from 810000, 820000 and
# 830000) are accepted wherever a resident ID is.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",  # 北京 天津 河北 山西 内蒙古
        "21", "22", "23",  # 辽宁 吉林 黑龙江
        "31", "32", "33", "34", "35", "36", "37",  # 上海 江苏 浙江 安徽 福建 江西 山东
        "41", "42", "43", "44", "45", "46",  # 河南 湖北 湖南 广东 广西 海南
        "50", "51", "52", "53", "54",  # 重庆 四川 贵州 云南 西藏
        "61", "62", "63", "64", "65",  # 陕西 甘肃 青海 宁夏 新疆
        "71", "81", "82", "83",  # 台湾 香港 澳门; 83 see above
    }
)  # fmt: skip
_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# The characters of a new organization code's body: those a USCC may hold, without X (GB 11714 keeps
# it for the check character).
ORGANIZATION_CODE_ALPHABET = USCC_ALPHABET.replace("X", "")
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(value: str, *, today: dt.date | None = None) -> bool:
    """True for an 18-character resident ID whose first two digits are a province of GB/T 2260, with a
    real birth date and a correct check character (a right check character alone is not enough)."""
    if len(value) != 18 or not value[:17].isdigit() or not value[:17].isascii():
        return False
    if value[:2] not in PROVINCE_CODES:
        return False
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if birth.year < 1900 or birth > (today or dt.date.today()):  # noqa: DTZ011
        return False
    return value[17].upper() == resident_id_check_char(value[:17])


def _org_char_value(char: str) -> int:
    # GB 11714 values: digits as themselves, letters A=10 … Z=35.
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organization_code_check_char(first8: str) -> str:
    total = sum(_org_char_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    """True for an 18-character unified social credit code whose check character is right."""
    if len(value) != 18:
        return False
    value = value.upper()
    if any(c not in USCC_ALPHABET for c in value):
        return False
    return value[17] == uscc_check_char(value[:17])


def make_uscc(*, registry: str, kind: str, region_code: str, organization_body: str) -> str:
    """Build a valid USCC from its parts (registry and kind digits, 6-digit region, 8-char body).

    Used by the demo city and by tests; the organization code gets its own GB 11714 check character.
    """
    organization = organization_body + organization_code_check_char(organization_body)
    first17 = f"{registry}{kind}{region_code}{organization}"
    return first17 + uscc_check_char(first17)
