"""SM2 digital signatures with SM3 (GB/T 32918.2-2016 / GM/T 0003.2-2012; GB/T 35276-2017 for encodings).

Why here: no maintained, audited SM2 package exists on PyPI without native GmSSL/Tongsuo builds; ``gmssl``
is ruled out (it mangles keys and draws the nonce from a non-cryptographic generator). ``cryptography``
provides SM3 (``hashes.SM3``) from OpenSSL but not SM2 signing, so the curve arithmetic is written out
here and checked against the standard's published example (tests/test_sm2.py). The nonce comes from
``secrets``. Python integers are not constant-time: use this signer where the key never leaves a trusted
host, and an HSM signer (same plugin point) where side channels matter.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

# GB/T 35276-2017 §10: the user ID when none is agreed.
DEFAULT_ID = b"1234567812345678"
# SubjectPublicKeyInfo prefix: id-ecPublicKey with the curve OID sm2 (1.2.156.10197.1.301), then the point.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int


# The recommended curve (GB/T 32918.5-2017).
SM2P256 = Curve(
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)

Point = tuple[int, int] | None  # None: the point at infinity


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _add(curve: Curve, p1: Point, p2: Point) -> Point:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2:
        if (y1 + y2) % curve.p == 0:
            return None
        slope = (3 * x1 * x1 + curve.a) * pow(2 * y1, -1, curve.p) % curve.p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, curve.p) % curve.p
    x3 = (slope * slope - x1 - x2) % curve.p
    return x3, (slope * (x1 - x3) - y1) % curve.p


def multiply(curve: Curve, k: int, point: Point) -> Point:
    result: Point = None
    addend = point
    while k:
        if k & 1:
            result = _add(curve, result, addend)
        addend = _add(curve, addend, addend)
        k >>= 1
    return result


def is_on_curve(curve: Curve, point: Point) -> bool:
    if point is None:
        return False
    x, y = point
    return (
        0 <= x < curve.p and 0 <= y < curve.p and (y * y - x * x * x - curve.a * x - curve.b) % curve.p == 0
    )


def public_key(curve: Curve, private: int) -> tuple[int, int]:
    point = multiply(curve, private, (curve.gx, curve.gy))
    assert point is not None
    return point


def _int32(value: int) -> bytes:
    return value.to_bytes(32, "big")


def z_value(curve: Curve, public: tuple[int, int], user_id: bytes = DEFAULT_ID) -> bytes:
    """Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5)."""
    entl = (len(user_id) * 8).to_bytes(2, "big")
    fields = (curve.a, curve.b, curve.gx, curve.gy, public[0], public[1])
    return sm3(entl + user_id + b"".join(_int32(v) for v in fields))


def sign_digest(curve: Curve, private: int, e: int, *, k: int | None = None) -> tuple[int, int]:
    """(r, s) for the digest ``e`` (GB/T 32918.2 §6.1). ``k`` is only for the standard's test vector."""
    while True:
        nonce = k if k is not None else secrets.randbelow(curve.n - 1) + 1
        point = multiply(curve, nonce, (curve.gx, curve.gy))
        assert point is not None
        r = (e + point[0]) % curve.n
        if r == 0 or r + nonce == curve.n:
            if k is not None:
                raise ValueError("the given k gives r = 0 or r + k = n")
            continue
        s = pow(1 + private, -1, curve.n) * (nonce - r * private) % curve.n
        if s != 0:
            return r, s
        if k is not None:
            raise ValueError("the given k gives s = 0")


def verify_digest(curve: Curve, public: tuple[int, int], e: int, r: int, s: int) -> bool:
    """GB/T 32918.2 §7.1."""
    if not (1 <= r < curve.n and 1 <= s < curve.n) or not is_on_curve(curve, public):
        return False
    t = (r + s) % curve.n
    if t == 0:
        return False
    point = _add(curve, multiply(curve, s, (curve.gx, curve.gy)), multiply(curve, t, public))
    return point is not None and (e + point[0]) % curve.n == r


def message_digest(curve: Curve, public: tuple[int, int], message: bytes, user_id: bytes = DEFAULT_ID) -> int:
    """e = SM3(Z_A ‖ M) as an integer."""
    return int.from_bytes(sm3(z_value(curve, public, user_id) + message), "big")


# --- what the signer plugin uses: keys as bytes, signatures DER-encoded (GB/T 35276 §7.3) ------------


def generate_private_key() -> int:
    return secrets.randbelow(SM2P256.n - 2) + 1  # 1 ≤ d ≤ n − 2


def public_key_pem(private: int) -> str:
    import base64

    x, y = public_key(SM2P256, private)
    der = SPKI_PREFIX + b"\x04" + _int32(x) + _int32(y)
    body = base64.encodebytes(der).decode().replace("\n", "")
    return f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"


def load_public_key_pem(pem: str) -> tuple[int, int] | None:
    import base64
    import binascii

    lines = [line for line in pem.strip().splitlines() if not line.startswith("-----")]
    try:
        der = base64.b64decode("".join(lines), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(der) != len(SPKI_PREFIX) + 65 or not der.startswith(SPKI_PREFIX) or der[len(SPKI_PREFIX)] != 4:
        return None
    point = der[len(SPKI_PREFIX) + 1 :]
    public = (int.from_bytes(point[:32], "big"), int.from_bytes(point[32:], "big"))
    return public if is_on_curve(SM2P256, public) else None


def sign(private: int, message: bytes) -> bytes:
    public = public_key(SM2P256, private)
    r, s = sign_digest(SM2P256, private, message_digest(SM2P256, public, message))
    return encode_dss_signature(r, s)


def verify(public_pem: str, message: bytes, signature: bytes) -> bool:
    public = load_public_key_pem(public_pem)
    if public is None:
        return False
    try:
        r, s = decode_dss_signature(signature)
    except ValueError:
        return False
    return verify_digest(SM2P256, public, message_digest(SM2P256, public, message), r, s)
