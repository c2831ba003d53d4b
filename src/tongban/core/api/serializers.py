from rest_framework import serializers


class UnknownFieldsError(serializers.ValidationError):
    """A refused body that held keys the serializer does not have; ``names`` lets the error handler
    audit protected ones (T-B5)."""

    def __init__(self, detail: object, *, names: list[str]) -> None:
        self.names = names
        super().__init__(detail)


class RejectUnknownFieldsMixin:
    """Unknown keys are a 400, not silently dropped: a client learns it sent a field we ignore (T-D1).
    Keys such as ``status`` or ``department`` that a serializer does not list are never set through it
    (T-B5), and an attempt is audited by ``core.api.errors.exception_handler``."""

    unknown_fields: list[str] = []

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))  # type: ignore[attr-defined]
            if unknown:
                self.unknown_fields = unknown
                raise serializers.ValidationError({name: ["不能提交此字段。"] for name in unknown})
        return super().to_internal_value(data)  # type: ignore[misc]

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        valid = super().is_valid(raise_exception=False)  # type: ignore[misc]
        if not valid and raise_exception:
            if self.unknown_fields:
                raise UnknownFieldsError(self.errors, names=self.unknown_fields)  # type: ignore[attr-defined]
            raise serializers.ValidationError(self.errors)  # type: ignore[attr-defined]
        return valid
