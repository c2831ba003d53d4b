"""Signature checks with a public key: the same for every signer, limited to an allowlist (T-F2)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

# Name in signed documents → what it means. Anything else ("none", "HS256", …) is refused.
ALGORITHMS = {
    "ES256": "ECDSA P-256 with SHA-256",
    "Ed25519": "Ed25519 (SHA-512 inside, over the SHA-256-bound canonical data)",
}


def verify_signature(*, algorithm: str, public_key_pem: str, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` over ``data`` was made by the key ``public_key_pem`` with ``algorithm``.

    Fails closed: an unknown algorithm, a key of another type or a malformed key or signature is False.
    """
    if algorithm not in ALGORITHMS:
        return False
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if algorithm == "ES256":
            if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
                return False
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            if not isinstance(key, ed25519.Ed25519PublicKey):
                return False
            key.verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
