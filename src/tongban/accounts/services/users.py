"""Users as other code creates them, and the portal's view of who may log in."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from tongban.accounts.models import User
from tongban.accounts.types import UserRef

PORTAL_KINDS = (User.Kind.CITIZEN, User.Kind.ENTERPRISE)


@transaction.atomic
def ensure_user(
    *,
    username: str,
    full_name: str,
    kind: str,
    password: str,
    phone: str = "",
    resident_id: str = "",
    uscc: str = "",
) -> UserRef:
    """Create the user if missing (idempotent: the demo loader runs on every ``make run``).

    An existing user keeps its password, so a person who changed a demo password keeps the change.
    ``resident_id`` (kept only as its keyed hash and masked form) and ``uscc`` link a portal account to
    the base registries; they are filled in on an existing user that has none yet.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "kind": kind, "phone": phone, "is_staff": kind == "staff"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if resident_id and not user.resident_id_hmac:
        from tongban.accounts.rules import mask_resident_id
        from tongban.accounts.services.registration import resident_id_digest

        user.resident_id_hmac = resident_id_digest(resident_id)
        user.resident_id_masked = mask_resident_id(resident_id)
        user.save(update_fields=["resident_id_hmac", "resident_id_masked"])
    if uscc and not user.uscc:
        user.uscc = uscc
        user.save(update_fields=["uscc"])
    return UserRef(id=user.pk, username=user.username, full_name=user.full_name, kind=user.kind)


def portal_user(phone: str) -> User | None:
    """The active citizen or enterprise account of ``phone``; staff never log in through the portal (T-A5)."""
    return User.objects.filter(
        username=phone, kind__in=PORTAL_KINDS, is_active=True, is_staff=False, is_superuser=False
    ).first()


def staff_user(username: str) -> User | None:
    """The active account of ``username`` that logs in as staff: a staff account, or any account allowed
    into the admin site (the accounts ``access.requires_second_factor`` names)."""
    return (
        User.objects.filter(username=username, is_active=True)
        .filter(Q(kind=User.Kind.STAFF) | Q(is_staff=True) | Q(is_superuser=True))
        .first()
    )


def disable_if_password_opens(*, username: str, password: str) -> Literal["disabled", "kept", "absent"]:
    """Disable the active account ``username`` (inactive, no usable password: its sessions end too)
    when ``password`` still opens it — a published password, such as the demo city's. "kept" when
    another password protects it, "absent" when there is no such active account."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return "absent"
    if not user.check_password(password):
        return "kept"
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    return "disabled"
