"""Sign-in through an external OpenID Connect provider (the provincial 统一身份认证 or any other), with
mozilla-django-oidc doing state, nonce, PKCE and the ID token's signature (THREATS T-A11).

Matching (docs/identity.md): the provider's verified resident ID number (claim
``TONGBAN_EXTERNAL_OIDC_ID_CLAIM``) is looked up by its keyed hash (``resident_id_hmac``), the same
function registration uses; the number itself is never stored. No account is ever created here: a
staff member without an account is refused, and so is a citizen (who registers with a phone number
first, then signs in either way).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from tongban.accounts import selectors as accounts_selectors

# RFC 8176 amr values that stand for more than a password.
MULTI_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "face", "fpt"})


class NoMatchingAccount(Exception):
    """The provider's person has no active account here (or gave no verified ID number)."""


@dataclass(frozen=True)
class Outcome:
    user_id: int
    multi_factor: bool


def configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's start: a 32-character state and nonce and a S256 PKCE challenge in the
    session, the exact callback URL as redirect_uri."""


def multi_factor(claims: dict) -> bool:
    """Whether the provider says it used more than one factor: its ``acr`` is one of
    ``TONGBAN_EXTERNAL_OIDC_MFA_ACR``, or its ``amr`` lists a second factor."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    acr = claims.get("acr")
    return (bool(acr) and acr in settings.TONGBAN_EXTERNAL_OIDC_MFA_ACR) or bool(MULTI_FACTOR_AMR & set(amr))


class _Backend(OIDCAuthenticationBackend):
    claims: dict = {}

    def verify_token(self, token, **kwargs):
        """The toolkit checks the signature against the provider's JWKS and the nonce; this adds the
        audience (a token for another client is refused), the issuer and the expiry."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        issuer = settings.TONGBAN_EXTERNAL_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        if float(payload.get("exp", 0)) < time.time():
            raise SuspiciousOperation("ID token expired")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") == payload.get("sub"):
                claims |= {key: value for key, value in userinfo.items() if key not in {"acr", "amr"}}
        self.claims = claims
        number = claims.get(settings.TONGBAN_EXTERNAL_OIDC_ID_CLAIM)
        user_id = accounts_selectors.user_id_with_resident_id(number) if isinstance(number, str) else None
        if user_id is None or not accounts_selectors.is_active_user(user_id):
            raise NoMatchingAccount
        return self.UserModel.objects.get(pk=user_id)


def sign_in(request: HttpRequest, *, nonce: str, code_verifier: str | None) -> Outcome:
    """Redeem the callback's code and find the account. Raises ``SuspiciousOperation`` (400) for a
    token that fails a check, ``NoMatchingAccount`` when nobody here matches."""
    backend = _Backend()
    user = backend.authenticate(request, nonce=nonce, code_verifier=code_verifier)
    if user is None:
        raise NoMatchingAccount
    return Outcome(user_id=user.pk, multi_factor=multi_factor(backend.claims))
