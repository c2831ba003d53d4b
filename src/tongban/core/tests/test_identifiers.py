import datetime as dt

import pytest

from tongban.core.identifiers import (
    PROVINCE_CODES,
    is_valid_resident_id,
    is_valid_uscc,
    make_uscc,
    resident_id_check_char,
)


@pytest.mark.parametrize("value", ["110101199003074514", "441900198506151235", "11010519491231002X"])
def test_valid_resident_ids_pass(value):
    assert is_valid_resident_id(value) is True


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("110101199003074515", "wrong check digit"),
        ("11010119900307451", "17 characters"),
        ("110101199002304514", "30 February"),
        ("11010119900307451Y", "letter other than X"),
        ("１１０１０１１９９００３０７４５１４", "full-width digits"),
    ],
)
def test_invalid_resident_ids_fail(value, why):
    assert is_valid_resident_id(value) is False, why


@pytest.mark.parametrize("province", ["00", "10", "19", "20", "30", "47", "55", "60", "70", "80", "90", "99"])
def test_a_resident_id_outside_the_provinces_of_gb_t_2260_fails_with_a_right_check_character(province):
    first17 = f"{province}0101199003074514"[:17]
    value = first17 + resident_id_check_char(first17)
    assert is_valid_resident_id(value) is False
    # The same number in Beijing (11) is accepted: only the province was wrong.
    beijing = "11" + first17[2:]
    assert is_valid_resident_id(beijing + resident_id_check_char(beijing)) is True


@pytest.mark.parametrize("province", sorted(PROVINCE_CODES))
def test_every_province_of_gb_t_2260_passes(province):
    first17 = f"{province}0101199003074514"[:17]
    assert is_valid_resident_id(first17 + resident_id_check_char(first17)) is True


def test_resident_id_born_in_the_future_fails():
    assert is_valid_resident_id("110101203001014514", today=dt.date(2026, 11, 23)) is False


def test_T_K3_very_long_identifier_is_refused_without_pattern_matching():
    # The length check comes first: a 100 KB string is answered False, not fed to a regex.
    long_value = "1" * 100_000 + "!"
    assert is_valid_resident_id(long_value) is False
    assert is_valid_uscc(long_value) is False


def test_known_uscc_passes_and_a_changed_character_fails():
    assert is_valid_uscc("914403001922038216") is True
    assert is_valid_uscc("914403001922038217") is False
    assert is_valid_uscc("91440300192203821I") is False  # I is not in the USCC alphabet


def test_make_uscc_builds_codes_that_validate():
    code = make_uscc(registry="1", kind="1", region_code="990100", organization_body="00000001")
    assert code == "11990100000000019F"
    assert is_valid_uscc(code)
