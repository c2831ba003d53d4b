"""A bundle of three published items in two departments: 营业执照 (market), 食品经营许可 (market) and
户外招牌 (urban management, switched on by a question). The first two share the fields name/phone
and the material 营业执照; 食品经营许可 defines ``address`` differently from 营业执照's."""

from __future__ import annotations

from dataclasses import dataclass

from tongban.bundles import services
from tongban.catalog.types import MaterialData

NAME = {"type": "string", "maxLength": 50}
PHONE = {"type": "string", "format": "phone", "maxLength": 11}


def _form(extra: dict, extra_ui: dict, required: list[str]) -> dict:
    return {
        "form_schema": {
            "type": "object",
            "required": ["name", "phone", *required],
            "properties": {"name": NAME, "phone": PHONE, **extra},
        },
        "ui_schema": {
            "ui:order": ["name", "phone", *extra],
            "name": {"ui:label": "申请人姓名"},
            "phone": {"ui:label": "联系电话"},
            **extra_ui,
        },
    }


def material(name: str) -> MaterialData:
    return MaterialData(
        name=name,
        material_type="other",
        form="electronic",
        necessity="required",
        source="applicant",
        originals=1,
    )


LICENSE_FORM = _form(
    {"address": {"type": "string", "maxLength": 100}}, {"address": {"ui:label": "经营场所"}}, ["address"]
)
FOOD_FORM = _form(
    {
        "address": {"type": "string", "maxLength": 200},
        "seats": {"type": "integer", "minimum": 1, "maximum": 500},
    },
    {"address": {"ui:label": "经营场所"}, "seats": {"ui:label": "座位数"}},
    ["seats"],
)
SIGN_FORM = _form(
    {"sign_text": {"type": "string", "maxLength": 50}}, {"sign_text": {"ui:label": "招牌文字"}}, []
)


@dataclass
class Restaurant:
    bundle_id: int
    code: str
    license: object  # catalog VersionRef
    food: object
    sign: object
    question_id: int


def restaurant_bundle(department, other_department, publish_item) -> Restaurant:
    license_ref = publish_item(
        department, name="个体工商户营业执照核发", materials=(material("经营者身份证件"),), **LICENSE_FORM
    )
    food = publish_item(
        department,
        name="食品经营许可",
        materials=(material("经营者身份证件"), material("食品安全规章制度目录")),
        **FOOD_FORM,
    )
    sign = publish_item(
        other_department, name="户外广告设施设置审批", materials=(material("招牌效果图"),), **SIGN_FORM
    )
    bundle_id = services.save_bundle(
        actor_id=None, code="open-restaurant", name="开办餐饮店", life_events="开饭店，开餐馆"
    )
    entries = [
        services.add_bundle_item(actor_id=None, bundle_id=bundle_id, item_id=ref.item_id, position=n)
        for n, ref in enumerate([license_ref, food, sign])
    ]
    question_id = services.add_bundle_question(
        actor_id=None, bundle_id=bundle_id, text="是否需要设置户外招牌？", switches=[entries[2]]
    )
    services.publish_bundle(actor_id=None, bundle_id=bundle_id)
    return Restaurant(bundle_id, "open-restaurant", license_ref, food, sign, question_id)
