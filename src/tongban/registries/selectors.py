"""Registry reads, as plain values keyed by data-item code.

Only ``tongban.sharing`` calls these (through its providers), so that every read of personal data
goes through the exchange and lands in the usage log (STYLE.md; THREATS T-D2, T-E5).
"""

from __future__ import annotations

import datetime as dt

from tongban.accounts.services import resident_id_digest
from tongban.core.identifiers import is_valid_resident_id
from tongban.registries.models import CreditRecord, LegalPerson, NaturalPerson


def person_key(resident_id: str) -> str | None:
    """The registry key of a resident ID number (its keyed hash), or None when the number is invalid."""
    resident_id = resident_id.strip().upper()
    if not is_valid_resident_id(resident_id):
        return None
    return resident_id_digest(resident_id)


def _credit_rows(subject_kind: str, subject_key: str, *, today: dt.date) -> list[dict[str, str]]:
    rows = CreditRecord.objects.filter(subject_kind=subject_kind, subject_key=subject_key).order_by(
        "-decided_on", "pk"
    )
    return [
        {
            "kind": row.get_kind_display(),
            "title": row.title,
            "authority": row.authority,
            "document_number": row.document_number,
            "decided_on": row.decided_on.isoformat(),
            "valid_until": row.valid_until.isoformat() if row.valid_until else "",
        }
        for row in rows
        if row.valid_until is None or row.valid_until >= today
    ]


def person_record(
    resident_id_hmac: str, *, today: dt.date, with_credit: bool = True
) -> dict[str, object] | None:
    """Every data item the population (and, unless told not to, credit) registries hold about one
    resident, or None."""
    person = NaturalPerson.objects.filter(resident_id_hmac=resident_id_hmac).first()
    if person is None:
        return None
    return {
        "full_name": person.full_name,
        "resident_id_masked": person.resident_id_masked,
        "gender": person.get_gender_display(),
        "birth_date": person.birth_date.isoformat(),
        "ethnicity": person.ethnicity,
        "household_address": person.household_address,
        "marital_status": person.marital_status,
        "credit_records": _credit_rows("person", resident_id_hmac, today=today) if with_credit else [],
    }


def uscc_is_registered(uscc: str) -> bool:
    """True when a legal person with this code is in the registry (a new code must not be one)."""
    return LegalPerson.objects.filter(uscc=uscc).exists()


def legal_person_record(uscc: str, *, today: dt.date, with_credit: bool = True) -> dict[str, object] | None:
    """Every data item the legal-person (and, unless told not to, credit) registries hold about one
    enterprise, or None."""
    legal_person = LegalPerson.objects.filter(uscc=uscc).first()
    if legal_person is None:
        return None
    return {
        "name": legal_person.name,
        "uscc": legal_person.uscc,
        "entity_type": legal_person.entity_type,
        "legal_representative": legal_person.legal_representative,
        "registered_capital": legal_person.registered_capital,
        "established_on": legal_person.established_on.isoformat(),
        "address": legal_person.address,
        "business_scope": legal_person.business_scope,
        "status": legal_person.status,
        "credit_records": _credit_rows("enterprise", uscc, today=today) if with_credit else [],
    }
