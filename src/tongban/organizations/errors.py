from tongban.core.errors import ConflictError, TongbanError


class OrganizationError(TongbanError):
    """A refused change to regions, departments, halls or staff roles."""


class StaffError(OrganizationError):
    """A refused change to a staff member's account or roles; ``field_errors`` puts the message next to
    the answer it is about (a form shows it there and in its error summary)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.field_errors: dict[str, str] = {field: message} if field else {}


class StaffConflict(StaffError):
    """The account is already in the state asked for (HTTP 409)."""

    status = ConflictError.status


class StaffForbidden(StaffError):
    """Not this administrator's duty (三权分立: the 系统管理员 grants no role, the 安全管理员 creates or
    changes no account) (HTTP 403)."""

    status = 403


class StaffNotFound(StaffError):
    """No staff member the administrator manages has that id (HTTP 404)."""

    status = 404


class StaffImportError(OrganizationError):
    """A staff file that is not imported: ``details`` has one message per wrong line, with its number."""
