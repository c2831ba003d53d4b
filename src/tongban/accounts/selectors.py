"""Account reads. Personal data leaves only masked (T-M3), except through ``contact_of``, whose callers
audit each use."""

from __future__ import annotations

from tongban.accounts import totp
from tongban.accounts.models import EnterpriseAgent, StaffTotpDevice, User
from tongban.accounts.types import AccountSummary, AgentRef, Contact, TotpEnrolment
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
