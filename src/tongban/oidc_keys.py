"""The signing keys of the platform's ID tokens, from the environment (no Django imports: settings use it).

``TONGBAN_OIDC_PRIVATE_KEY`` is the current RSA key (PEM); ``TONGBAN_OIDC_PREVIOUS_KEYS`` holds the
keys it replaced (PEM blocks one after the other), still published in the JWKS so that tokens signed
before a rotation keep verifying until they expire (docs/identity.md, key rotation).
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL)


def split_pem_keys(text: str) -> list[str]:
    return [match.group(0) for match in _PEM.finditer(text.replace("\\n", "\n"))]


def new_private_key() -> str:
    """A fresh RSA-2048 key in PEM: for development and tests (never stored)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
