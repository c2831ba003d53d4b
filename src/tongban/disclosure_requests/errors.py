from tongban.core.errors import ConflictError, TongbanError


class RequestError(TongbanError):
    """A refused 依申请公开 operation, with a message for the person who tried it (HTTP 400)."""


class RequestNotFound(RequestError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class RequestStateError(RequestError, ConflictError):
    """The request's state forbids the operation now (HTTP 409)."""

    status = 409
