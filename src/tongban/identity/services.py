"""Writes of the identity app: relying parties as the 安全管理员 registers them (audited, T-J2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from tongban.accounts.errors import InvalidDetailsError
from tongban.core import audit
from tongban.identity import selectors
from tongban.identity.models import RelyingParty

SCOPE_CHOICES = ("openid", "profile", "staff")


@dataclass(frozen=True)
class NewClient:
    relying_party_id: int
    client_id: str
    client_secret: str  # shown once: only its hash is stored


def _check(
    *, name: str, redirect_uris: list[str], scopes: list[str], post_logout_redirect_uris: list[str]
) -> None:
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = _("请输入系统名称")
    if not redirect_uris:
        problems["redirect_uris"] = _("请至少填写一个回调地址")
    elif any(not uri.startswith("https://") or "#" in uri for uri in redirect_uris):
        problems["redirect_uris"] = _("回调地址须以 https:// 开头，且不含 #")
    if any(not uri.startswith("https://") for uri in post_logout_redirect_uris):
        problems["post_logout_redirect_uris"] = _("注销后返回地址须以 https:// 开头")
    if "openid" not in scopes or any(scope not in SCOPE_CHOICES for scope in scopes):
        problems["scopes"] = _("授权范围须包含 openid")
    if problems:
        raise InvalidDetailsError(problems)


def _refuse_unless_security_admin(actor_id: int) -> None:
    if not selectors.is_security_admin(actor_id):
        raise PermissionError("only the 安全管理员 registers relying parties")


@transaction.atomic
def register_relying_party(
    *,
    actor_id: int,
    name: str,
    redirect_uris: list[str],
    scopes: list[str],
    backchannel_logout_uri: str = "",
    post_logout_redirect_uris: list[str] | None = None,
) -> NewClient:
    """Register a department system: a confidential client of the authorization code flow (PKCE and an
    exact redirect URI required), its secret returned once and stored hashed. A name already taken
    raises ``InvalidDetailsError`` (a retried form does not register the system twice)."""
    _refuse_unless_security_admin(actor_id)
    post_logout = post_logout_redirect_uris or []
    _check(name=name, redirect_uris=redirect_uris, scopes=scopes, post_logout_redirect_uris=post_logout)
    secret = generate_client_secret()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                name=name.strip(),
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=" ".join(redirect_uris),
                post_logout_redirect_uris=" ".join(post_logout),
                client_secret=secret,
                hash_client_secret=True,
                algorithm=Application.RS256_ALGORITHM,
                skip_authorization=False,
            )
            rp = RelyingParty.objects.create(
                application=application,
                name=name.strip(),
                allowed_scopes=" ".join(scopes),
                backchannel_logout_uri=backchannel_logout_uri,
                created_by_id=actor_id,
            )
    except IntegrityError as error:
        raise InvalidDetailsError({"name": _("已有同名的接入系统")}) from error
    audit.record(
        event="sso.client_registered", actor_id=actor_id, object_type="relying_party", object_id=rp.pk
    )
    return NewClient(relying_party_id=rp.pk, client_id=application.client_id, client_secret=secret)


DEMO_CLIENT_ID = "yunzhou-archives-demo"
DEMO_CLIENT_SECRET = "Yunzhou-archives-sso-2026"  # noqa: S105 - published with the demo passwords, DEBUG only
DEMO_REDIRECT = "https://localhost:8001/oidc/callback"


@transaction.atomic
def load_demo_relying_party() -> None:
    """The demo city's 市档案馆 业务系统 (README, demo section): a fixed client id and published secret,
    redirect to localhost. Only with the demo accounts (DEBUG); loading it again changes nothing."""
    if RelyingParty.objects.filter(application__client_id=DEMO_CLIENT_ID).exists():
        return
    application = Application.objects.create(
        name="市档案馆 业务系统",
        client_id=DEMO_CLIENT_ID,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=DEMO_REDIRECT,
        post_logout_redirect_uris="https://localhost:8001/",
        client_secret=DEMO_CLIENT_SECRET,
        hash_client_secret=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    RelyingParty.objects.create(application=application, name="市档案馆 业务系统")


@transaction.atomic
def set_relying_party_active(*, actor_id: int, relying_party_id: int, active: bool) -> None:
    """Switch a relying party on or off; off, it cannot sign anyone in nor redeem a code (invalid_client)."""
    _refuse_unless_security_admin(actor_id)
    updated = RelyingParty.objects.filter(pk=relying_party_id).update(is_active=active)
    if not updated:
        raise RelyingParty.DoesNotExist
    audit.record(
        event="sso.client_enabled" if active else "sso.client_disabled",
        actor_id=actor_id,
        object_type="relying_party",
        object_id=relying_party_id,
    )


@transaction.atomic
def end_relying_party_tokens(user_id: int) -> None:
    """Revoke the user's access tokens (and their refresh and ID tokens) at every relying party."""
    for token in AccessToken.objects.filter(user_id=user_id, application__relying_party__isnull=False):
        if token.id_token:
            token.id_token.revoke()
        token.revoke()
