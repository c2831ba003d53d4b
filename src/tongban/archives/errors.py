from tongban.core.errors import ConflictError, TongbanError


class ArchiveError(TongbanError):
    """A refused archive operation, with a message for the person."""


class ArchiveStateError(ArchiveError, ConflictError):
    status = 409
