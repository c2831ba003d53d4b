from tongban.core.errors import ConflictError, TongbanError


class RatingError(TongbanError):
    """A refused rating, with the message for the person rating."""


class AlreadyRatedError(ConflictError):
    """One rating per application per channel (HTTP 409)."""
