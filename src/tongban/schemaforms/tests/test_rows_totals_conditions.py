"""明细表 (repeating rows), computed totals (x-product, x-sum) and conditional fields (x-when): checked
on the server, rendered for use without JavaScript, and refused at definition time when wrong."""

import copy

import pytest
from django.template.loader import render_to_string

from tongban.schemaforms import FormSchemaError, SchemaForm, validate_schema
from tongban.schemaforms.tests.helpers import Page, example

PURCHASE, PURCHASE_UI = example("purchase_request")
LEAVE, LEAVE_UI = example("leave_request")


def purchase_post(**overrides):
    data = {
        "reason": "办公用品",
        "category": "goods",
        "items-count": "2",
        "items-0-name": "打印纸",
        "items-0-spec": "A4 70克",
        "items-0-quantity": "10",
        "items-0-unit_price": "25.50",
        "items-1-name": "墨盒",
        "items-1-quantity": "3",
        "items-1-unit_price": "0.1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def purchase_form(data, **kwargs):
    # The attachment is left out of these tests (test_attachments): a kept upload is not needed here.
    return SchemaForm(
        PURCHASE,
        PURCHASE_UI,
        data=data,
        only=[k for k in PURCHASE["properties"] if k != "quotation"],
        **kwargs,
    )


def render(form) -> Page:
    return Page(render_to_string("schemaforms/_fields.html", {"form": form}))


# --- the examples -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["purchase_request", "leave_request"])
def test_the_issue_14_examples_pass_the_definition_check(name):
    schema, ui = example(name)

    validate_schema(schema, ui)  # raises when refused


# --- 明细表 ----------------------------------------------------------------------------------------


def test_rows_are_cleaned_into_a_list_of_objects_with_products_and_a_total():
    form = purchase_form(purchase_post())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["items"] == [
        {"name": "打印纸", "spec": "A4 70克", "quantity": 10, "unit_price": 25.5, "amount": 255},
        {"name": "墨盒", "quantity": 3, "unit_price": 0.1, "amount": 0.3},
    ]
    # Decimal: 3 × 0.1 is 0.30, not 0.30000000000000004; the total is 255.30.
    assert form.cleaned_data["total"] == 255.3


def test_a_total_in_the_post_is_never_read():
    form = purchase_form(purchase_post(total="1", **{"items-0-amount": "999999"}))

    assert form.is_valid()
    assert form.cleaned_data["total"] == 255.3
    assert form.cleaned_data["items"][0]["amount"] == 255


def test_money_is_rounded_to_fen_half_up():
    form = purchase_form(
        purchase_post(**{"items-count": "1", "items-0-quantity": "3", "items-0-unit_price": "0.125"})
    )

    assert form.is_valid()
    assert form.cleaned_data["items"][0]["amount"] == 0.38
    assert form["total"].answer == "0.38"


def test_a_blank_row_is_dropped():
    form = purchase_form(purchase_post(**{"items-count": "3"}))

    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["items"]) == 2


def test_cell_errors_name_the_row_and_the_column_and_link_to_the_cell():
    form = purchase_form(purchase_post(**{"items-1-name": "", "items-1-quantity": "三"}))

    assert not form.is_valid()
    assert form.errors == [
        ("field-items-1-name", "第2行“品名”：请输入品名"),
        ("field-items-1-quantity", "第2行“数量”：数量须为整数"),
    ]
    page = render(form)
    assert {"field-items-1-name", "field-items-1-quantity"} <= page.ids
    assert page.controls["items-1-quantity"]["aria-invalid"] == "true"
    assert page.controls["items-1-quantity"]["value"] == "三"  # answers kept
    assert "field-items-1-quantity--error" in page.ids


def test_an_empty_table_is_refused_when_rows_are_required():
    form = purchase_form(
        purchase_post(
            **{
                "items-count": "1",
                "items-0-name": "",
                "items-0-spec": "",
                "items-0-quantity": "",
                "items-0-unit_price": "",
            }
        )
    )

    assert form.errors == [("field-items-0-name", "请填写采购明细")]


def test_min_items_above_one_says_how_many_rows():
    schema = copy.deepcopy(PURCHASE)
    schema["properties"]["items"]["minItems"] = 2
    form = SchemaForm(schema, PURCHASE_UI, data=purchase_post(**{"items-count": "1"}), only=["items"])

    assert form.errors == [("field-items-0-name", "采购明细须至少填写2行")]


def test_more_rows_than_max_items_are_never_read():
    schema = copy.deepcopy(PURCHASE)
    schema["properties"]["items"]["maxItems"] = 1
    form = SchemaForm(
        schema, PURCHASE_UI, data=purchase_post(**{"items-count": "500"}), only=["items", "total"]
    )

    assert form.is_valid()
    assert [row["name"] for row in form.cleaned_data["items"]] == ["打印纸"]
    assert 'name="items-add"' not in render_to_string("schemaforms/_fields.html", {"form": form})


def test_adding_a_row_without_javascript_re_renders_with_one_more_row_and_no_errors():
    form = purchase_form(purchase_post(reason="", **{"items-add": "1"}))

    assert form.is_editing_rows
    assert not form.is_valid()
    assert form.errors == []
    page = render(form)
    assert page.controls["items-count"]["value"] == "3"
    assert page.controls["items-0-name"]["value"] == "打印纸"  # what was typed stays
    assert "autofocus" in page.controls["items-2-name"]  # the new row's first cell


def test_removing_a_row_shifts_the_rows_below_it_up():
    form = purchase_form(purchase_post(**{"items-remove": "0"}))

    assert form.is_editing_rows
    assert form.errors == []
    page = render(form)
    assert page.controls["items-count"]["value"] == "1"
    assert page.controls["items-0-name"]["value"] == "墨盒"
    assert page.outputs["field-total"] == "0.30"


def test_a_table_renders_a_labelled_cell_for_every_column_and_buttons_that_work_without_javascript():
    form = SchemaForm(
        PURCHASE,
        PURCHASE_UI,
        initial={"items": [{"name": "打印纸", "quantity": 2, "unit_price": 3.5, "amount": 7}]},
    )
    page = render(form)

    for column in ("name", "spec", "quantity", "unit_price"):
        assert f"field-items-0-{column}" in page.label_for
    names = [button.get("name") for button in page.buttons]
    # The first button is the form's default (Enter in a cell must not delete a row).
    assert names[0] is None
    assert names[1:] == ["items-remove", "items-add"]
    assert page.outputs["field-items-0-amount"] == "7.00"
    assert page.outputs["field-total"] == "7.00"
    assert "第1行" in page.all_text
    assert "增加一行" in page.all_text


def test_answers_show_rows_and_the_total():
    form = SchemaForm(
        PURCHASE,
        PURCHASE_UI,
        initial={"items": [{"name": "打印纸", "quantity": 2, "unit_price": 3.5, "amount": 7}], "total": 7},
    )

    assert form["items"].answer == "第1行：品名：打印纸；数量：2；单价（元）：3.5；金额（元）：7.00"
    assert form["total"].answer == "7.00"


def test_a_total_of_an_integer_column_shows_no_fen():
    schema = copy.deepcopy(PURCHASE)
    schema["properties"]["total"]["x-sum"] = "items.quantity"
    form = SchemaForm(schema, PURCHASE_UI, data=purchase_post(), only=["items", "total"])

    assert form.cleaned_data["total"] == 13
    assert form["total"].answer == "13"


# --- x-when ----------------------------------------------------------------------------------------


def test_a_conditional_field_is_required_only_when_its_condition_holds():
    big = purchase_post(**{"items-0-quantity": "2000", "items-0-unit_price": "30"})  # 60000.30

    assert purchase_form(big).errors == [("field-over_budget_reason", "请输入超预算说明")]
    assert purchase_form(purchase_post()).is_valid()


def test_a_hidden_conditional_answer_is_dropped():
    form = purchase_form(purchase_post(over_budget_reason="多买了一些"))

    assert form.is_valid()
    assert "over_budget_reason" not in form.cleaned_data


def test_a_shown_conditional_answer_is_kept():
    form = purchase_form(
        purchase_post(
            over_budget_reason="年度集中采购", **{"items-0-quantity": "2000", "items-0-unit_price": "30"}
        )
    )

    assert form.is_valid()
    assert form.cleaned_data["over_budget_reason"] == "年度集中采购"
    assert form.cleaned_data["total"] == 60000.3


def test_equals_on_a_choice_hides_the_leave_proof_for_annual_leave():
    data = {
        "kind": "annual",
        "start_date-year": "2026",
        "start_date-month": "12",
        "start_date-day": "8",
        "end_date-year": "2026",
        "end_date-month": "12",
        "end_date-day": "9",
        "days": "1.5",
        "reason": "探亲",
    }
    assert SchemaForm(LEAVE, LEAVE_UI, data=data, owner_id=1).is_valid()

    sick = SchemaForm(LEAVE, LEAVE_UI, data={**data, "kind": "sick"}, owner_id=1)
    assert sick.errors == [("field-proof", "请上传证明材料")]


def test_without_javascript_a_conditional_field_shows_with_its_hint():
    page = render(SchemaForm(LEAVE, LEAVE_UI))

    assert "proof" in page.controls
    assert "仅当“请假类型”为“病假”时填写" in page.all_text
    assert "field-proof--when" in page.controls["proof"]["aria-describedby"]


@pytest.mark.parametrize(
    ("when", "answers", "holds"),
    [
        ({"field": "total", "gt": 50000}, {"total": 50000}, False),
        ({"field": "total", "gte": 50000}, {"total": 50000}, True),
        ({"field": "total", "lt": 0.3}, {"total": 0.1}, True),
        ({"field": "total", "lte": 100}, {"total": 100.0}, True),
        ({"field": "category", "in": ["goods", "works"]}, {"category": "works"}, True),
        ({"field": "category", "not_equals": "goods"}, {"category": "goods"}, False),
        ({"field": "category", "not_equals": "goods"}, {}, False),
    ],
)
def test_conditions_compare_as_documented(when, answers, holds):
    from tongban.schemaforms import compute
    from tongban.schemaforms.spec import Condition

    op = next(key for key in when if key != "field")
    value = tuple(when[op]) if op == "in" else when[op]
    assert compute.holds(Condition(field=when["field"], op=op, value=value), answers) is holds


def test_the_check_page_leaves_out_a_field_whose_condition_does_not_hold():
    form = SchemaForm(PURCHASE, PURCHASE_UI, initial={"total": 100, "over_budget_reason": "旧答案"})

    shown = [field.path for section in form.answer_sections for field in section.fields]
    assert "over_budget_reason" not in shown
    assert "total" in shown


def test_the_script_is_loaded_only_for_forms_that_compute_or_hide():
    assert 'src="/static/schemaforms/schemaforms.js"' in render_to_string(
        "schemaforms/_fields.html", {"form": SchemaForm(LEAVE, LEAVE_UI)}
    )
    plain = SchemaForm(
        {"type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}},
        {"a": {"ui:label": "名称"}},
    )
    assert "schemaforms.js" not in render_to_string("schemaforms/_fields.html", {"form": plain})


# --- definitions refused ---------------------------------------------------------------------------


def refused(schema, ui) -> list[str]:
    with pytest.raises(FormSchemaError) as caught:
        validate_schema(schema, ui)
    return caught.value.details


def with_property(name, prop, label="新字段", schema=PURCHASE, ui=PURCHASE_UI):
    schema, ui = copy.deepcopy(schema), copy.deepcopy(ui)
    schema["properties"][name] = prop
    ui[name] = {"ui:label": label}
    ui["ui:order"] = [*ui["ui:order"], name]
    return schema, ui


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            {"field": "nothing", "equals": "a"},
            "字段“extra”的 x-when 引用的字段“nothing”不存在（只能引用表单顶层的字段）",
        ),
        (
            {"field": "category", "like": "goods"},
            "字段“extra”的 x-when 使用了不支持的比较方式“like”，可用的方式：equals、not_equals、in、gt、gte、lt、lte",
        ),
        (
            {"field": "category", "equals": "food"},
            "字段“extra”的 x-when 中的值 food 不是“category”可能的答案",
        ),
        (
            {"field": "category", "gt": "goods"},
            "字段“extra”的 x-when 不能对“category”使用比较方式“gt”，可用的方式：equals、not_equals、in",
        ),
        ({"field": "total", "gt": "5万"}, "字段“extra”的 x-when 中的值 5万 不是“total”可能的答案"),
        (
            {"field": "items", "equals": 1},
            "字段“extra”的 x-when 不能以“items”为条件：只能比较文字、选项、日期、数字、是否或合计",
        ),
        ({"field": "category", "in": []}, "字段“extra”的 x-when 中 in 的值须为非空列表"),
        (
            {"field": "category"},
            '字段“extra”的 x-when 须为 {"field": 字段名, 比较方式: 值}，如 {"field": "kind", "equals": "sick"}',
        ),
        ({"field": "extra", "equals": "a"}, "字段“extra”的 x-when 不能以它自己为条件"),
    ],
)
def test_x_when_mistakes_are_refused_with_a_clear_message(when, message):
    schema, ui = with_property("extra", {"type": "string", "maxLength": 10, "x-when": when})

    assert message in refused(schema, ui)


def test_x_when_on_a_field_after_it_is_refused():
    schema, ui = copy.deepcopy(PURCHASE), copy.deepcopy(PURCHASE_UI)
    schema["properties"]["reason"]["x-when"] = {"field": "category", "equals": "goods"}

    assert "字段“reason”的 x-when 引用了排在它之后的字段“category”，请把“category”排在前面" in refused(
        schema, ui
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["properties"].__setitem__("total", {"type": "number", "x-sum": "items.name"}),
            "字段“total”的 x-sum 引用的“items.name”不是明细表中的整数或数字列",
        ),
        (
            lambda s: s["properties"].__setitem__("total", {"type": "number", "x-sum": "category.x"}),
            "字段“total”的 x-sum 引用的“category”不是排在它之前的明细表",
        ),
        (
            lambda s: s["properties"].__setitem__("total", {"type": "number", "x-sum": "items"}),
            "字段“total”的 x-sum 须写作“明细表字段名.数字列名”，如“items.amount”",
        ),
        (
            lambda s: s["properties"]["items"].__setitem__("maxItems", 1000),
            "字段“items”的 maxItems 须为 0 至 100 之间的整数",
        ),
        (
            lambda s: s["properties"]["items"]["items"]["properties"]["amount"].__setitem__(
                "x-product", ["quantity", "spec"]
            ),
            "字段“items.amount”的 x-product 中的“spec”须为填写的整数或数字列",
        ),
        (
            lambda s: s["properties"]["items"]["items"]["properties"].__setitem__(
                "sub", {"type": "object", "properties": {}}
            ),
            "字段“items.sub”：明细表的列只能是文字、选项、日期、整数、数字或是否",
        ),
        (
            lambda s: s["properties"]["items"]["items"]["properties"]["name"].__setitem__(
                "format", "resident_id"
            ),
            "字段“items.name”：明细表的列不能是身份证号码",
        ),
        (
            lambda s: s["properties"]["reason"].__setitem__("x-product", ["a", "b"]),
            "字段“reason”：x-product 只能用于明细表的列",
        ),
        (
            lambda s: s["properties"]["quotation"].__setitem__("x-accept", ["exe"]),
            "字段“quotation”的 x-accept 须为文件类型的列表，可用的类型：pdf、jpg、png、ofd",
        ),
        (
            lambda s: s["properties"]["quotation"].__setitem__("x-max-mb", 500),
            "字段“quotation”的 x-max-mb 须为 1 至 50 之间的整数",
        ),
        (
            lambda s: s["properties"]["reason"].__setitem__("x-accept", ["pdf"]),
            "字段“reason”：x-accept 只能用于附件（format 为 attachment）",
        ),
        (lambda s: s["required"].append("total"), "字段“total”由系统计算，不能列入 required"),
    ],
)
def test_rows_totals_and_attachments_outside_the_subset_are_refused(change, message):
    schema, ui = copy.deepcopy(PURCHASE), copy.deepcopy(PURCHASE_UI)
    change(schema)
    ui["items"].setdefault("sub", {"ui:label": "子项"})
    if "sub" not in schema["properties"]["items"]["items"]["properties"]:
        del ui["items"]["sub"]
    else:
        ui["items"]["ui:order"].append("sub")

    assert message in refused(schema, ui)


def test_column_labels_may_repeat_a_label_outside_the_table():
    schema, ui = with_property("name", {"type": "string", "maxLength": 20}, label="品名")

    validate_schema(schema, ui)


def test_min_items_on_checkboxes_is_refused():
    schema, ui = with_property(
        "extras",
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 1,
            "items": {"type": "string", "enum": ["a", "b"]},
        },
    )

    assert "字段“extras”：minItems 只能用于明细表（items 为对象的数组）" in refused(schema, ui)
