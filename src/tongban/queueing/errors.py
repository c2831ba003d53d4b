from tongban.core.errors import ConflictError, TongbanError


class QueueError(TongbanError):
    """A queue action refused; the message says why."""


class QueueNotFound(QueueError):
    status = 404


class QueueConflict(ConflictError):
    """The ticket is no longer in a state for this action (called by another window, finished …)."""
