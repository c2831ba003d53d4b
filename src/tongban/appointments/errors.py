from tongban.core.errors import ConflictError, TongbanError


class AppointmentError(TongbanError):
    """A refused request about a slot or an appointment, with a message for the person who made it."""


class AppointmentConflictError(AppointmentError, ConflictError):
    """The slot or appointment's current state forbids it: full, past, already booked (HTTP 409)."""
