from rest_framework import serializers

from tongban.core.api.serializers import RejectUnknownFieldsMixin
from tongban.sharing.models import DataItem, DataResource


class QuerySerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """An exchange query. The subject travels in the body, never in the URL (T-M1)."""

    subject = serializers.CharField(max_length=18, help_text="身份证号码（自然人）或统一社会信用代码（法人）")
    purpose = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="数据用途，须与共享授权一致"
    )
    case_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="业务编号（如办件编号）"
    )


class SharedDataSerializer(serializers.Serializer):
    resource = serializers.CharField(source="resource_code")
    subject = serializers.CharField(source="subject_masked")
    items = serializers.DictField()
    usage_seq = serializers.IntegerField()


class DataItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataItem
        fields = ["key", "name", "data_type"]


class DataResourceSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    department_code = serializers.CharField(source="department.uscc")
    items = DataItemSerializer(many=True)

    class Meta:
        model = DataResource
        fields = [
            "code",
            "name",
            "classification",
            "department",
            "department_code",
            "summary",
            "data_format",
            "subject_kind",
            "sharing_type",
            "sharing_condition",
            "sharing_method",
            "not_shared_basis",
            "open_attribute",
            "update_cycle",
            "published_on",
            "related_resources",
            "items",
        ]
