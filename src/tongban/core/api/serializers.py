from rest_framework import serializers


class RejectUnknownFieldsMixin:
    """Unknown keys are a 400, not silently dropped: a client learns it sent a field we ignore (T-D1)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)  # type: ignore[attr-defined]
            if unknown:
                raise serializers.ValidationError({name: ["不能提交此字段。"] for name in sorted(unknown)})
        return super().to_internal_value(data)  # type: ignore[misc]
