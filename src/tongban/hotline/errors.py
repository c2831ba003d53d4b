from tongban.core.errors import ConflictError, TongbanError


class HotlineError(TongbanError):
    """A refused 12345 operation (提交, 受理, 派单, 签收, 退单, 回复, 办结, 回访, 评价, 延期, 并单, 督办)."""


class HotlineNotFound(HotlineError):
    """Not there, or not the viewer's to see (the same answer for both)."""

    status = 404


class HotlineStateError(HotlineError, ConflictError):
    """The order's state forbids the operation now (HTTP 409): done already, or by someone else."""

    status = 409
