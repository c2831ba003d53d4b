from tongban.core.errors import ConflictError, TongbanError


class WorkflowError(TongbanError):
    """A refused workflow request, with a message for the person who made it."""


class DefinitionError(WorkflowError):
    """An uploaded process definition that the platform will not run; the message names the element.

    ``problems`` pairs each reason with the id of the BPMN element it concerns (None for the file
    or the process as a whole): the designer shows a reason beside its element."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        details: list[str] | None = None,
        element_id: str | None = None,
        problems: list[tuple[str | None, str]] | None = None,
    ) -> None:
        super().__init__(message, code=code, details=details)
        self.element_id = element_id
        self.problems = problems if problems is not None else [(element_id, m) for m in details or [message]]


class TaskNotFound(WorkflowError):
    """The task does not exist or is not the viewer's to see (the same answer for both, T-H1)."""

    status = 404


class TaskConflict(ConflictError):
    """Someone else acted on the task first, or the process moved on (HTTP 409, T-H2)."""


class AssigneeChoiceError(WorkflowError):
    """A picker of 发起人自选 / 审批人自选 answered wrongly: ``field_errors`` holds one message per
    step's field (``assignee_<element id>``), shown next to it and in the error summary."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__(next(iter(field_errors.values())), code="assignee_choice")
        self.field_errors = field_errors
