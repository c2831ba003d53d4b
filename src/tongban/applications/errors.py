from tongban.core.errors import ConflictError, TongbanError


class ApplicationError(TongbanError):
    """A refused request about an application, with a message for the person who made it."""


class ApplicationStateError(ConflictError):
    """The application's current state does not allow this (HTTP 409)."""


class ApplicationNotFound(ApplicationError):
    """Missing, or not the viewer's to see: the same answer for both (T-B1, T-B3)."""

    status = 404


class CorrectionIncomplete(ApplicationError):
    """补正 submitted before every listed item was done; ``fields`` and ``material_ids`` say which."""

    def __init__(self, message: str, *, fields: list[str], material_ids: list[int]) -> None:
        super().__init__(message, code="correction_incomplete")
        self.fields = fields
        self.material_ids = material_ids
