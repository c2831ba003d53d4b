"""The base registries as data providers: population (人口), legal persons (法人), credit (信用)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from tongban.registries import selectors
from tongban.sharing import providers

CREDIT = "credit_records"


@providers.register(
    "registries.person",
    subject_kind="person",
    prefill={"full_name": "account.full_name", "household_address": "person.household_address"},
)
def person(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    record = selectors.person_record(subject_key, today=today, with_credit=False)
    return None if record is None else {k: v for k, v in record.items() if k != CREDIT}


@providers.register(
    "registries.legal_person",
    subject_kind="enterprise",
    prefill={
        "name": "enterprise.name",
        "uscc": "enterprise.uscc",
        "legal_representative": "enterprise.legal_representative",
        "address": "enterprise.address",
    },
)
def legal_person(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    record = selectors.legal_person_record(subject_key, today=today, with_credit=False)
    return None if record is None else {k: v for k, v in record.items() if k != CREDIT}


@providers.register("registries.person_credit", subject_kind="person")
def person_credit(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    record = selectors.person_record(subject_key, today=today)
    return None if record is None else {"full_name": record["full_name"], CREDIT: record[CREDIT]}


@providers.register("registries.legal_person_credit", subject_kind="enterprise")
def legal_person_credit(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    record = selectors.legal_person_record(subject_key, today=today)
    return None if record is None else {"name": record["name"], CREDIT: record[CREDIT]}
