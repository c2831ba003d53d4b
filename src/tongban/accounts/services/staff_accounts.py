"""Staff accounts as administrators manage them (organizations decides who may): create one with a
password made here, give a new password, remove the authenticator, disable and enable.

Passwords (decided for issue 13): the administrator never chooses one. The platform makes a random one
(12 characters from letters and digits that cannot be confused, about 69 bits), shows it once to the
administrator to hand over in person, and keeps only its hash. Staff are not forced to change it: a
staff login also needs the authenticator the staff member binds on their own phone at the first login,
so the password alone opens nothing once that is done; a lost password gets a new one the same way.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tongban.accounts import rules
from tongban.accounts.errors import InvalidDetailsError, StaffAccountNotFound
from tongban.accounts.models import StaffTotpDevice, User
from tongban.accounts.types import NewStaffPassword

# No 0/O, 1/l/I: the password is read off a screen and typed in.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - the characters drawn from
_PASSWORD_GROUPS = 3


@sensitive_variables("password")
def _new_password(user: User) -> str:
    while True:
        groups = (
            "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(4)) for _g in range(_PASSWORD_GROUPS)
        )
        password = "-".join(groups)
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError:
            continue  # e.g. too similar to the user name: draw again
        return password


def staff_account_problems(
    *, username: str, full_name: str, phone: str, taken_is_a_problem: bool
) -> dict[str, str]:
    """The messages of the answers that break a rule, by field (empty when all are fine). A user name
    that an account has already (whatever the case of its letters) is one when ``taken_is_a_problem``."""
    problems = {
        "username": rules.staff_username_problem(username),
        "full_name": rules.name_problem(full_name, empty=_("请输入姓名"), too_long=_("姓名不能超过50个字")),
        "phone": rules.phone_problem(phone) if phone else None,
    }
    if taken_is_a_problem and not problems["username"] and _taken(username):
        problems["username"] = _("该用户名已被使用，请换一个")
    return {field: message for field, message in problems.items() if message}


def _taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def clean_staff_phone(phone: str) -> str:
    return rules.clean_code(phone)


def _staff(user_id: int) -> User:
    user = User.objects.select_for_update().filter(pk=user_id, kind=User.Kind.STAFF).first()
    if user is None:
        raise StaffAccountNotFound()
    return user


@sensitive_variables("password")
@transaction.atomic
def create_staff_account(*, username: str, full_name: str, phone: str = "") -> NewStaffPassword:
    """A new staff account and its first password (module docstring), which is returned once.

    Rules: ``staff_account_problems``; the user name must not belong to any account, whatever the case of
    its letters. Raises ``InvalidDetailsError`` with every problem by field.
    """
    username, full_name, phone = username.strip(), full_name.strip(), clean_staff_phone(phone)
    problems = staff_account_problems(
        username=username, full_name=full_name, phone=phone, taken_is_a_problem=True
    )
    if problems:
        raise InvalidDetailsError(problems)
    user = User(username=username, full_name=full_name, phone=phone, kind=User.Kind.STAFF, is_staff=True)
    password = _new_password(user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created by someone else in between
        raise InvalidDetailsError({"username": _("该用户名已被使用，请换一个")}) from None
    return NewStaffPassword(user_id=user.pk, username=user.username, password=password)


@sensitive_variables("password")
@transaction.atomic
def issue_staff_password(*, user_id: int) -> NewStaffPassword:
    """Replace a staff member's password with a new one made here (module docstring), returned once.
    Their open sessions end (Django ties a session to the password hash). Raises ``StaffAccountNotFound``
    for anything but a staff account."""
    user = _staff(user_id)
    password = _new_password(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return NewStaffPassword(user_id=user.pk, username=user.username, password=password)


@transaction.atomic
def remove_authenticator(*, user_id: int) -> bool:
    """Forget a staff member's authenticator (a lost or new phone): the next login binds a new one.
    False when there was none. Raises ``StaffAccountNotFound`` for anything but a staff account."""
    _staff(user_id)
    deleted, _rows = StaffTotpDevice.objects.filter(user_id=user_id).delete()
    return deleted > 0


@transaction.atomic
def set_staff_active(*, user_id: int, active: bool) -> bool:
    """Enable or disable a staff account; False when it already was. A disabled account cannot log in,
    and its open sessions count as logged out at their next request (Django's ModelBackend)."""
    user = _staff(user_id)
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    return True
