"""Registry writes: the demo city and imports from the departments that own each registry."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.accounts.rules import mask_resident_id
from tongban.accounts.services import resident_id_digest
from tongban.core.identifiers import is_valid_resident_id, is_valid_uscc
from tongban.registries.errors import RegistryError
from tongban.registries.models import CreditRecord, LegalPerson, NaturalPerson, SubjectKind
from tongban.registries.types import CreditRecordData, LegalPersonData, PersonData


def _person_key(resident_id: str) -> str:
    resident_id = resident_id.strip().upper()
    if not is_valid_resident_id(resident_id):
        raise RegistryError(_("身份证号码应为18位且校验位正确"))
    return resident_id_digest(resident_id)


@transaction.atomic
def upsert_person(data: PersonData) -> int:
    """Create or update a resident; only the keyed hash and the masked number are kept (T-M7)."""
    person, _created = NaturalPerson.objects.update_or_create(
        resident_id_hmac=_person_key(data.resident_id),
        defaults={
            "resident_id_masked": mask_resident_id(data.resident_id.strip().upper()),
            "full_name": data.full_name,
            "gender": data.gender,
            "birth_date": data.birth_date,
            "ethnicity": data.ethnicity,
            "household_address": data.household_address,
            "marital_status": data.marital_status,
        },
    )
    return person.pk


@transaction.atomic
def upsert_legal_person(data: LegalPersonData) -> int:
    if not is_valid_uscc(data.uscc):
        raise RegistryError(_("统一社会信用代码应为18位且校验位正确"))
    legal_person, _created = LegalPerson.objects.update_or_create(
        uscc=data.uscc,
        defaults={
            "name": data.name,
            "entity_type": data.entity_type,
            "legal_representative": data.legal_representative,
            "registered_capital": data.registered_capital,
            "established_on": data.established_on,
            "address": data.address,
            "business_scope": data.business_scope,
            "status": data.status,
        },
    )
    return legal_person.pk


@transaction.atomic
def ensure_credit_record(*, resident_id: str = "", uscc: str = "", data: CreditRecordData) -> int:
    """Record a credit entry for a person (by resident ID) or a legal person (by USCC); idempotent on
    subject, kind and document number so the demo loader can run again."""
    if bool(resident_id) == bool(uscc):
        raise RegistryError(_("请只填写身份证号码或统一社会信用代码中的一项"))
    if uscc and not is_valid_uscc(uscc):
        raise RegistryError(_("统一社会信用代码应为18位且校验位正确"))
    subject_kind = SubjectKind.PERSON if resident_id else SubjectKind.ENTERPRISE
    subject_key = _person_key(resident_id) if resident_id else uscc
    record, _created = CreditRecord.objects.get_or_create(
        subject_kind=subject_kind,
        subject_key=subject_key,
        kind=data.kind,
        document_number=data.document_number,
        defaults={
            "title": data.title,
            "authority": data.authority,
            "decided_on": data.decided_on,
            "valid_until": data.valid_until,
        },
    )
    return record.pk
