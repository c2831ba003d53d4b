"""Reads of the identity app: the claims a relying party receives, the registered relying parties."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts import selectors as accounts_selectors
from tongban.identity.models import RelyingParty
from tongban.organizations import selectors as organizations_selectors

SECURITY_ADMIN = "security_admin"
# What a staff ID token says about how the person signed in: the platform's authorize endpoint lets
# only staff sessions that passed the authenticator code through (T-A5), so every ID token it signs
# stands for a password and a one-time code (RFC 8176 values).
STAFF_AMR = ["pwd", "otp", "mfa"]
STAFF_ACR = "urn:tongban:acr:mfa"


def staff_claims(user_id: int) -> dict[str, object]:
    """The claims of a staff member's ID token and userinfo, from their assignments (StaffAssignment):
    ``departments`` (names, once each) and ``roles`` (department, role code and name)."""
    assignments = organizations_selectors.assignments_of(user_id)
    departments: list[str] = []
    for assignment in assignments:
        if assignment.department_name not in departments:
            departments.append(assignment.department_name)
    return {
        "name": accounts_selectors.names_of({user_id}).get(user_id, ""),
        "departments": departments,
        "roles": [
            {"department": a.department_name, "role": a.role, "role_name": str(a.role_label)}
            for a in assignments
        ],
        "amr": STAFF_AMR,
        "acr": STAFF_ACR,
    }


def allowed_scopes(application_id: int) -> list[str] | None:
    """The scopes a relying party may ask for; ``None`` for a client that is no relying party (the
    data exchange's client-credentials clients)."""
    row = (
        RelyingParty.objects.filter(application_id=application_id)
        .values_list("allowed_scopes", flat=True)
        .first()
    )
    return None if row is None else row.split()


def may_sign_in(application_id: int) -> bool:
    """False for a relying party the 安全管理员 switched off; other clients are not concerned."""
    return not RelyingParty.objects.filter(application_id=application_id, is_active=False).exists()


def is_security_admin(user_id: int) -> bool:
    return bool(organizations_selectors.department_ids_for(user_id=user_id, role=SECURITY_ADMIN))


@dataclass(frozen=True)
class RelyingPartyRow:
    id: int
    name: str
    client_id: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    allowed_scopes: str
    backchannel_logout_uri: str
    is_active: bool


def _row(rp: RelyingParty) -> RelyingPartyRow:
    app = rp.application
    return RelyingPartyRow(
        id=rp.pk,
        name=rp.name,
        client_id=app.client_id,
        redirect_uris=app.redirect_uris.split(),
        post_logout_redirect_uris=app.post_logout_redirect_uris.split(),
        allowed_scopes=rp.allowed_scopes,
        backchannel_logout_uri=rp.backchannel_logout_uri,
        is_active=rp.is_active,
    )


def relying_parties() -> list[RelyingPartyRow]:
    return [_row(rp) for rp in RelyingParty.objects.select_related("application").order_by("name")]


def relying_party(relying_party_id: int) -> RelyingPartyRow | None:
    rp = RelyingParty.objects.select_related("application").filter(pk=relying_party_id).first()
    return None if rp is None else _row(rp)


def backchannel_targets(user_id: int) -> list[tuple[str, str]]:
    """(client id, back-channel logout URI) of the active relying parties holding an unexpired token
    of the user."""
    rows = (
        RelyingParty.objects.filter(
            is_active=True,
            application__accesstoken__user_id=user_id,
            application__accesstoken__expires__gt=timezone.now(),
        )
        .exclude(backchannel_logout_uri="")
        .values_list("application__client_id", "backchannel_logout_uri")
        .distinct()
    )
    return [(client_id, uri) for client_id, uri in rows]
