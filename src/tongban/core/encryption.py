"""Encryption at rest under a key from the environment: staff TOTP secrets (T-A4), seal signing keys
(T-F5), resident ID numbers in application answers (T-M7).

Fernet (AES-128-CBC + HMAC-SHA256, so a changed ciphertext is refused, not decrypted to garbage) under
the key a setting names; each purpose has its own setting, and every key lives outside the database
and its backups.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet(setting: str) -> Fernet:
    try:
        return Fernet(getattr(settings, setting, ""))
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{setting} must be a Fernet key (32 random bytes, url-safe base64)"
        ) from exc


def check_key(setting: str) -> None:
    """Raise ``ImproperlyConfigured`` unless the setting holds a usable key."""
    _fernet(setting)


def encrypt(setting: str, data: bytes) -> str:
    """``data`` encrypted under the setting's key, as ASCII text for a text column."""
    return _fernet(setting).encrypt(data).decode()


def decrypt(setting: str, token: str) -> bytes:
    """The data of ``encrypt``; ``ImproperlyConfigured`` when the key is not the one it was made with
    (or the token was changed)."""
    try:
        return _fernet(setting).decrypt(token.encode())
    except InvalidToken as exc:
        raise ImproperlyConfigured(f"Stored data cannot be decrypted: {setting} changed?") from exc
