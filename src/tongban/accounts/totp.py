"""TOTP as authenticator apps expect it (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), and the
encryption of its secrets at rest (T-A4).

Codes are checked against this server's clock only, one step either side for drift between the phone and
the server (ASVS 6.5.8): nothing the client sends says what time it is. Secrets are 160 bits from
``secrets`` (pyotp), encrypted (``core.encryption``) under ``TONGBAN_TOTP_ENCRYPTION_KEY``, which lives
outside the database and its backups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pyotp
from django.views.decorators.debug import sensitive_variables

from tongban.accounts.types import TotpEnrolment
from tongban.core import encryption

ISSUER = "通办"
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
KEY_SETTING = "TONGBAN_TOTP_ENCRYPTION_KEY"


def check_key() -> None:
    """Raise ``ImproperlyConfigured`` unless ``TONGBAN_TOTP_ENCRYPTION_KEY`` is a usable key."""
    encryption.check_key(KEY_SETTING)


def new_secret() -> str:
    return pyotp.random_base32()


@sensitive_variables("secret")
def encrypt_secret(secret: str) -> str:
    return encryption.encrypt(KEY_SETTING, secret.encode())


def decrypt_secret(token: str) -> str:
    return encryption.decrypt(KEY_SETTING, token).decode()


@sensitive_variables("secret")
def _generator(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, digest=hashlib.sha1, interval=STEP_SECONDS)


@sensitive_variables("secret")
def enrolment(secret: str, *, account_name: str) -> TotpEnrolment:
    return TotpEnrolment(
        secret=secret,
        provisioning_uri=_generator(secret).provisioning_uri(name=account_name, issuer_name=ISSUER),
    )


@sensitive_variables("secret")
def matching_step(secret: str, code: str, *, at: dt.datetime) -> int | None:
    """The time step within ``DRIFT_STEPS`` of ``at`` whose code is ``code``, or None."""
    generator = _generator(secret)
    current = generator.timecode(at)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None
