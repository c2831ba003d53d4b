"""The base of every domain error: a message a person can read, in their language."""

from __future__ import annotations


class TongbanError(Exception):
    """A refused request. ``message`` is user-facing (translated); ``status`` is the HTTP answer."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []


class ConflictError(TongbanError):
    """The request is valid but the object's current state forbids it (HTTP 409)."""

    status = 409
