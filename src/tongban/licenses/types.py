"""Values the licenses app hands out (to views, the command and other apps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FaceField:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Verification:
    """The answer of a verification: first the signature, then the status (STANDARDS §8).

    ``signature_ok`` False means nothing else may be trusted; ``message`` says why, for people.
    ``status`` is the live one from the register when ``status_source`` is "online", else the one the
    signed validity period gives ("offline": the license is not in this register)."""

    signature_ok: bool
    message: str
    license_id: str = ""
    status: str = ""
    status_label: str = ""
    status_source: str = ""
    revoked_at: dt.datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return self.signature_ok and self.status == "valid"
