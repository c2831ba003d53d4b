from tongban.core.errors import TongbanError


class ConsultationError(TongbanError):
    """A refused change to a consultation, interview or comment; ``field`` names the answer it is
    about (a form shows it there)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.field_errors: dict[str, str] = {field: message} if field else {}


class ConsultationConflict(ConsultationError):
    """The consultation or comment is no longer in a state that allows it (closed, moderated …)."""

    status = 409


class TooManyComments(ConsultationError):
    """The account sent more comments than the hourly limit allows."""

    status = 429
