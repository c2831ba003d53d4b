from tongban.core.errors import TongbanError


class NoticeError(TongbanError):
    """A refused change to a notice; ``field`` names the answer it is about (a form shows it there)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.field_errors: dict[str, str] = {field: message} if field else {}


class NoticeConflict(NoticeError):
    """The notice is no longer in a state that allows it (published already, withdrawn …)."""

    status = 409
