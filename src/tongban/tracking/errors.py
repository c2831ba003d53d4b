from tongban.core.errors import ConflictError, TongbanError


class TrackingError(TongbanError):
    """A refused 督办 operation (立项, 交办, 签收, 反馈, 办结, 延期, 评价, 催办), with a message."""


class TrackingNotFound(TrackingError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class TrackingStateError(TrackingError, ConflictError):
    """The item's state forbids the operation now (HTTP 409): done already, or by someone else."""

    status = 409
