from rest_framework import serializers


class UnknownFieldsError(serializers.ValidationError):
    """Keys the serializer does not have; ``names`` lets the error handler audit protected ones (T-B5)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__({name: ["不能提交此字段。"] for name in names})


class RejectUnknownFieldsMixin:
    """Unknown keys are a 400, not silently dropped: a client learns it sent a field we ignore (T-D1).
    Keys such as ``status`` or ``department`` that a serializer does not list are never set through it
    (T-B5), and an attempt is audited by ``core.api.errors.exception_handler``."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)  # type: ignore[attr-defined]
            if unknown:
                raise UnknownFieldsError(sorted(unknown))
        return super().to_internal_value(data)  # type: ignore[misc]
