"""Registration of citizen and enterprise accounts (T-A1 passwords, T-A2 enumeration, T-M7 ID storage)."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import limits, rules
from tongban.accounts.errors import InvalidDetailsError
from tongban.accounts.models import PhoneCode, User
from tongban.accounts.services.codes import match_code, use_code
from tongban.core.sms import SmsDeliveryError, SmsTemplate, send_sms

logger = logging.getLogger(__name__)

RESIDENT_ID_REUSED_SMS = SmsTemplate(
    name="resident_id_reused",
    text=gettext_lazy(
        "有人使用您的身份证号码申请注册%(site)s账户，未予注册。您可以用本手机号码登录原账户；"
        "如非本人操作，请致电%(contact)s。"
    ),
)
USCC_REUSED_SMS = SmsTemplate(
    name="uscc_reused",
    text=gettext_lazy(
        "有人使用贵单位的统一社会信用代码申请注册%(site)s法人账户，未予注册。贵单位可以用本手机号码登录原账户；"
        "如非贵单位人员操作，请致电%(contact)s。"
    ),
)


def resident_id_digest(resident_id: str) -> str:
    """HMAC-SHA256 of a normalized resident ID with ``TONGBAN_RESIDENT_ID_HMAC_KEY``: unique and searchable,
    yet useless without the key, which lives outside the database and its backups (T-M7)."""
    key = getattr(settings, "TONGBAN_RESIDENT_ID_HMAC_KEY", "")
    if len(key) < 32:
        raise ImproperlyConfigured("TONGBAN_RESIDENT_ID_HMAC_KEY must be set to 32 or more random characters")
    return hmac.new(key.encode(), resident_id.encode(), hashlib.sha256).hexdigest()


_PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("密码至少需要%(min_length)s个字符"),
    "password_too_common": gettext_lazy("这个密码太常见，容易被猜到，请换一个"),
    "password_entirely_numeric": gettext_lazy("密码不能全部是数字，请加入字母或符号"),
    "password_too_similar": gettext_lazy("密码与您的手机号码或名称太相似，请换一个"),
}


@sensitive_variables("password", "personal_words")
def _password_problem(password: str, *, user: User, personal_words: list[str]) -> str | None:
    """Django's validators (AUTH_PASSWORD_VALIDATORS) plus words anyone would try first (T-A1)."""
    if not password:
        return _("请设置密码")
    city = settings.CITY["city_name"]
    words = ["通办", "tongban", city, city.rstrip("市县区旗"), *personal_words]
    if rules.guessable_word_in(password, words):
        return _("密码不能包含“通办”、城市名称、手机号码或证件号码")
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        first = error.error_list[0]
        template = _PASSWORD_MESSAGES.get(first.code or "")
        if template is None:
            return " ".join(first.messages)
        return str(template) % (first.params or {})
    return None


def _site_params() -> dict[str, str]:
    return {"site": settings.CITY["site_name"], "contact": settings.CITY["contact"]}


def _notify_existing_account(existing: User, template: SmsTemplate) -> None:
    # At most one notice a day per account: a stranger with someone's ID must not be able to flood them.
    if not existing.phone or not limits.hit(limits.DUPLICATE_NOTICE_PER_ACCOUNT, str(existing.pk)):
        return
    try:
        send_sms(existing.phone, template, _site_params())
    except SmsDeliveryError:
        # Best effort: a failed notice must not change the answer, which would tell the two cases apart.
        logger.warning("registration notice to account %s not delivered", existing.pk)


@sensitive_variables("password", "code")
def _create_account(
    *,
    phone: str,
    code: str,
    password: str,
    fields: dict[str, str],
    duplicate_of: dict[str, str],
    notice: SmsTemplate,
) -> None:
    """Use the code and create the account in one transaction, or, when an account already holds the
    identifier in ``duplicate_of``, tell that account's phone and create nothing (see register_citizen)."""
    code_id = match_code(phone=phone, purpose=PhoneCode.Purpose.REGISTER, code=code)
    with transaction.atomic():
        use_code(code_id)
        if User.objects.filter(username=phone).exists():
            # The person just proved they hold this phone, so saying so reveals nothing to a stranger.
            raise InvalidDetailsError({"phone": _("该手机号码已注册，请直接登录")})
        existing = User.objects.filter(**duplicate_of).first()
        if existing is None:
            try:
                with transaction.atomic():
                    User.objects.create(
                        username=phone, phone=phone, password=make_password(password), **fields
                    )
                return
            except IntegrityError:
                # Another registration with the same phone or identifier committed in between.
                existing = User.objects.filter(**duplicate_of).first()
                if existing is None:
                    raise InvalidDetailsError({"phone": _("该手机号码已注册，请直接登录")}) from None
        make_password(password)  # as much work as the success path
        _notify_existing_account(existing, notice)


@sensitive_variables("resident_id", "password", "code", "digest")
def register_citizen(*, full_name: str, resident_id: str, phone: str, code: str, password: str) -> None:
    """Create a citizen (natural person) account; ``phone`` is also the login name.

    Rules: name given (≤ 50 characters); resident ID valid by GB 11643 (length, digits, birth date, check
    character); mobile number of 11 digits starting with 1; password passes AUTH_PASSWORD_VALIDATORS and
    contains neither 通办/tongban, the city name, the phone nor the ID; a register code for this phone.
    The ID is kept as an HMAC and a masked copy, never in clear (T-M7).

    Enumeration (T-A2): the answer never tells whether an ID number already has an account. For a
    registered ID this function creates nothing, sends the existing account's phone an SMS saying someone
    tried (at most one a day) and returns exactly as on success, with the same password-hashing work;
    that is why it returns nothing. A person who really owns the ID learns it from that SMS on the phone
    they registered with, a stranger learns it only by also trying to log in, each try costing a phone
    they hold, a code and the code quotas, and alerting the owner. A phone number that already has an
    account is reported on the phone field, because the code proved the person holds that phone.

    Raises ``InvalidDetailsError`` with a message per wrong answer, ``PhoneCodeError`` for the code
    (checked only once every answer is right). Nothing is written when it raises, except the counted try
    of a wrong code.
    """
    full_name = full_name.strip()
    resident_id = rules.clean_code(resident_id)
    phone = rules.clean_code(phone)
    errors = {
        "full_name": rules.name_problem(full_name, empty=_("请输入姓名"), too_long=_("姓名不能超过50个字")),
        "resident_id": rules.resident_id_problem(resident_id, today=timezone.localdate()),
        "phone": rules.phone_problem(phone),
        "code": rules.code_problem(rules.clean_code(code)),
    }
    errors["password"] = _password_problem(
        password,
        user=User(username=phone, full_name=full_name, kind=User.Kind.CITIZEN),
        personal_words=[phone, resident_id] if not errors["resident_id"] else [phone],
    )
    if problems := {name: message for name, message in errors.items() if message}:
        raise InvalidDetailsError(problems)
    digest = resident_id_digest(resident_id)
    _create_account(
        phone=phone,
        code=code,
        password=password,
        fields={
            "kind": User.Kind.CITIZEN,
            "full_name": full_name,
            "resident_id_hmac": digest,
            "resident_id_masked": rules.mask_resident_id(resident_id),
        },
        duplicate_of={"resident_id_hmac": digest},
        notice=RESIDENT_ID_REUSED_SMS,
    )


@sensitive_variables("password", "code")
def register_enterprise(
    *, name: str, uscc: str, legal_representative: str, phone: str, code: str, password: str
) -> None:
    """Create an enterprise (legal person) account managed from ``phone``, which is also the login name.

    Rules: name and legal representative given (≤ 50 characters each); USCC valid by GB 32100 (length,
    alphabet, check character); phone, password and code as for ``register_citizen``. A USCC that already
    has an account is handled like a registered ID in ``register_citizen``: nothing is created, the
    existing account's phone gets an SMS and the answer is the same as on success. The USCC is not
    personal data and is stored in clear. Same errors as ``register_citizen``.
    """
    name = name.strip()
    legal_representative = legal_representative.strip()
    uscc = rules.clean_code(uscc)
    phone = rules.clean_code(phone)
    errors = {
        "name": rules.name_problem(name, empty=_("请输入单位名称"), too_long=_("单位名称不能超过50个字")),
        "uscc": rules.uscc_problem(uscc),
        "legal_representative": rules.name_problem(
            legal_representative,
            empty=_("请输入法定代表人姓名"),
            too_long=_("法定代表人姓名不能超过50个字"),
        ),
        "phone": rules.phone_problem(phone),
        "code": rules.code_problem(rules.clean_code(code)),
    }
    errors["password"] = _password_problem(
        password,
        user=User(username=phone, full_name=name, kind=User.Kind.ENTERPRISE),
        personal_words=[phone, uscc] if not errors["uscc"] else [phone],
    )
    if problems := {field: message for field, message in errors.items() if message}:
        raise InvalidDetailsError(problems)
    _create_account(
        phone=phone,
        code=code,
        password=password,
        fields={
            "kind": User.Kind.ENTERPRISE,
            "full_name": name,
            "uscc": uscc,
            "legal_representative": legal_representative,
        },
        duplicate_of={"uscc": uscc},
        notice=USCC_REUSED_SMS,
    )
