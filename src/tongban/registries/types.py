import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonData:
    """What the demo loader or an import gives the registry about one resident."""

    resident_id: str
    full_name: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    household_address: str
    marital_status: str = ""


@dataclass(frozen=True)
class LegalPersonData:
    uscc: str
    name: str
    entity_type: str
    legal_representative: str
    registered_capital: str
    established_on: dt.date
    address: str
    business_scope: str
    status: str = "存续"


@dataclass(frozen=True)
class CreditRecordData:
    kind: str  # red, black, penalty
    title: str
    authority: str
    decided_on: dt.date
    document_number: str = ""
    valid_until: dt.date | None = None
