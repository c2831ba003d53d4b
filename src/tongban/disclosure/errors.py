from tongban.core.errors import ConflictError, TongbanError


class DisclosureError(TongbanError):
    """A refused 主动公开 operation, with a user-facing message (400)."""

    def __init__(
        self, message: str, *, code: str = "invalid", field: str = "", details: list[str] | None = None
    ):
        super().__init__(message, code=code, details=details)
        self.field = field  # the form field the message belongs to ("" for the whole form)


class DisclosureNotFound(DisclosureError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class DisclosureStateError(DisclosureError, ConflictError):
    """The item's state forbids the operation now (409): e.g. publishing a draft."""

    status = 409


class GateBlocked(DisclosureError):
    """Personal data or a blocking sensitive word found, not masked nor justified (T-I2)."""
