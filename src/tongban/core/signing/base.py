"""What every signer provides, and the values that cross the plugin point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class KeyPair:
    """A new signing key: the public half (PEM, shown to anyone) and a reference to the private half.

    ``private_key_ref`` is what the signer needs to sign again: for the local signer the private key
    encrypted under the environment key, for an HSM the key's label. It is never the key in clear."""

    algorithm: str
    public_key_pem: str
    private_key_ref: str


@dataclass(frozen=True)
class SignerStatus:
    """The answer of ``check()`` for the health page."""

    ok: bool
    detail: str


class Signer(Protocol):
    algorithm: str

    def generate_key(self) -> KeyPair:
        """Create a key pair; the private half stays with the signer (encrypted or in the HSM)."""

    def sign(self, *, private_key_ref: str, data: bytes) -> bytes:
        """The signature of ``data`` (hashed with SHA-256, or SM3 for SM2) by the referenced key."""

    def check(self) -> SignerStatus:
        """Whether this signer can sign now (signs and verifies a test message, stores nothing)."""
