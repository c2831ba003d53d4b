from tongban.core.errors import ConflictError, TongbanError


class WorkflowError(TongbanError):
    """A refused workflow request, with a message for the person who made it."""


class DefinitionError(WorkflowError):
    """An uploaded process definition that the platform will not run; the message names the element."""


class TaskNotFound(WorkflowError):
    """The task does not exist or is not the viewer's to see (the same answer for both, T-H1)."""

    status = 404


class TaskConflict(ConflictError):
    """Someone else acted on the task first, or the process moved on (HTTP 409, T-H2)."""
