"""Refused 公文 operations, each with a message for the person."""

from tongban.core.errors import ConflictError, TongbanError


class DocumentError(TongbanError):
    """A refused 公文 operation (分发, 签收, 退文, 撤回, 交换包 …), with a message for the person."""


class DocumentNotFound(DocumentError):
    """Not there, or not the person's to act on (the same answer for both)."""

    status = 404


class DocumentStateError(DocumentError, ConflictError):
    """The document's state forbids the operation now (HTTP 409)."""

    status = 409
