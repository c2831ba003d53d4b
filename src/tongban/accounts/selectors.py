"""Account reads. Personal data leaves only masked (T-M3), except through ``contact_of``, whose callers
audit each use."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tongban.accounts import totp
from tongban.accounts.models import EnterpriseAgent, StaffTotpDevice, User
from tongban.accounts.types import (
    AccountSummary,
    AgentRef,
    Contact,
    StaffAccount,
    StaffAccountPage,
    TotpEnrolment,
    UserRef,
)
from tongban.core.sms.masking import mask_phone


def _agent_ref(authorization: EnterpriseAgent) -> AgentRef:
    return AgentRef(
        enterprise_id=authorization.enterprise_id,
        enterprise_name=authorization.enterprise.full_name,
        agent_id=authorization.agent_id,
        agent_name=authorization.agent.full_name,
        authorized_at=authorization.authorized_at,
    )


def agent_ref(authorization_id: int) -> AgentRef:
    return _agent_ref(EnterpriseAgent.objects.select_related("enterprise", "agent").get(pk=authorization_id))


def _active_authorizations(**filters: int) -> tuple[AgentRef, ...]:
    rows = (
        EnterpriseAgent.objects.select_related("enterprise", "agent")
        .filter(revoked_at__isnull=True, **filters)
        .order_by("authorized_at", "pk")
    )
    return tuple(_agent_ref(row) for row in rows)


def account_summary(user_id: int) -> AccountSummary:
    """我的账户 of ``user_id``: the enterprise's current agents, or the enterprises a citizen acts for."""
    user = User.objects.get(pk=user_id)
    is_enterprise = user.kind == User.Kind.ENTERPRISE
    return AccountSummary(
        id=user.pk,
        kind=user.kind,
        kind_label=user.get_kind_display(),
        full_name=user.full_name,
        masked_phone=mask_phone(user.phone),
        masked_resident_id=user.resident_id_masked,
        uscc=user.uscc,
        legal_representative=user.legal_representative,
        agents=_active_authorizations(enterprise_id=user.pk) if is_enterprise else (),
        represented_enterprises=() if is_enterprise else _active_authorizations(agent_id=user.pk),
    )


def user_id_with_resident_id(resident_id: str) -> int | None:
    """The account registered with this resident ID number (looked up by its keyed hash), or None."""
    from tongban.accounts.services.registration import resident_id_digest

    normalized = resident_id.strip().upper()
    if len(normalized) != 18:
        return None
    return (
        User.objects.filter(resident_id_hmac=resident_id_digest(normalized))
        .values_list("pk", flat=True)
        .first()
    )


def has_confirmed_totp_device(user_id: int) -> bool:
    return StaffTotpDevice.objects.filter(user_id=user_id, confirmed_at__isnull=False).exists()


def totp_enrolment(user_id: int) -> TotpEnrolment | None:
    """The authenticator secret ``user_id`` has yet to confirm, to show again on the enrolment page; None
    once confirmed, after which it is never shown."""
    device = (
        StaffTotpDevice.objects.select_related("user")
        .filter(user_id=user_id, confirmed_at__isnull=True)
        .first()
    )
    if device is None:
        return None
    return totp.enrolment(totp.decrypt_secret(device.encrypted_secret), account_name=device.user.username)


def names_of(user_ids: set[int]) -> dict[int, str]:
    """Display names of users (staff in process records): full name, else the user name."""
    return {
        pk: full_name or username
        for pk, full_name, username in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "full_name", "username"
        )
    }


def contact_of(user_id: int) -> Contact | None:
    """The name and full phone number of a user staff must call (回访 of a bad rating); the caller
    records the access in the audit log."""
    # Not the user name: a citizen's is their phone or ID number (T-M1).
    row = User.objects.filter(pk=user_id).values("pk", "full_name", "phone").first()
    if row is None:
        return None
    return Contact(
        id=row["pk"],
        full_name=row["full_name"],
        phone=row["phone"],
        masked_phone=mask_phone(row["phone"]),
    )


def user_id_by_username(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


def staff_user_ids(user_ids: set[int]) -> set[int]:
    """Those of ``user_ids`` that are active staff accounts."""
    return set(
        User.objects.filter(pk__in=user_ids, kind=User.Kind.STAFF, is_active=True).values_list(
            "pk", flat=True
        )
    )


def is_superuser(user_id: int) -> bool:
    return User.objects.filter(pk=user_id, is_active=True, is_superuser=True).exists()


def username_owner(username: str) -> UserRef | None:
    """The account whose user name is ``username``, whatever the case of its letters (staff user names
    are unique that way), or None."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        return None
    return UserRef(id=user.pk, username=user.username, full_name=user.full_name, kind=user.kind)


def _staff_accounts() -> QuerySet[User]:
    confirmed = StaffTotpDevice.objects.filter(user_id=OuterRef("pk"), confirmed_at__isnull=False)
    return User.objects.filter(kind=User.Kind.STAFF).annotate(has_authenticator=Exists(confirmed))


def _staff_account(user: User) -> StaffAccount:
    return StaffAccount(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        masked_phone=mask_phone(user.phone) if user.phone else "",
        is_active=user.is_active,
        has_authenticator=user.has_authenticator,  # type: ignore[attr-defined]
        last_login=user.last_login,
        date_joined=user.date_joined,
    )


def staff_account(user_id: int) -> StaffAccount | None:
    """The staff account ``user_id``; None for any other account."""
    user = _staff_accounts().filter(pk=user_id).first()
    return _staff_account(user) if user else None


def staff_accounts(
    *,
    user_ids: set[int] | None,
    search: str = "",
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> StaffAccountPage:
    """Staff accounts among ``user_ids`` (None: all of them) whose name or user name contains ``search``,
    active or not, by name; ``limit`` of them from ``offset``, and how many match in all."""
    accounts = _staff_accounts()
    if user_ids is not None:
        accounts = accounts.filter(pk__in=user_ids)
    if search := search.strip()[:50]:
        accounts = accounts.filter(Q(full_name__icontains=search) | Q(username__icontains=search))
    if active is not None:
        accounts = accounts.filter(is_active=active)
    page = accounts.order_by("full_name", "username", "pk")[offset : offset + limit]
    return StaffAccountPage(accounts=tuple(_staff_account(u) for u in page), total=accounts.count())


def is_active_user(user_id: int) -> bool:
    return User.objects.filter(pk=user_id, is_active=True).exists()
