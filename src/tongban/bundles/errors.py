from tongban.core.errors import ConflictError, TongbanError


class BundleError(TongbanError):
    """A bundle (一件事) action refused; the message says why."""


class BundleNotFound(BundleError):
    status = 404


class BundleStateError(ConflictError):
    """The bundle or the citizen's case is no longer in a state for this action."""
