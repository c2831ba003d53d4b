from tongban.core.errors import ConflictError, TongbanError


class RequestError(TongbanError):
    """A refused request operation (发起, 办理, 撤销, 催办), with a message for the person."""


class RequestNotFound(RequestError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class RequestStateError(RequestError, ConflictError):
    """The request's state forbids the operation now (HTTP 409)."""

    status = 409
