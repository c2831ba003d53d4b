"""SMS one-time codes: issue within the quotas, check, use once (T-A3, T-K5)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import limits, rules
from tongban.accounts.errors import InvalidDetailsError, PhoneCodeError, RateLimitedError
from tongban.accounts.models import PhoneCode
from tongban.accounts.services.users import portal_user
from tongban.accounts.types import CodeSent
from tongban.core.sms import SmsTemplate, send_sms
from tongban.core.sms.masking import mask_phone

CODE_VALID_MINUTES = 10
CODE_MAX_WRONG_TRIES = 5

PHONE_CODE_SMS = SmsTemplate(
    name="phone_code",
    text=gettext_lazy(
        "您的验证码为%(code)s，%(minutes)s分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    ),
)


def client_subject(client_ip: str) -> str:
    """The quota key of a client address (requests without one share a key)."""
    return client_ip or "unknown"


def _code_digest(*, phone: str, purpose: str, code: str) -> str:
    # Keyed with SECRET_KEY: a plain hash of a 6-digit code is reversed in a millisecond.
    return salted_hmac(
        "tongban.accounts.PhoneCode", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


@sensitive_variables("code")
def request_phone_code(*, phone: str, purpose: str, client_ip: str) -> CodeSent:
    """Issue a 6-digit code for ``purpose`` (register or login) and text it to ``phone``.

    Enforces the code quotas (``tongban.accounts.services`` docstring) and raises ``RateLimitedError`` (429) past them, or
    ``InvalidDetailsError`` for a malformed number. A login code for a number without a portal account is
    stored but not sent, and the answer is the same as for a registered number (T-A2). A newer code
    replaces older ones of the same phone and purpose. Raises ``SmsDeliveryError`` (503) when the
    gateway fails; the code is then not stored.
    """
    phone = rules.clean_code(phone)
    if problem := rules.phone_problem(phone):
        raise InvalidDetailsError({"phone": problem})
    if purpose not in PhoneCode.Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not limits.hit(limits.codes_per_address(), client_subject(client_ip)):
        raise RateLimitedError(_("获取验证码的次数过多，请1小时后再试"), field="phone")
    if not limits.hit(limits.CODE_PER_PHONE_MINUTE, phone):
        raise RateLimitedError(_("获取验证码过于频繁，请60秒后再试"), field="phone")
    if not limits.hit(limits.CODE_PER_PHONE_DAY, f"{phone}:{timezone.localdate():%Y-%m-%d}"):
        raise RateLimitedError(_("该手机号码今天获取验证码的次数已达上限，请明天再试"), field="phone")

    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_code_digest(phone=phone, purpose=purpose, code=code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_VALID_MINUTES),
        )
        if purpose == PhoneCode.Purpose.REGISTER or portal_user(phone) is not None:
            send_sms(phone, PHONE_CODE_SMS, {"code": code, "minutes": str(CODE_VALID_MINUTES)})
    return CodeSent(masked_phone=mask_phone(phone), valid_minutes=CODE_VALID_MINUTES)


@sensitive_variables("code")
def match_code(*, phone: str, purpose: str, code: str) -> int:
    """The id of the live code ``code`` of ``phone`` and ``purpose``, unused yet; a wrong try is counted
    and committed before ``PhoneCodeError`` is raised."""
    code = rules.clean_code(code)
    if problem := rules.code_problem(code):
        raise InvalidDetailsError({"code": problem})
    with transaction.atomic():
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        if (
            latest is None
            or latest.used_at is not None
            or latest.attempts >= CODE_MAX_WRONG_TRIES
            or timezone.now() > latest.expires_at
        ):
            refusal = PhoneCodeError(expired=True)
        elif not constant_time_compare(
            latest.code_hash, _code_digest(phone=phone, purpose=purpose, code=code)
        ):
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
            refusal = PhoneCodeError(expired=False)
        else:
            return latest.pk
    raise refusal


def use_code(code_id: int) -> None:
    """Mark the code used; of two requests racing with the same code only one gets here first."""
    if PhoneCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=timezone.now()) != 1:
        raise PhoneCodeError(expired=True)


@sensitive_variables("code")
def verify_phone_code(*, phone: str, purpose: str, code: str) -> None:
    """Accept ``code`` once for ``phone`` and ``purpose`` (T-A3).

    Only the newest code of that phone and purpose counts. Raises ``PhoneCodeError``: wrong (the try is
    counted), or expired after 10 minutes, already used, issued for another purpose or phone, or after
    5 wrong tries; ``InvalidDetailsError`` for an empty or malformed code (not counted).
    """
    phone = rules.clean_code(phone)
    code_id = match_code(phone=phone, purpose=purpose, code=code)
    with transaction.atomic():
        use_code(code_id)
