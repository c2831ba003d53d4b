"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a staff member logs out of the
platform, each active relying party that holds a token of theirs and registered a back-channel URI gets
a signed logout token POSTed to it, after the logout committed, by a Celery task (``identity.tasks``)."""

from __future__ import annotations

import logging
import secrets
import time

import jwt
import requests
from django.conf import settings
from django.db import transaction
from jwcrypto import jwk
from oauth2_provider.settings import oauth2_settings

from tongban.identity import selectors, services

logger = logging.getLogger(__name__)
EVENT = "http://schemas.openid.net/event/backchannel-logout"


def logout_token(*, user_id: int, client_id: str, issuer: str) -> str:
    """A logout token for ``client_id`` signed with the current key; its ``kid`` is the one the JWKS
    publishes (the key's RFC 7638 thumbprint, as django-oauth-toolkit computes it)."""
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(16),
        "sub": str(user_id),
        "events": {EVENT: {}},
    }
    kid = jwk.JWK.from_pem(pem.encode()).thumbprint()
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid, "typ": "logout+jwt"})


def notify_relying_parties(user_id: int, targets: list[tuple[str, str]], issuer: str) -> int:
    """POST a logout token to each (client id, back-channel URI); returns how many answered 2xx. A party
    that does not answer is logged and not retried (its own sessions still end at their idle timeout)."""
    delivered = 0
    for client_id, uri in targets:
        try:
            answer = requests.post(
                uri,
                data={"logout_token": logout_token(user_id=user_id, client_id=client_id, issuer=issuer)},
                timeout=5,
            )
            answer.raise_for_status()
            delivered += 1
        except requests.RequestException:
            logger.warning("back-channel logout to client %s failed", client_id)
    return delivered


def after_logout(sender, request, user, **kwargs) -> None:
    """``user_logged_out`` receiver: queue the notices once the logout committed (staff only)."""
    if (
        user is None
        or getattr(user, "kind", "") != "staff"
        or not settings.OAUTH2_PROVIDER.get("OIDC_ENABLED")
    ):
        return
    from tongban.identity.tasks import send_backchannel_logout

    user_id = user.pk
    # The systems the person is signed in to: those holding an unexpired token; the tokens end here.
    targets = selectors.backchannel_targets(user_id)
    services.end_relying_party_tokens(user_id)
    if targets:
        issuer = oauth2_settings.oidc_issuer(request)
        transaction.on_commit(lambda: send_backchannel_logout.delay(user_id, targets, issuer))
