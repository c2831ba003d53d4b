"""Local signers: keys made here and stored only encrypted (Fernet) under
``TONGBAN_SIGNING_KEY_ENCRYPTION_KEY``, which lives in the environment, never in the database (T-F5)."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from django.core.exceptions import ImproperlyConfigured

from tongban.core import encryption
from tongban.core.signing import sm2
from tongban.core.signing.base import KeyPair, SignerStatus
from tongban.core.signing.verify import verify_signature

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
KEY_SETTING = "TONGBAN_SIGNING_KEY_ENCRYPTION_KEY"


class _LocalSigner:
    algorithm = ""

    def _new_private_key(self) -> PrivateKey:
        raise NotImplementedError

    def _sign_with(self, key: PrivateKey, data: bytes) -> bytes:
        raise NotImplementedError

    def generate_key(self) -> KeyPair:
        key = self._new_private_key()
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return KeyPair(
            algorithm=self.algorithm,
            public_key_pem=public_pem.decode(),
            private_key_ref=encryption.encrypt(KEY_SETTING, der),
        )

    def sign(self, *, private_key_ref: str, data: bytes) -> bytes:
        der = encryption.decrypt(KEY_SETTING, private_key_ref)
        key = serialization.load_der_private_key(der, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
            raise ImproperlyConfigured("The stored signing key has an unexpected type")
        return self._sign_with(key, data)

    def check(self) -> SignerStatus:
        try:
            pair = self.generate_key()
            signature = self.sign(private_key_ref=pair.private_key_ref, data=b"health")
        except ImproperlyConfigured as exc:
            return SignerStatus(ok=False, detail=str(exc))
        ok = verify_signature(
            algorithm=self.algorithm, public_key_pem=pair.public_key_pem, data=b"health", signature=signature
        )
        return SignerStatus(ok=ok, detail=f"local {self.algorithm}: keys encrypted at rest")


class LocalEcdsaSigner(_LocalSigner):
    """ECDSA on P-256 with SHA-256 (``ES256``): the default."""

    algorithm = "ES256"

    def _new_private_key(self) -> PrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    def _sign_with(self, key: PrivateKey, data: bytes) -> bytes:
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ImproperlyConfigured("This key is not an ECDSA key")
        return key.sign(data, ec.ECDSA(hashes.SHA256()))


class LocalEd25519Signer(_LocalSigner):
    """Ed25519 (RFC 8032)."""

    algorithm = "Ed25519"

    def _new_private_key(self) -> PrivateKey:
        return ed25519.Ed25519PrivateKey.generate()

    def _sign_with(self, key: PrivateKey, data: bytes) -> bytes:
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise ImproperlyConfigured("This key is not an Ed25519 key")
        return key.sign(data)


class LocalSm2Signer:
    """SM2 with SM3 (国密, GB/T 32918.2), the implementation in ``tongban.core.signing.sm2``; the 32-byte
    private key is stored encrypted like the others."""

    algorithm = "SM2-SM3"

    def generate_key(self) -> KeyPair:
        private = sm2.generate_private_key()
        return KeyPair(
            algorithm=self.algorithm,
            public_key_pem=sm2.public_key_pem(private),
            private_key_ref=encryption.encrypt(KEY_SETTING, private.to_bytes(32, "big")),
        )

    def sign(self, *, private_key_ref: str, data: bytes) -> bytes:
        raw = encryption.decrypt(KEY_SETTING, private_key_ref)
        if len(raw) != 32:
            raise ImproperlyConfigured("The stored signing key is not an SM2 key")
        return sm2.sign(int.from_bytes(raw, "big"), data)

    def check(self) -> SignerStatus:
        try:
            pair = self.generate_key()
            signature = self.sign(private_key_ref=pair.private_key_ref, data=b"health")
        except ImproperlyConfigured as exc:
            return SignerStatus(ok=False, detail=str(exc))
        ok = sm2.verify(pair.public_key_pem, b"health", signature)
        return SignerStatus(ok=ok, detail="local SM2-SM3: keys encrypted at rest")
