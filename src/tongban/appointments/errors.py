from tongban.core.errors import ConflictError, TongbanError


class AppointmentError(TongbanError):
    """A refused request about a slot or an appointment, with a message for the person who made it."""


class AppointmentConflictError(AppointmentError, ConflictError):
    """The slot or appointment's current state forbids it: full, past, already booked (HTTP 409)."""


class AppointmentRuleError(AppointmentError):
    """A refused opening rule; ``field`` names the form field at fault ("" when none)."""

    def __init__(self, message: str, *, code: str = "invalid", field: str = "") -> None:
        super().__init__(message, code=code)
        self.field = field
