from tongban.core.errors import TongbanError


class RegistryError(TongbanError):
    """A registry write was refused (an invalid identifier)."""
