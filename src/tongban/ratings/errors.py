from tongban.core.errors import ConflictError, TongbanError


class RatingError(TongbanError):
    """A refused rating, with the message for the person rating."""


class AlreadyRatedError(ConflictError):
    """One rating per application per channel (HTTP 409)."""


class RectificationError(TongbanError):
    """A refused step of a 差评整改; code "not_found" when the staff member may not handle it (a 404)."""


class RectificationStateError(ConflictError):
    """The step does not fit the rectification's status (answered twice, closed before the 回访)."""
