from tongban.core.errors import ConflictError, TongbanError


class ApplicationError(TongbanError):
    """A refused request about an application, with a message for the person who made it."""


class ApplicationStateError(ConflictError):
    """The application's current state does not allow this (HTTP 409)."""


class ApplicationNotFound(ApplicationError):
    """Missing, or not the viewer's to see: the same answer for both (T-B1, T-B3)."""

    status = 404
