"""Base registries: written through services, read by key; no ID number stored in clear."""

import datetime as dt

import pytest
from django.db import connection

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.registries import selectors, services
from tongban.registries.errors import RegistryError
from tongban.registries.types import CreditRecordData, PersonData

PERSON = PersonData(CITIZEN_A_ID, "张三", "male", dt.date(1990, 3, 7), "汉族", "云州市锦江区滨江路1号")


def test_person_is_found_by_keyed_hash_and_the_number_is_in_no_column(db):
    services.upsert_person(PERSON)
    services.upsert_person(PERSON)  # idempotent
    record = selectors.person_record(selectors.person_key(CITIZEN_A_ID), today=dt.date(2026, 11, 23))
    assert record["full_name"] == "张三"
    assert record["resident_id_masked"] == "1101**********4514"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registries_naturalperson")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert all(CITIZEN_A_ID not in str(value) for value in rows[0])


def test_invalid_id_number_is_refused(db):
    with pytest.raises(RegistryError):
        services.upsert_person(
            PersonData("110101199003074515", "张三", "male", dt.date(1990, 3, 7), "汉族", "x")
        )
    assert selectors.person_key("110101199003074515") is None


def test_expired_credit_records_are_not_returned(db):
    services.upsert_person(PERSON)
    services.ensure_credit_record(
        resident_id=CITIZEN_A_ID,
        data=CreditRecordData(
            "black",
            "失信被执行人",
            "云州市锦江区人民法院",
            dt.date(2024, 1, 1),
            "（2024）1号",
            dt.date(2025, 12, 31),
        ),
    )
    services.ensure_credit_record(
        resident_id=CITIZEN_A_ID,
        data=CreditRecordData("red", "见义勇为", "云州市人民政府", dt.date(2026, 5, 1), "云府〔2026〕9号"),
    )
    record = selectors.person_record(selectors.person_key(CITIZEN_A_ID), today=dt.date(2026, 11, 23))
    assert [row["title"] for row in record["credit_records"]] == ["见义勇为"]
