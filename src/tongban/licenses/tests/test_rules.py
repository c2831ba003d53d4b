import datetime as dt

from tongban.licenses.rules import canonical_json, face_value, license_status, mask_name, valid_until


def test_validity_ends_the_day_before_the_anniversary_and_long_term_has_no_end():
    assert valid_until(valid_from=dt.date(2026, 11, 23), years=5) == dt.date(2031, 11, 22)
    assert valid_until(valid_from=dt.date(2028, 2, 29), years=1) == dt.date(2029, 2, 27)
    assert valid_until(valid_from=dt.date(2026, 11, 23), years=0) is None


def test_status_revoked_wins_and_the_last_day_is_still_valid():
    last = dt.date(2031, 11, 22)
    assert license_status(revoked=False, valid_until=last, today=last) == "valid"
    assert license_status(revoked=False, valid_until=last, today=last + dt.timedelta(days=1)) == "expired"
    assert license_status(revoked=True, valid_until=None, today=last) == "revoked"


def test_face_values_come_from_nested_answers_the_account_constants_or_the_date():
    answers = {"applicant": {"name": "张三"}, "partner": {"name": "李四"}, "reason": " 餐饮 "}
    kwargs = {"answers": answers, "applicant": {"full_name": "王五"}, "issue_date": dt.date(2026, 11, 23)}

    assert face_value("form.partner.name", **kwargs) == "李四"
    assert face_value("form.reason", **kwargs) == "餐饮"
    assert face_value("form.applicant", **kwargs) == ""
    assert face_value("form.missing.name", **kwargs) == ""
    assert face_value("applicant.full_name", **kwargs) == "王五"
    assert face_value("const:个体工商户", **kwargs) == "个体工商户"
    assert face_value("issue_date", **kwargs) == "2026年11月23日"


def test_the_canonical_form_is_one_byte_string_for_one_content():
    assert (
        canonical_json({"b": 1, "a": "证"})
        == canonical_json({"a": "证", "b": 1})
        == '{"a":"证","b":1}'.encode()
    )


def test_public_pages_mask_a_person_name():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
