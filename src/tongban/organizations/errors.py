from tongban.core.errors import TongbanError


class OrganizationError(TongbanError):
    """A refused change to regions, departments, halls or staff roles."""
