"""Refusals of the 政务信息报送 services, with messages for the person who asked."""

from __future__ import annotations

from tongban.core.errors import ConflictError, TongbanError


class BriefingError(TongbanError):
    """A refused request about a 信息 or an issue (a bad value: HTTP 400)."""


class BriefingNotFound(BriefingError):
    """Not there, or not the person's to see (the same answer for both)."""

    status = 404


class BriefingStateError(BriefingError, ConflictError):
    """The state of the 信息 or issue forbids the operation now (HTTP 409)."""

    status = 409
