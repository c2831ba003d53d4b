"""The relying party's side of the authorization code flow, for the identity tests."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

REDIRECT = "https://archives.example.gov.cn/oidc/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class AuthRequest:
    client_id: str
    redirect_uri: str = REDIRECT
    scope: str = "openid profile staff"
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    verifier_and_challenge: tuple[str, str] = field(default_factory=pkce_pair)

    @property
    def verifier(self) -> str:
        return self.verifier_and_challenge[0]

    def url(self, base: str = "", **overrides: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.verifier_and_challenge[1],
            "code_challenge_method": "S256",
        } | overrides
        return f"{base}/sso/authorize/?{urlencode({k: v for k, v in params.items() if v is not None})}"


def hidden_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields |= {
        name: value
        for value, name in re.findall(r'<input type="hidden" value="([^"]*)" name="([^"]+)"', html)
    }
    return {name: unescape(value) for name, value in fields.items()}


def consent_form(html: str) -> dict[str, str]:
    """The consent page's answer ``同意并登录``: its hidden fields and ``allow``."""
    form = re.search(r'<form id="authorizationForm".*?</form>', html, re.DOTALL)[0]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name[1]] = unescape(value[1]) if value else ""
    return fields | {"allow": "1"}


def code_from(location: str, redirect_uri: str = REDIRECT) -> tuple[str, str]:
    """The code and state of a redirect back to ``redirect_uri``."""
    assert location.startswith(redirect_uri + "?"), location
    query = parse_qs(urlsplit(location).query)
    return query["code"][0], query["state"][0]
