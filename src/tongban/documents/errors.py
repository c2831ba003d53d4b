"""Refusals of 公文 operations, with a message for the person."""

from tongban.core.errors import ConflictError, TongbanError


class DocumentError(TongbanError):
    """A refused 公文 operation (编号, 归档, settings …)."""


class DocumentPermissionError(DocumentError):
    """The person may not do this to this document (HTTP 403)."""

    status = 403


class DocumentStateError(DocumentError, ConflictError):
    """The document's state forbids the operation now (HTTP 409)."""

    status = 409
