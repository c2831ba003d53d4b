"""Application forms from JSON Schema + UI schema: answers checked on the server with the messages
of UX.md, rendered for use without JavaScript, and definitions outside the subset refused for staff."""

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import time_machine
from django.http import QueryDict
from django.template.loader import render_to_string

from tongban.core.errors import TongbanError
from tongban.schemaforms import (
    FormSchemaError,
    SchemaForm,
    cleaning,
    prefill,
    resident_id_paths,
    validate_schema,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "marriage_registration.json"
BEIJING = ZoneInfo("Asia/Shanghai")

SCHEMA = {
    "type": "object",
    "required": ["name", "resident_id", "phone", "hukou", "birth_date", "children", "consent"],
    "properties": {
        "name": {"type": "string", "maxLength": 50},
        "resident_id": {"type": "string", "format": "resident_id", "maxLength": 18},
        "phone": {"type": "string", "format": "phone", "maxLength": 11},
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "hukou": {"type": "string", "maxLength": 20, "enum": ["jinjiang", "yunzhou", "other"]},
        "birth_date": {"type": "string", "format": "date", "maxLength": 10},
        "children": {"type": "integer", "minimum": 1, "maximum": 10},
        "postcode": {"type": "string", "maxLength": 6, "pattern": "^[0-9]{6}$"},
        "needs_post": {"type": "boolean"},
        "services": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["social", "medical", "housing"]},
        },
        "company": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": 100},
                "uscc": {"type": "string", "format": "uscc", "maxLength": 18},
            },
        },
        "notes": {"type": "string", "maxLength": 500},
        "consent": {"type": "boolean"},
    },
}
UI = {
    "name": {"ui:label": "姓名", "ui:autocomplete": "name", "ui:prefill": "account.full_name"},
    "resident_id": {
        "ui:label": "身份证号码",
        "ui:help": "18位，最后一位可能是字母X",
        "ui:prefill": "account.resident_id",
    },
    "phone": {"ui:label": "手机号码", "ui:autocomplete": "tel", "ui:prefill": "account.phone"},
    "email": {"ui:label": "电子邮箱地址", "ui:autocomplete": "email"},
    "hukou": {"ui:label": "户籍所在地", "ui:labels": ["锦江区", "云州市其他区县", "外省市"]},
    "birth_date": {
        "ui:label": "出生日期",
        "ui:help": "例如：1990 3 7",
        "ui:past": True,
        "ui:autocomplete": "bday",
    },
    "children": {"ui:label": "子女人数"},
    "postcode": {"ui:label": "邮政编码", "ui:patternMessage": "邮政编码应为6位数字"},
    "needs_post": {"ui:label": "是否需要邮寄结果"},
    "services": {"ui:label": "需要一并办理的事项", "ui:labels": ["社保卡", "医保", "公积金"]},
    "company": {
        "ui:label": "工作单位",
        "name": {"ui:label": "单位名称", "ui:prefill": "enterprise.name"},
        "uscc": {"ui:label": "统一社会信用代码", "ui:prefill": "enterprise.uscc"},
    },
    "notes": {"ui:label": "备注", "ui:widget": "textarea"},
    "consent": {"ui:label": "本人承诺所填信息真实", "ui:widget": "checkbox"},
}
VALID = {
    "name": " 张三 ",
    "resident_id": "11010519491231002x",
    "phone": "138 0013 8000",
    "email": "zhang@example.com",
    "hukou": "jinjiang",
    "birth_date-year": "1949",
    "birth_date-month": "12",
    "birth_date-day": "31",
    "children": "2",
    "postcode": "610000",
    "needs_post": "no",
    "services": ["medical", "social"],
    "company-name": "云州市锦江区青禾科技有限公司",
    "company-uscc": "914403001922038216",
    "notes": "",
    "consent": "yes",
}
BANNED = ("非法", "无效", "错误", "!", "！")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING), tick=False):
        yield


def post(changes: dict | None = None, *, base: dict | None = None) -> QueryDict:
    """A POST as the browser sends it: VALID with some answers changed, or removed when None."""
    data = QueryDict(mutable=True)
    for key, value in {**(VALID if base is None else base), **(changes or {})}.items():
        if value is not None:
            data.setlist(key, value if isinstance(value, list) else [value])
    return data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def controls(html: str) -> dict[str, dict]:
    return {attrs["id"]: attrs for tag, attrs in tags(html) if tag in ("input", "select", "textarea")}


def render_page(form: SchemaForm) -> str:
    return render_to_string("schemaforms/_error_summary.html", {"form": form}) + render_to_string(
        "schemaforms/_fields.html", {"form": form}
    )


def refusal(schema: dict, ui: dict) -> list[str]:
    with pytest.raises(FormSchemaError) as refused:
        validate_schema(schema, ui)
    assert refused.value.message == refused.value.details[0]
    return refused.value.details


def one_field(prop: dict, ui: dict | None = None, *, name: str = "name") -> tuple[dict, dict]:
    return {"type": "object", "properties": {name: prop}}, {name: {"ui:label": "姓名", **(ui or {})}}


# Valid answers


def test_valid_submission_produces_exact_json_answers():
    form = SchemaForm(SCHEMA, UI, data=post())

    assert form.is_valid() is True
    assert form.errors == []
    assert form.cleaned_data == {
        "name": "张三",
        "resident_id": "11010519491231002X",
        "phone": "13800138000",
        "email": "zhang@example.com",
        "hukou": "jinjiang",
        "birth_date": "1949-12-31",
        "children": 2,
        "postcode": "610000",
        "needs_post": False,
        "services": ["social", "medical"],
        "company": {"name": "云州市锦江区青禾科技有限公司", "uscc": "914403001922038216"},
        "consent": True,
    }
    jsonschema.validate(form.cleaned_data, SCHEMA)
    assert json.loads(json.dumps(form.cleaned_data)) == form.cleaned_data


def test_identifiers_and_numbers_are_accepted_as_people_type_them():
    form = SchemaForm(
        SCHEMA,
        UI,
        data=post(
            {
                "phone": "+86 １３８-００１３-８０００",
                "resident_id": "１１０１０５ １９４９１２３１ ００２Ｘ",
                "children": "１０",
                "birth_date-year": "１９９０",
                "birth_date-month": "03",
                "birth_date-day": " 7 ",
            }
        ),
    )

    assert form.is_valid() is True
    assert {k: form.cleaned_data[k] for k in ("phone", "resident_id", "children", "birth_date")} == {
        "phone": "13800138000",
        "resident_id": "11010519491231002X",
        "children": 10,
        "birth_date": "1990-03-07",
    }


def test_unanswered_optional_fields_are_left_out_and_the_nested_object_stays():
    form = SchemaForm(
        SCHEMA,
        UI,
        data=post(
            {
                "email": "",
                "postcode": None,
                "needs_post": None,
                "services": None,
                "company-uscc": "",
                "notes": "\r\n  \t",
            }
        ),
    )

    assert form.is_valid() is True
    assert sorted(form.cleaned_data) == sorted(
        ["name", "resident_id", "phone", "hukou", "birth_date", "children", "company", "consent"]
    )
    assert form.cleaned_data["company"] == {"name": "云州市锦江区青禾科技有限公司"}


def test_textarea_keeps_line_breaks_and_drops_control_characters():
    form = SchemaForm(SCHEMA, UI, data=post({"notes": "第一行\r\n第二行\x00\x07"}))

    assert form.is_valid() is True
    assert form.cleaned_data["notes"] == "第一行\n第二行"


# Messages (UX.md): an instruction when empty, a description when a rule is broken


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"name": ""}, "field-name", "请输入姓名"),
        ({"name": "　"}, "field-name", "请输入姓名"),
        ({"hukou": None}, "field-hukou", "请选择户籍所在地"),
        ({"name": "张" * 51}, "field-name", "姓名须少于或等于50个字"),
        ({"resident_id": "11010119900307451"}, "field-resident_id", "身份证号码应为18位"),
        ({"resident_id": "110101199003074515"}, "field-resident_id", "身份证号码的校验位不正确，请核对"),
        (
            {"resident_id": "11010119900307451Y"},
            "field-resident_id",
            "身份证号码的前17位须为数字，最后一位为数字或字母X",
        ),
        ({"resident_id": "110101203001014517"}, "field-resident_id", "身份证号码中的出生日期不正确，请核对"),
        ({"phone": "1380013800"}, "field-phone", "手机号码应为11位数字"),
        ({"phone": "23800138000"}, "field-phone", "请输入正确的手机号码，如 13800138000"),
        ({"email": "zhang@"}, "field-email", "请输入正确的电子邮箱地址，如 name@example.com"),
        (
            {"birth_date-year": "2026", "birth_date-month": "2", "birth_date-day": "30"},
            "field-birth_date--year",
            "出生日期须为真实的日期",
        ),
        (
            {"birth_date-year": "2026", "birth_date-month": "11", "birth_date-day": "23"},
            "field-birth_date--year",
            "出生日期须早于今天",
        ),
        (
            {"birth_date-year": "", "birth_date-month": "", "birth_date-day": ""},
            "field-birth_date--year",
            "请输入出生日期",
        ),
        ({"birth_date-day": ""}, "field-birth_date--day", "出生日期须包含日"),
        ({"birth_date-year": "", "birth_date-day": ""}, "field-birth_date--year", "出生日期须包含年和日"),
        ({"birth_date-year": "90"}, "field-birth_date--year", "出生日期的年份须为4位数字"),
        ({"birth_date-month": "三"}, "field-birth_date--month", "出生日期须为真实的日期"),
        ({"children": "11"}, "field-children", "子女人数须介于 1 和 10 之间"),
        ({"children": "0"}, "field-children", "子女人数须介于 1 和 10 之间"),
        ({"children": "两个"}, "field-children", "子女人数须为整数"),
        ({"children": "1_0"}, "field-children", "子女人数须为整数"),
        ({"children": "2.5"}, "field-children", "子女人数须为整数"),
        ({"postcode": "61000"}, "field-postcode", "邮政编码应为6位数字"),
        ({"consent": None}, "field-consent", "请勾选“本人承诺所填信息真实”"),
        ({"needs_post": "maybe"}, "field-needs_post", "请选择是否需要邮寄结果"),
        ({"services": ["social", "pension"]}, "field-services", "请选择需要一并办理的事项"),
        ({"company-name": ""}, "field-company-name", "请输入单位名称"),
        ({"company-uscc": "91440300192203821"}, "field-company-uscc", "统一社会信用代码应为18位"),
        (
            {"company-uscc": "914403001922038217"},
            "field-company-uscc",
            "统一社会信用代码的校验位不正确，请核对",
        ),
        (
            {"company-uscc": "91440300192203821I"},
            "field-company-uscc",
            "统一社会信用代码只能包含数字和大写英文字母（不含 I、O、S、V、Z）",
        ),
    ],
)
def test_each_problem_has_its_message(changes, field_id, message):
    form = SchemaForm(SCHEMA, UI, data=post(changes))

    assert form.is_valid() is False
    assert form.errors == [(field_id, message)]
    assert not any(word in message for word in BANNED)


def test_number_ranges_with_one_bound_and_decimals():
    schema = {
        "type": "object",
        "properties": {
            "area": {"type": "number", "minimum": 0.5},
            "floors": {"type": "integer", "maximum": 99},
        },
    }
    ui = {"area": {"ui:label": "建筑面积"}, "floors": {"ui:label": "楼层数"}}

    refused = SchemaForm(schema, ui, data={"area": "0.4", "floors": "100"})
    accepted = SchemaForm(schema, ui, data={"area": "120.5", "floors": "-1"})

    assert refused.errors == [
        ("field-area", "建筑面积须大于或等于 0.5"),
        ("field-floors", "楼层数须小于或等于 99"),
    ]
    assert accepted.cleaned_data == {"area": 120.5, "floors": -1}


def test_every_message_of_an_empty_submission_is_an_instruction_in_page_order():
    form = SchemaForm(SCHEMA, UI, data=QueryDict())

    assert form.errors == [
        ("field-name", "请输入姓名"),
        ("field-resident_id", "请输入身份证号码"),
        ("field-phone", "请输入手机号码"),
        ("field-hukou", "请选择户籍所在地"),
        ("field-birth_date--year", "请输入出生日期"),
        ("field-children", "请输入子女人数"),
        ("field-company-name", "请输入单位名称"),
        ("field-consent", "请勾选“本人承诺所填信息真实”"),
    ]
    assert form.cleaned_data == {"company": {}}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("resident_id", "身份证号码应为18位"),
        ("company-uscc", "统一社会信用代码应为18位"),
        ("phone", "手机号码应为11位数字"),
        ("email", "电子邮箱地址须少于或等于254个字"),
        ("postcode", "邮政编码须少于或等于6个字"),
        ("name", "姓名须少于或等于50个字"),
        ("children", "子女人数须为整数"),
    ],
)
def test_T_K3_a_100_kb_answer_gets_the_length_message_without_running_a_regex(monkeypatch, field, message):
    form = SchemaForm(SCHEMA, UI, data={field: "1" * 100_000 + "!"})

    def refuse(*args, **kwargs):
        raise AssertionError("a pattern or validator ran on an over-long answer")

    for name in ("compile", "search", "match", "fullmatch", "sub", "findall", "finditer", "split"):
        monkeypatch.setattr(re, name, refuse)
    for name in ("validate_email", "is_valid_resident_id", "resident_id_check_char", "is_valid_uscc"):
        monkeypatch.setattr(cleaning, name, refuse)

    assert form.is_valid() is False
    assert form[field.replace("-", ".")].error == message


# Rendering


def test_rendered_fields_use_aria_required_never_required_and_the_summary_links_to_each_field():
    form = SchemaForm(SCHEMA, UI, data=post({"name": "", "birth_date-day": "", "hukou": None}))

    html = render_page(form)
    found = tags(html)
    by_id = controls(html)

    assert not any("required" in attrs for _, attrs in found)
    assert {k: by_id[k].get("aria-required") for k in ("field-name", "field-email", "field-hukou--3")} == {
        "field-name": "true",
        "field-email": None,
        "field-hukou--3": "true",
    }
    summary = next(attrs for tag, attrs in found if attrs.get("class") == "error-summary")
    assert summary == {"class": "error-summary", "role": "alert", "tabindex": "-1", "autofocus": None}
    assert '<h2 class="error-summary-title">请修改以下问题</h2>' in html
    links = [attrs["href"] for tag, attrs in found if tag == "a"]
    assert links == ["#field-name", "#field-hukou", "#field-birth_date--day"]
    assert all(link[1:] in by_id for link in links)


def test_an_error_is_shown_next_to_its_field_after_a_hidden_prefix_and_described_by_it():
    form = SchemaForm(SCHEMA, UI, data=post({"resident_id": "1101011990030745"}))

    html = render_page(form)
    field = controls(html)["field-resident_id"]

    assert (
        '<p id="field-resident_id--error" class="error-message"><span class="visually-hidden">错误：</span>'
        "身份证号码应为18位</p>"
    ) in html
    assert field["aria-describedby"] == "field-resident_id--help field-resident_id--error"
    assert field["aria-invalid"] == "true"
    assert '<div id="field-resident_id--help" class="hint">18位，最后一位可能是字母X</div>' in html


def test_answers_are_kept_on_error():
    form = SchemaForm(
        SCHEMA,
        UI,
        data=post({"phone": "1380013800", "birth_date-day": "32", "notes": "下午联系", "name": '张"三<'}),
    )

    html = render_page(form)
    by_id = controls(html)

    assert form.is_valid() is False
    assert by_id["field-name"]["value"] == '张"三<'
    assert 'value="张&quot;三&lt;"' in html
    assert by_id["field-phone"]["value"] == "1380013800"
    assert [by_id[f"field-birth_date--{part}"]["value"] for part in ("year", "month", "day")] == [
        "1949",
        "12",
        "32",
    ]
    assert "checked" in by_id["field-hukou"]
    assert "checked" not in by_id["field-hukou--2"]
    assert ["checked" in by_id[i] for i in ("field-services", "field-services--2", "field-services--3")] == [
        True,
        True,
        False,
    ]
    assert "checked" in by_id["field-needs_post--2"]
    assert "checked" in by_id["field-consent"]
    assert by_id["field-company-uscc"]["value"] == "914403001922038216"
    assert ">\n下午联系</textarea>" in html


def test_only_the_date_parts_at_fault_are_marked():
    form = SchemaForm(SCHEMA, UI, data=post({"birth_date-month": "", "birth_date-day": ""}))

    by_id = controls(render_page(form))

    assert [by_id[f"field-birth_date--{p}"].get("aria-invalid") for p in ("year", "month", "day")] == [
        None,
        "true",
        "true",
    ]
    assert form.errors == [("field-birth_date--month", "出生日期须包含月和日")]


def test_date_is_three_labelled_numeric_inputs_in_a_fieldset():
    html = render_page(SchemaForm(SCHEMA, UI, initial={"birth_date": "1990-03-07"}))
    by_id = controls(html)

    assert '<legend class="form-legend">出生日期</legend>' in html
    assert [
        (by_id[f"field-birth_date--{p}"]["name"], by_id[f"field-birth_date--{p}"]["value"])
        for p in ("year", "month", "day")
    ] == [("birth_date-year", "1990"), ("birth_date-month", "3"), ("birth_date-day", "7")]
    assert by_id["field-birth_date--year"]["inputmode"] == "numeric"
    assert by_id["field-birth_date--year"]["autocomplete"] == "bday-year"
    assert [
        f'<label for="field-birth_date--{p}">{label}</label>' in html
        for p, label in (("year", "年"), ("month", "月"), ("day", "日"))
    ] == [True, True, True]


@pytest.mark.parametrize(
    ("year", "month", "day", "answer"),
    [
        ("2024", "2", "29", "2024-02-29"),
        ("1990", "03", "07", "1990-03-07"),
        ("2026", "11", "22", "2026-11-22"),
    ],
)
def test_date_from_three_fields_is_an_iso_string(year, month, day, answer):
    form = SchemaForm(
        SCHEMA, UI, data=post({"birth_date-year": year, "birth_date-month": month, "birth_date-day": day})
    )

    assert form.is_valid() is True
    assert form.cleaned_data["birth_date"] == answer


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [("2026", "2", "30"), ("2025", "2", "29"), ("2026", "13", "1"), ("2026", "0", "10"), ("0000", "1", "1")],
)
def test_a_date_that_does_not_exist_is_refused(year, month, day):
    form = SchemaForm(
        SCHEMA, UI, data=post({"birth_date-year": year, "birth_date-month": month, "birth_date-day": day})
    )

    assert form.errors == [("field-birth_date--year", "出生日期须为真实的日期")]
    assert "birth_date" not in form.cleaned_data


def test_enum_with_labels_is_rendered_as_radios_and_a_select_when_asked():
    initial = {"hukou": "yunzhou"}
    radios_html = render_page(SchemaForm(SCHEMA, UI, initial=initial))
    select_ui = {**UI, "hukou": {**UI["hukou"], "ui:widget": "select"}}
    select_html = render_page(SchemaForm(SCHEMA, select_ui, initial=initial))

    radios = [
        (attrs["id"], attrs["type"], attrs["value"], "checked" in attrs)
        for tag, attrs in tags(radios_html)
        if attrs.get("name") == "hukou"
    ]
    assert radios == [
        ("field-hukou", "radio", "jinjiang", False),
        ("field-hukou--2", "radio", "yunzhou", True),
        ("field-hukou--3", "radio", "other", False),
    ]
    assert '<legend class="form-legend">户籍所在地</legend>' in radios_html
    assert '<label for="field-hukou--2">云州市其他区县</label>' in radios_html
    assert '<option value="yunzhou" selected>云州市其他区县</option>' in select_html
    assert '<option value="">请选择</option>' in select_html


def test_optional_fields_say_so_after_the_label_and_nothing_has_an_asterisk():
    html = render_page(SchemaForm(SCHEMA, UI))

    assert '<label class="form-label" for="field-email">电子邮箱地址（选填）</label>' in html
    assert '<label class="form-label" for="field-name">姓名</label>' in html
    assert '<legend class="form-legend">是否需要邮寄结果（选填）</legend>' in html
    assert '<label for="field-consent">本人承诺所填信息真实</label>' in html
    assert "*" not in html


def test_nested_object_is_a_fieldset_with_a_legend():
    html = render_page(SchemaForm(SCHEMA, UI))

    assert '<legend class="form-legend form-group-legend">工作单位</legend>' in html
    assert controls(html)["field-company-uscc"]["name"] == "company-uscc"


def test_inputs_carry_their_type_and_autocomplete():
    by_id = controls(render_page(SchemaForm(SCHEMA, UI)))

    assert {k: by_id["field-phone"].get(k) for k in ("type", "autocomplete", "spellcheck")} == {
        "type": "tel",
        "autocomplete": "tel",
        "spellcheck": "false",
    }
    assert by_id["field-email"]["type"] == "email"
    assert (by_id["field-children"]["type"], by_id["field-children"]["inputmode"]) == ("text", "numeric")


# Prefill


def test_prefill_fills_only_fields_whose_source_is_known():
    known = {
        "account.full_name": "张三",
        "account.phone": "13800138000",
        "enterprise.uscc": "914403001922038216",
        "account.email": "zhang@example.com",  # no field asks for it
    }

    initial = prefill(SCHEMA, UI, known)

    assert initial == {"name": "张三", "phone": "13800138000", "company": {"uscc": "914403001922038216"}}
    by_id = controls(render_page(SchemaForm(SCHEMA, UI, initial=initial)))
    assert (by_id["field-name"]["value"], by_id["field-resident_id"]["value"]) == ("张三", "")


def test_a_prefilled_answer_can_be_changed():
    form = SchemaForm(SCHEMA, UI, data=post({"name": "张叁"}))

    assert prefill(SCHEMA, UI, {"account.full_name": "张三"}) == {"name": "张三"}
    assert form.cleaned_data["name"] == "张叁"


# Definitions outside the subset are refused for staff


def test_a_string_without_max_length_is_refused():
    assert refusal(*one_field({"type": "string"})) == [
        "字段“name”须设置 maxLength（最多字数），用于限制输入的长度"
    ]


def test_an_unsupported_type_is_refused_naming_the_field():
    schema = {
        "type": "object",
        "properties": {"photo": {"type": "null"}, "tags": {"type": ["string", "null"]}},
    }
    ui = {"photo": {"ui:label": "照片"}, "tags": {"ui:label": "标签"}}

    assert refusal(schema, ui) == [
        "字段“photo”使用了不支持的类型“null”，可用的类型：string、integer、number、boolean、array、object",
        '字段“tags”使用了不支持的类型“["string", "null"]”，可用的类型：string、integer、number、boolean、array、object',
    ]


@pytest.mark.parametrize(
    ("prop", "ui", "problem"),
    [
        ({"type": "string", "maxLength": 5000}, {}, "字段“name”的 maxLength 须为 1 至 2000 之间的整数"),
        ({"type": "string", "maxLength": 50, "oneOf": []}, {}, "字段“name”使用了不支持的关键字“oneOf”"),
        (
            {"type": "string", "maxLength": 18, "format": "idcard"},
            {},
            "字段“name”使用了不支持的格式“idcard”，可用的格式：date、email、phone、resident_id、uscc、attachment",
        ),
        (
            {"type": "string", "maxLength": 11, "format": "resident_id"},
            {},
            "字段“name”的 maxLength 须至少为 18，才能容纳完整的答案",
        ),
        (
            {"type": "string", "maxLength": 6, "pattern": "^[0-9]{6}$"},
            {},
            "字段“name”使用了 pattern，须在界面定义中用 ui:patternMessage 说明格式，如“邮政编码应为6位数字”",
        ),
        (
            {"type": "string", "maxLength": 50, "pattern": "^(a+)+$"},
            {"ui:patternMessage": "格式不对"},
            "字段“name”的 pattern 含有嵌套的重复或重复的分支（如 (a+)+ 或 (a|ab)*），匹配可能极慢，请改写",
        ),
        (
            {"type": "string", "maxLength": 50, "pattern": "^(a|aa)*$"},
            {"ui:patternMessage": "格式不对"},
            "字段“name”的 pattern 含有嵌套的重复或重复的分支（如 (a+)+ 或 (a|ab)*），匹配可能极慢，请改写",
        ),
        (
            {"type": "string", "maxLength": 50, "pattern": "("},
            {"ui:patternMessage": "格式不对"},
            "字段“name”的 pattern 不是有效的正则表达式",
        ),
        ({"type": "integer"}, {"ui:widget": "textarea"}, "字段“name”的类型不能使用控件“textarea”"),
        (
            {"type": "string", "maxLength": 50},
            {"ui:widget": "slider"},
            ("字段“name”使用了不支持的控件“slider”，可用的控件：textarea、radio、select、checkbox、date3"),
        ),
        (
            {"type": "string", "maxLength": 50},
            {"ui:prefill": "account.name"},
            "字段“name”的预填来源“account.name”不存在，可用的来源："
            "account.full_name、account.phone、account.resident_id、enterprise.address、"
            "enterprise.legal_representative、enterprise.name、enterprise.uscc、person.household_address",
        ),
        ({"type": "string", "maxLength": 50}, {"ui:label": "Name"}, "字段“name”的 ui:label 须为中文"),
        (
            {"type": "string", "maxLength": 50},
            {"ui:color": "red"},
            "字段“name”使用了不支持的界面设置“ui:color”",
        ),
        (
            {"type": "string", "maxLength": 2, "enum": ["a", "b"]},
            {"ui:labels": ["甲"]},
            "字段“name”的 ui:labels 须为与 enum 一一对应的标签列表",
        ),
        (
            {"type": "object", "properties": {"inner": {"type": "object", "properties": {}}}},
            {"inner": {"ui:label": "内层"}},
            "字段“name.inner”是对象中的对象：表单只支持一层嵌套",
        ),
        ({"type": "string", "maxLength": 50, "title": 5}, {}, "字段“name”的 title 不符合 JSON Schema 规范"),
    ],
)
def test_definitions_outside_the_subset_are_refused(prop, ui, problem):
    assert refusal(*one_field(prop, ui)) == [problem]


def test_every_problem_of_a_definition_is_listed():
    schema = {
        "type": "object",
        "required": ["name", "age"],
        "properties": {
            "name": {"type": "string"},
            "Phone-No": {"type": "string", "maxLength": 11},
            "spouse": {"type": "string", "maxLength": 50},
        },
    }
    ui = {
        "ui:order": ["name", "spouse", "address"],
        "name": {"ui:label": "姓名"},
        "spouse": {"ui:label": "姓名"},
        "address": {"ui:label": "地址"},
    }

    assert refusal(schema, ui) == [
        "表单定义的 required 中的“age”不是已定义的字段",
        "界面定义中的“address”不是已定义的字段",
        "界面定义的 ui:order 中的“address”不是已定义的字段",
        "界面定义的 ui:order 缺少字段“Phone-No”",
        "字段“name”须设置 maxLength（最多字数），用于限制输入的长度",
        "字段“name”和“spouse”的标签都是“姓名”，请使用不同的标签",
        "字段名“Phone-No”须以小写英文字母开头，只含小写英文字母、数字和下划线，最多 40 个字符",
    ]


def test_a_refused_definition_is_a_tongban_error_and_no_form_is_built_from_it():
    schema, ui = one_field({"type": "string"})

    with pytest.raises(FormSchemaError) as refused:
        SchemaForm(schema, ui, data={"name": "张三"})

    assert isinstance(refused.value, TongbanError)
    assert (refused.value.status, refused.value.code) == (400, "form_schema_invalid")


# The example: 内地居民结婚登记


def marriage_example() -> tuple[dict, dict]:
    example = json.loads(EXAMPLE.read_text("utf-8"))
    return example["schema"], example["ui_schema"]


MARRIAGE_POST = {
    "applicant-name": "张三",
    "applicant-resident_id": "110101199003074514",
    "applicant-phone": "13800138000",
    "applicant-household_address": "云州市锦江区东风路12号3栋201室",
    "applicant-occupation": "教师",
    "applicant-education": "20",
    "partner-name": "李四",
    "partner-resident_id": "441900198506151235",
    "partner-phone": "13900139000",
    "partner-household_address": "广东省东莞市莞城区运河东一路8号",
    "partner-occupation": "",
    "partner-education": "30",
    "declaration": "yes",
}


def test_marriage_registration_example_is_a_valid_definition_prefilled_from_the_account():
    schema, ui = marriage_example()

    validate_schema(schema, ui)
    initial = prefill(
        schema,
        ui,
        {
            "account.full_name": "张三",
            "account.phone": "13800138000",
            "account.resident_id": "110101199003074514",
        },
    )

    assert initial == {
        "applicant": {"name": "张三", "resident_id": "110101199003074514", "phone": "13800138000"}
    }


def test_marriage_registration_example_accepts_both_parties_answers():
    schema, ui = marriage_example()

    form = SchemaForm(schema, ui, data=post(base=MARRIAGE_POST))

    assert form.is_valid() is True
    assert form.cleaned_data == {
        "applicant": {
            "name": "张三",
            "resident_id": "110101199003074514",
            "phone": "13800138000",
            "household_address": "云州市锦江区东风路12号3栋201室",
            "occupation": "教师",
            "education": "20",
        },
        "partner": {
            "name": "李四",
            "resident_id": "441900198506151235",
            "phone": "13900139000",
            "household_address": "广东省东莞市莞城区运河东一路8号",
            "education": "30",
        },
        "declaration": True,
    }
    jsonschema.validate(form.cleaned_data, schema)


def test_marriage_registration_example_names_each_party_in_its_messages():
    schema, ui = marriage_example()

    form = SchemaForm(
        schema,
        ui,
        data=post({"partner-resident_id": "441900198506151236", "declaration": None}, base=MARRIAGE_POST),
    )
    html = render_page(form)

    assert form.errors == [
        ("field-partner-resident_id", "对方身份证号码的校验位不正确，请核对"),
        ("field-declaration", "请勾选“本人已阅读并作出以上声明”"),
    ]
    assert '<legend class="form-legend form-group-legend">对方信息</legend>' in html
    assert '<label for="field-declaration">本人已阅读并作出以上声明</label>' in html
    assert (
        controls(html)["field-declaration"]["aria-describedby"]
        == "field-declaration--help field-declaration--error"
    )
    assert controls(html)["field-partner-name"]["autocomplete"] == "off"


def test_marriage_answers_page_lists_each_answer_with_a_change_link_and_masks_id_numbers():
    schema, ui = marriage_example()
    saved = SchemaForm(schema, ui, data=post(base=MARRIAGE_POST)).cleaned_data

    html = render_to_string(
        "schemaforms/_answers.html",
        {"form": SchemaForm(schema, ui, initial=saved), "change_url": "/applications/0001/form/"},
    )
    rows = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html)

    assert re.findall(r"<h2>(.*?)</h2>", html) == ["本人信息", "对方信息"]
    assert rows[:6] == [
        ("本人姓名", "张三"),
        ("本人身份证号码", "1101**********4514"),
        ("本人手机号码", "13800138000"),
        ("本人户籍地址", "云州市锦江区东风路12号3栋201室"),
        ("本人职业", "教师"),
        ("本人文化程度", "大学本科"),
    ]
    assert ("对方职业", "未填写") in rows
    assert rows[-1] == ("本人已阅读并作出以上声明", "是")
    assert "110101199003074514" not in html
    assert (
        '<a href="/applications/0001/form/#field-applicant-name">修改<span class="visually-hidden">本人姓名</span></a>'
    ) in html


# Resident ID fields (kept encrypted by the app that stores the answers) and a part of a form (补正).


def test_resident_id_paths_name_every_field_that_holds_an_id_number():
    assert resident_id_paths(*marriage_example()) == ("applicant.resident_id", "partner.resident_id")
    assert resident_id_paths(SCHEMA, UI) == ("resident_id",)
    assert resident_id_paths({}, {}) == ()  # an item without a form


def test_a_part_of_the_form_asks_and_answers_only_the_named_fields():
    schema, ui = marriage_example()
    posted = MARRIAGE_POST | {"partner-name": "王五", "declaration": ""}
    form = SchemaForm(schema, ui, data=posted, only=["applicant"])
    assert [field.path for field in form.fields] == ["applicant"]
    assert form.is_valid()
    assert form.cleaned_data == {
        "applicant": {
            "name": "张三",
            "resident_id": "110101199003074514",
            "phone": "13800138000",
            "household_address": "云州市锦江区东风路12号3栋201室",
            "occupation": "教师",
            "education": "20",
        }
    }
    # Unanswered in the part: its errors alone, not those of the fields left out.
    empty = SchemaForm(schema, ui, data={}, only=["declaration"])
    assert [message for _target, message in empty.errors] == ["请勾选“本人已阅读并作出以上声明”"]
