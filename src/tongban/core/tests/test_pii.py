from tongban.core.identifiers import make_uscc
from tongban.core.pii import (
    BANK_CARD,
    LANDLINE,
    MOBILE,
    NAME,
    RESIDENT_ID,
    USCC,
    apply_masks,
    find_personal_data,
    find_terms,
    mask_personal_data,
)

VALID_ID = "110101199003074514"
CARD = "6222020200112233446"  # Luhn-valid, 19 digits


def _kinds(text):
    return [(f.kind, f.value) for f in find_personal_data(text)]


def test_a_valid_resident_id_is_found_and_a_wrong_check_character_is_not():
    assert _kinds(f"申请人身份证号{VALID_ID}。") == [(RESIDENT_ID, VALID_ID)]
    assert _kinds("申请人身份证号110101199003074515。") == []


def test_a_mobile_number_is_found_but_not_inside_a_longer_number():
    assert _kinds("联系电话13812345678，") == [(MOBILE, "13812345678")]
    assert _kinds("编号2013812345678900") == []


def test_a_luhn_valid_card_number_is_a_bank_card_and_not_a_mobile():
    assert _kinds(f"卡号{CARD}") == [(BANK_CARD, CARD)]
    assert _kinds("卡号6222020200112233442") == []


def test_a_valid_uscc_and_a_landline_are_found():
    code = make_uscc(registry="9", kind="1", region_code="990100", organization_body="MA1234AB")
    assert _kinds(f"信用代码{code}，电话0999-83170000") == [(USCC, code), (LANDLINE, "0999-83170000")]


def test_masking_keeps_the_ends_only():
    text = f"张三，身份证{VALID_ID}，手机13812345678"
    assert mask_personal_data(text) == "张三，身份证1101**********4514，手机138****5678"


def test_terms_given_by_a_handler_are_replaced_with_the_redaction_mark():
    text = "经办人张三丰与张三面谈"
    findings = find_terms(text, ["张三", "张三丰"])
    assert [(f.kind, f.value) for f in findings] == [(NAME, "张三丰"), (NAME, "张三")]
    assert apply_masks(text, findings, replacement="[已删除]") == "经办人[已删除]与[已删除]面谈"
