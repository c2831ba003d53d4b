"""ClamAV's clamd over TCP or a Unix socket, with the INSTREAM command (clamd(8)).

Settings: ``TONGBAN_CLAMD_SOCKET`` (a Unix socket path; when set, host and port are ignored),
``TONGBAN_CLAMD_HOST`` and ``TONGBAN_CLAMD_PORT`` (default 127.0.0.1:3310), ``TONGBAN_CLAMD_TIMEOUT``
(seconds per socket operation, default 30).

Fails closed (THREATS T-C6): an unreachable or silent clamd, a dropped connection or any answer other
than ``OK`` or ``… FOUND`` (clamd's ``… ERROR``, for example over StreamMaxLength) raises
ScannerUnavailable. clamd must run with ``AlertExceedsMax yes`` so that an archive it cannot scan
completely is reported ``Heuristics.Limits.Exceeded… FOUND`` rather than ``OK``.
"""

from __future__ import annotations

import logging
import socket
import struct

from django.conf import settings

from tongban.core.virus_scan.base import CLEAN, ScannerUnavailable, ScanResult

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_REPLY = 4096  # a verdict line is short; never buffer more from the peer


class ClamdScanner:
    def __init__(self) -> None:
        self.socket_path: str = getattr(settings, "TONGBAN_CLAMD_SOCKET", "")
        self.host: str = getattr(settings, "TONGBAN_CLAMD_HOST", "127.0.0.1")
        self.port = int(getattr(settings, "TONGBAN_CLAMD_PORT", 3310))
        self.timeout = float(getattr(settings, "TONGBAN_CLAMD_TIMEOUT", 30))

    @property
    def address(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"

    def scan(self, data: bytes) -> ScanResult:
        reply = self._call(b"zINSTREAM\0", data)
        # "stream: OK" or "stream: Eicar-Test-Signature FOUND"; the signature may contain spaces.
        verdict = reply.removeprefix("stream: ")
        if verdict == "OK":
            return CLEAN
        if verdict.endswith(" FOUND") and verdict != reply:
            return ScanResult(is_infected=True, signature=verdict.removesuffix(" FOUND"))
        logger.error("clamd at %s gave no verdict: %r", self.address, reply)
        raise ScannerUnavailable()

    def check(self) -> str:
        # "ClamAV 1.4.6/27812/Mon Nov 23 08:24:01 2026": engine, signature version and date.
        return self._call(b"zVERSION\0")

    def _connect(self) -> socket.socket:
        if self.socket_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(self.timeout)
            try:
                conn.connect(self.socket_path)
            except OSError:
                conn.close()
                raise
            return conn
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def _call(self, command: bytes, stream: bytes | None = None) -> str:
        """Send one z-command (NUL-terminated), optionally followed by an INSTREAM body, and return
        clamd's NUL-terminated reply."""
        try:
            with self._connect() as conn:
                conn.sendall(command)
                if stream is not None:
                    view = memoryview(stream)
                    for start in range(0, len(view), CHUNK):
                        chunk = view[start : start + CHUNK]
                        conn.sendall(struct.pack(">I", len(chunk)))
                        conn.sendall(chunk)
                    conn.sendall(struct.pack(">I", 0))
                reply = b""
                while b"\0" not in reply and len(reply) < MAX_REPLY:
                    part = conn.recv(MAX_REPLY - len(reply))
                    if not part:
                        break
                    reply += part
        except OSError as exc:  # refused, reset, broken pipe, timeout
            logger.error("clamd at %s is unavailable: %s", self.address, exc)
            raise ScannerUnavailable() from exc
        if b"\0" not in reply:
            logger.error("clamd at %s closed without a complete reply: %r", self.address, reply)
            raise ScannerUnavailable()
        return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
