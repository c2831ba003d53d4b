from tongban.core.errors import ConflictError, TongbanError


class MeetingError(TongbanError):
    """A refused meeting operation (预订, 通知, 回复, 签到, 纪要 …), with a message for the person.
    ``field`` names the form field the message belongs next to ("" for the page)."""

    def __init__(self, message: str, *, code: str = "invalid", field: str = "") -> None:
        super().__init__(message, code=code)
        self.field = field


class MeetingNotFound(MeetingError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class RoomTaken(MeetingError, ConflictError):
    """The room is booked for an overlapping time (HTTP 409)."""

    status = 409


class MeetingStateError(MeetingError, ConflictError):
    """The meeting's state forbids the operation now (cancelled, over, notice already sent …)."""

    status = 409
