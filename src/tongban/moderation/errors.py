from tongban.core.errors import TongbanError


class SensitiveWordError(TongbanError):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, code=code)
        self.field_errors: dict[str, str] = {field: message} if field else {}
