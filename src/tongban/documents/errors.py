"""Refusals of the 公文 services, with messages for the person who asked."""

from tongban.core.errors import ConflictError, TongbanError


class DocumentError(TongbanError):
    """A refused request about an official document."""


class DocumentStateError(ConflictError):
    """The document is in a state that does not allow this (HTTP 409)."""


class DocumentPermissionError(DocumentError):
    """The person does not hold the role this needs for the document (HTTP 403)."""

    status = 403
