"""Signature checks with a public key: the same for every signer, limited to an allowlist (T-F2)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tongban.core.signing import sm2

# Name in signed documents → what it means. Anything else ("none", "HS256", …) is refused.
ALGORITHMS = {
    "ES256": "ECDSA P-256 with SHA-256",
    "Ed25519": "Ed25519 (RFC 8032)",
    "SM2-SM3": "SM2 with SM3 (GB/T 32918.2, GB/T 35276)",
}


def verify_signature(*, algorithm: str, public_key_pem: str, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` over ``data`` was made by the key ``public_key_pem`` with ``algorithm``.

    Fails closed: an unknown algorithm, a key of another type or a malformed key or signature is False.
    """
    if algorithm not in ALGORITHMS:
        return False
    if algorithm == "SM2-SM3":
        return sm2.verify(public_key_pem, data, signature)
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
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True
