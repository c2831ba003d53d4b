from tongban.core.errors import ConflictError, TongbanError


class LicenseError(TongbanError):
    """A refused request about an e-license, with a message for the person who made it."""


class LicenseStateError(ConflictError):
    """The license or its application is in a state that does not allow this (HTTP 409)."""
