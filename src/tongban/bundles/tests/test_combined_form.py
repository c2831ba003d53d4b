"""The combined form: shared fields asked once, differing definitions asked per item, answers mapped
back to each item's own form."""

from tongban.bundles import combine
from tongban.bundles.tests.factories import FOOD_FORM, LICENSE_FORM, SIGN_FORM
from tongban.catalog.types import ItemSnapshot, MaterialSnapshot


def snapshot(item_id: int, name: str, form: dict, materials=()) -> ItemSnapshot:
    return ItemSnapshot(
        item_id=item_id,
        version_id=item_id,
        implementation_code=str(item_id),
        name=name,
        department_id=1,
        promised_limit=3,
        promised_limit_unit="working_day",
        is_instant=False,
        accepts_online=True,
        materials=tuple(materials),
        form_schema=form["form_schema"],
        ui_schema=form["ui_schema"],
    )


ITEMS = [
    snapshot(1, "营业执照", LICENSE_FORM),
    snapshot(2, "食品经营许可", FOOD_FORM),
    snapshot(3, "户外招牌", SIGN_FORM),
]


def test_fields_shared_by_items_are_asked_once_and_differing_ones_per_item():
    form = combine.combine_forms(ITEMS)
    assert form.ui_schema["ui:order"] == ["name", "phone", "address", "address_2", "seats", "sign_text"]
    assert form.schema["required"] == ["name", "phone", "address", "seats"]
    assert form.ui_schema["address_2"]["ui:label"] == "经营场所（食品经营许可）"
    assert form.schema["properties"]["address_2"] == {"type": "string", "maxLength": 200}


def test_answers_map_back_to_each_items_own_keys():
    form = combine.combine_forms(ITEMS)
    answers = {
        "name": "张三",
        "phone": "13800138000",
        "address": "滨江路1号",
        "address_2": "滨江路1号一楼",
        "seats": 40,
        "sign_text": "张三面馆",
    }
    assert combine.answers_for(form, 1, answers) == {
        "name": "张三",
        "phone": "13800138000",
        "address": "滨江路1号",
    }
    assert combine.answers_for(form, 2, answers) == {
        "name": "张三",
        "phone": "13800138000",
        "address": "滨江路1号一楼",
        "seats": 40,
    }
    assert combine.answers_for(form, 3, answers) == {
        "name": "张三",
        "phone": "13800138000",
        "sign_text": "张三面馆",
    }


def test_a_material_of_two_items_is_listed_once():
    def m(id_, name, types=("pdf", "jpg", "png"), size=10):
        return MaterialSnapshot(
            id=id_, name=name, necessity="required", allowed_types=types, max_size_mb=size
        )

    items = [
        snapshot(1, "营业执照", LICENSE_FORM, [m(11, "经营者身份证件")]),
        snapshot(2, "食品经营许可", FOOD_FORM, [m(21, "经营者 身份证件", ("pdf",), 5), m(22, "规章制度")]),
    ]
    shared = combine.shared_materials(items)
    assert [(s.name, s.requirements, s.allowed_types, s.max_size_mb) for s in shared] == [
        ("经营者身份证件", ((1, 11), (2, 21)), ("pdf",), 5),
        ("规章制度", ((2, 22),), ("pdf", "jpg", "png"), 10),
    ]
