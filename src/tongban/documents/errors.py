"""Refusals of 公文 operations, each with a message for the person (core.errors)."""

from tongban.core.errors import ConflictError, TongbanError


class DocumentError(TongbanError):
    """A refused 公文 operation (HTTP 400): what was sent cannot be used, and how to fix it."""


class DocumentLockedError(DocumentError, ConflictError):
    """The document may not be changed by this person now: signed off (签发), or not on their step (409)."""

    status = 409


class DocumentStateError(DocumentError, ConflictError):
    """The document's state forbids the operation now (HTTP 409)."""

    status = 409
