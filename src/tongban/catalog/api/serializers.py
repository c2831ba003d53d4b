"""Catalog API shapes: lean ones for public lists, full ones for a guide and for staff writes."""

from __future__ import annotations

import dataclasses

from rest_framework import serializers

from tongban.catalog.models import MaterialRequirement, ServiceItemVersion, Theme
from tongban.catalog.services import PARTS, SCALAR_FIELDS
from tongban.catalog.types import ItemDraft
from tongban.core.api.serializers import RejectUnknownFieldsMixin


def _part_fields(data_class: type) -> list[str]:
    return [f.name for f in dataclasses.fields(data_class) if f.name not in {"blank_form", "sample"}]


def _part_serializer(model: type, data_class: type) -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": model, "fields": _part_fields(data_class)})
    return type(
        f"{model.__name__}Serializer", (RejectUnknownFieldsMixin, serializers.ModelSerializer), {"Meta": meta}
    )


PART_SERIALIZERS = {
    name: _part_serializer(model, data_class) for name, (_r, model, data_class) in PARTS.items()
}
_VERSION_FIELDS = [name for name in SCALAR_FIELDS if name != "hall_id"]


class ItemSummarySerializer(serializers.ModelSerializer):
    implementation_code = serializers.CharField(source="item.implementation_code")
    basic_code = serializers.CharField(source="item.basic_code")
    department = serializers.CharField(source="item.department.name")

    class Meta:
        model = ServiceItemVersion
        fields = [
            "implementation_code",
            "basic_code",
            "name",
            "department",
            "kind",
            "online_depth",
            "site_visits",
            "is_instant",
            "promised_limit",
            "promised_limit_unit",
        ]


class MaterialOutSerializer(serializers.ModelSerializer):
    has_blank_form = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequirement
        fields = [*_part_fields(PARTS["materials"][2]), "id", "has_blank_form"]

    def get_has_blank_form(self, material: MaterialRequirement) -> bool:
        return bool(material.blank_form)


class ItemDetailSerializer(ItemSummarySerializer):
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    hall = serializers.CharField(source="hall.name", default=None)
    legal_bases = PART_SERIALIZERS["legal_bases"](many=True, read_only=True)
    special_procedures = PART_SERIALIZERS["special_procedures"](many=True, read_only=True)
    steps = PART_SERIALIZERS["steps"](many=True, read_only=True)
    materials = MaterialOutSerializer(many=True, read_only=True)
    fees = PART_SERIALIZERS["fees"](many=True, read_only=True)
    faqs = PART_SERIALIZERS["faqs"](many=True, read_only=True)

    class Meta:
        model = ServiceItemVersion
        fields = [
            *ItemSummarySerializer.Meta.fields,
            *(f for f in _VERSION_FIELDS if f not in ItemSummarySerializer.Meta.fields),
            "number",
            "published_at",
            "themes",
            "hall",
            *PARTS.keys(),
        ]


class ThemeSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Theme
        fields = ["id", "name", "audience", "item_count"]


class ItemDraftSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """A version's whole content as staff send it; ``to_draft`` turns it into the service's input."""

    hall_id = serializers.IntegerField(required=False, allow_null=True)
    theme_names = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    legal_bases = PART_SERIALIZERS["legal_bases"](many=True, required=False)
    special_procedures = PART_SERIALIZERS["special_procedures"](many=True, required=False)
    steps = PART_SERIALIZERS["steps"](many=True, required=False)
    materials = PART_SERIALIZERS["materials"](many=True, required=False)
    fees = PART_SERIALIZERS["fees"](many=True, required=False)
    faqs = PART_SERIALIZERS["faqs"](many=True, required=False)

    class Meta:
        model = ServiceItemVersion
        fields = [*_VERSION_FIELDS, "hall_id", "theme_names", *PARTS.keys()]

    def to_draft(self) -> ItemDraft:
        data = dict(self.validated_data)
        for list_name, (_related, _model, data_class) in PARTS.items():
            rows = data.pop(list_name, [])
            data[list_name] = tuple(
                data_class(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in row.items()})
                for row in rows
            )
        data["theme_names"] = tuple(data.get("theme_names", ()))
        return ItemDraft(**data)


class NewItemSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    department_id = serializers.IntegerField()
    basic_code = serializers.CharField(max_length=12)
    implementation_code = serializers.CharField(max_length=36)
    draft = ItemDraftSerializer()


class VersionRefSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    version_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    implementation_code = serializers.CharField()
    name = serializers.CharField()
