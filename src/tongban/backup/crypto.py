"""AES-256-GCM over streams, in chunks, so a backup of any size never sits in memory (THREATS T-L6).

One stream is ``MAGIC | 12-byte nonce | ciphertext | 16-byte tag``. The associated data names what the
stream is (the backup's id and the blob's name in it): a blob moved from another slot or another backup
fails like an edited one. What ``decrypt_file`` wrote is only trusted after it returns.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from tongban.backup.errors import BackupError

MAGIC = b"TBBK1\n"
NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK = 1024 * 1024


def backup_key() -> bytes:
    """The key from TONGBAN_BACKUP_KEY (base64 of 32 bytes); a clear error when absent or malformed."""
    value = settings.TONGBAN_BACKUP_KEY.strip()
    if not value:
        raise BackupError("未设置 TONGBAN_BACKUP_KEY（32 字节密钥的 base64）：备份只加密写入和读取。")
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupError("TONGBAN_BACKUP_KEY 不是有效的 base64。") from exc
    if len(key) != 32:
        raise BackupError("TONGBAN_BACKUP_KEY 必须是 32 字节（AES-256）密钥的 base64。")
    return key


def encrypt_stream(source: BinaryIO, target: BinaryIO, *, key: bytes, aad: bytes) -> tuple[str, int]:
    """Encrypt ``source`` into ``target``; the SHA-256 and size of the plaintext, read once."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    digest, size = hashlib.sha256(), 0
    target.write(MAGIC + nonce)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(encryptor.update(chunk))
    target.write(encryptor.finalize() + encryptor.tag)
    return digest.hexdigest(), size


def encrypt_file(source: Path, target: Path, *, key: bytes, aad: bytes) -> tuple[str, int]:
    with source.open("rb") as plain, target.open("xb") as sealed:
        return encrypt_stream(plain, sealed, key=key, aad=aad)


def decrypt_file(source: Path, target: BinaryIO, *, key: bytes, aad: bytes) -> tuple[str, int]:
    """Decrypt ``source`` into ``target``: the SHA-256 and size of the plaintext. BackupError if the file
    is cut short, edited, or the key is wrong (GCM cannot tell these apart)."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as sealed:
        header = sealed.read(len(MAGIC) + NONCE_BYTES)
        body = source.stat().st_size - len(header) - TAG_BYTES
        if not header.startswith(MAGIC) or len(header) != len(MAGIC) + NONCE_BYTES or body < 0:
            raise BackupError("不是本平台的加密备份文件，或已被截断")
        decryptor = Cipher(algorithms.AES(key), modes.GCM(header[len(MAGIC) :])).decryptor()
        decryptor.authenticate_additional_data(aad)
        while body > 0:
            raw = sealed.read(min(CHUNK, body))
            body -= len(raw)
            chunk = decryptor.update(raw)
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
        try:
            last = decryptor.finalize_with_tag(sealed.read(TAG_BYTES))
        except (InvalidTag, ValueError) as exc:
            raise BackupError("认证失败：文件被修改或截断，或密钥不对") from exc
    target.write(last)
    return digest.hexdigest(), size


def encrypt_bytes(data: bytes, *, key: bytes, aad: bytes) -> bytes:
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(data), sealed, key=key, aad=aad)
    return sealed.getvalue()


def decrypt_bytes(source: Path, *, key: bytes, aad: bytes) -> bytes:
    plain = io.BytesIO()
    decrypt_file(source, plain, key=key, aad=aad)
    return plain.getvalue()


class Discard(io.RawIOBase):
    """A sink for checking a blob without keeping its plaintext."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        return len(data)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
