"""编号 (文号): per issuing body and year, no gaps and no duplicates; 作废, 预留 and 补号 by an administrator,
audited (issue 15, STANDARDS §11)."""

import pytest
from conftest import make_staff

from tongban.core.models import AuditEvent
from tongban.documents.errors import DocumentError, DocumentPermissionError, DocumentStateError
from tongban.documents.models import DocumentNumber, NumberState, OfficialDocument
from tongban.documents.numbering_rules import (
    DocumentNumberParts,
    format_document_number,
    parse_document_number,
)
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.services.numbering import (
    abandon_number,
    assign_number,
    assign_specific_number,
    reserve_numbers,
)
from tongban.documents.tests.factories import IssuingBodyFactory, OfficialDocumentFactory
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_a_document_number_is_the_code_the_year_in_hexagonal_brackets_and_the_sequence():
    assert format_document_number("云州府办", 2026, 12) == "云州府办〔2026〕12号"
    assert parse_document_number("云州府办〔2026〕12号") == DocumentNumberParts("云州府办", 2026, 12)


@pytest.mark.parametrize(
    "text",
    [
        "云州府办〔2026〕012号",
        "云州府办〔2026〕第12号",
        "云州府办[2026]12号",
        "云州府办（2026）12号",
        "YZ〔2026〕1号",
    ],
)
def test_a_number_with_leading_zeros_第_or_other_brackets_is_not_a_document_number(text):
    assert parse_document_number(text) is None


@pytest.mark.parametrize(
    ("code", "year", "sequence"), [("YZ", 2026, 1), ("云州府办", 26, 1), ("云州府办", 2026, 0)]
)
def test_format_refuses_a_latin_code_a_short_year_and_sequence_zero(code, year, sequence):
    with pytest.raises(ValueError, match=r"机关代字|年份|序号"):
        format_document_number(code, year, sequence)


@pytest.fixture
def body():
    return IssuingBodyFactory()


@pytest.fixture
def clerk(body):
    return make_staff("doc_clerk", body.department, DOCUMENT_CLERK)


@pytest.fixture
def admin(body):
    return make_staff("doc_admin", body.department, "department_admin")


def test_signed_off_documents_get_consecutive_numbers_of_their_body_and_year(body, clerk):
    documents = [OfficialDocumentFactory(signed_off=True, issuing_body=body) for _ in range(3)]

    numbers = [assign_number(document_id=d.pk, user_id=clerk.id) for d in documents]

    assert numbers == ["云州府办〔2026〕1号", "云州府办〔2026〕2号", "云州府办〔2026〕3号"]
    assert [OfficialDocument.objects.get(pk=d.pk).document_number for d in documents] == numbers
    assert list(DocumentNumber.objects.values_list("number", "state", "document_id")) == [
        (n, "used", d.pk) for n, d in zip(numbers, documents, strict=True)
    ]
    assert AuditEvent.objects.filter(event="document.number_assigned", actor_id=clerk.id).count() == 3


def test_numbering_twice_keeps_the_number(body, clerk):
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)

    first = assign_number(document_id=document.pk, user_id=clerk.id)
    second = assign_number(document_id=document.pk, user_id=clerk.id)

    assert first == second == "云州府办〔2026〕1号"
    assert DocumentNumber.objects.count() == 1


def test_each_body_and_each_year_counts_from_one(body, clerk):
    other_body = IssuingBodyFactory(code="云州发改", department=body.department)
    last_year = OfficialDocumentFactory(signed_off=True, issuing_body=body, issued_on="2025-12-30")
    this_year = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    other = OfficialDocumentFactory(signed_off=True, issuing_body=other_body)

    assert assign_number(document_id=last_year.pk, user_id=clerk.id) == "云州府办〔2025〕1号"
    assert assign_number(document_id=this_year.pk, user_id=clerk.id) == "云州府办〔2026〕1号"
    assert assign_number(document_id=other.pk, user_id=clerk.id) == "云州发改〔2026〕1号"


def test_a_document_is_not_numbered_before_it_is_signed_off(body, clerk):
    document = OfficialDocumentFactory(issuing_body=body)

    with pytest.raises(DocumentStateError) as refused:
        assign_number(document_id=document.pk, user_id=clerk.id)

    assert refused.value.status == 409
    assert OfficialDocument.objects.get(pk=document.pk).document_number is None
    assert not DocumentNumber.objects.exists()


def test_a_clerk_of_another_department_may_not_number(body):
    stranger = make_staff("other_clerk", DepartmentFactory(), DOCUMENT_CLERK)
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)

    with pytest.raises(DocumentPermissionError):
        assign_number(document_id=document.pk, user_id=stranger.id)

    assert not DocumentNumber.objects.exists()


def test_an_abandoned_number_stays_in_the_register_and_the_next_document_gets_the_next_number(
    body, clerk, admin
):
    first, second = (OfficialDocumentFactory(signed_off=True, issuing_body=body) for _ in range(2))
    assign_number(document_id=first.pk, user_id=clerk.id)

    abandoned = abandon_number(document_id=first.pk, user_id=admin.id, reason="标题有误，重新编号")

    assert abandoned == "云州府办〔2026〕1号"
    assert OfficialDocument.objects.get(pk=first.pk).document_number is None
    record = DocumentNumber.objects.get(number=abandoned)
    assert (
        record.state,
        record.document_id,
        record.previous_document_id,
        record.reason,
        record.changed_by_id,
    ) == (
        "abandoned",
        None,
        first.pk,
        "标题有误，重新编号",
        admin.id,
    )
    assert assign_number(document_id=second.pk, user_id=clerk.id) == "云州府办〔2026〕2号"
    assert AuditEvent.objects.filter(event="document.number_abandoned", actor_id=admin.id).exists()


def test_abandoning_needs_a_reason_and_an_administrator(body, clerk, admin):
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    assign_number(document_id=document.pk, user_id=clerk.id)

    with pytest.raises(DocumentError):
        abandon_number(document_id=document.pk, user_id=admin.id, reason="  ")
    with pytest.raises(DocumentPermissionError):
        abandon_number(document_id=document.pk, user_id=clerk.id, reason="重新编号")

    assert OfficialDocument.objects.get(pk=document.pk).document_number == "云州府办〔2026〕1号"
    assert DocumentNumber.objects.get().state == "used"


def test_a_sealed_document_keeps_its_number(body, clerk, admin):
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    assign_number(document_id=document.pk, user_id=clerk.id)
    OfficialDocument.objects.filter(pk=document.pk).update(sealed_at="2026-12-07T10:00:00+08:00")

    with pytest.raises(DocumentStateError):
        abandon_number(document_id=document.pk, user_id=admin.id, reason="重新编号")

    assert DocumentNumber.objects.get().state == "used"


def test_reserved_numbers_come_off_the_counter_and_numbering_continues_after_them(body, clerk, admin):
    reserved = reserve_numbers(
        issuing_body_id=body.pk, year=2026, count=2, user_id=admin.id, reason="留给年度工作要点"
    )
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)

    assert reserved == ["云州府办〔2026〕1号", "云州府办〔2026〕2号"]
    assert assign_number(document_id=document.pk, user_id=clerk.id) == "云州府办〔2026〕3号"
    assert (
        list(DocumentNumber.objects.filter(state="reserved").values_list("reason", "changed_by_id"))
        == [("留给年度工作要点", admin.id)] * 2
    )
    assert AuditEvent.objects.filter(event="document.numbers_reserved", actor_id=admin.id).exists()


def test_only_an_administrator_reserves_with_a_reason_and_a_sensible_count(body, clerk, admin):
    with pytest.raises(DocumentPermissionError):
        reserve_numbers(issuing_body_id=body.pk, year=2026, count=1, user_id=clerk.id, reason="预留")
    with pytest.raises(DocumentError):
        reserve_numbers(issuing_body_id=body.pk, year=2026, count=1, user_id=admin.id, reason="")
    with pytest.raises(DocumentError):
        reserve_numbers(issuing_body_id=body.pk, year=2026, count=51, user_id=admin.id, reason="预留")

    assert not DocumentNumber.objects.exists()


def test_a_city_administrator_reserves_for_any_body(body):
    city_admin = make_staff("city_admin", DepartmentFactory(), "city_admin")

    assert reserve_numbers(
        issuing_body_id=body.pk, year=2026, count=1, user_id=city_admin.id, reason="预留"
    ) == ["云州府办〔2026〕1号"]


def test_backfilling_gives_a_reserved_or_abandoned_number_to_a_document(body, clerk, admin):
    [reserved] = reserve_numbers(issuing_body_id=body.pk, year=2026, count=1, user_id=admin.id, reason="预留")
    numbered = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    assign_number(document_id=numbered.pk, user_id=clerk.id)
    abandon_number(document_id=numbered.pk, user_id=admin.id, reason="重新编号")
    late, later = (OfficialDocumentFactory(signed_off=True, issuing_body=body) for _ in range(2))

    backfilled = assign_specific_number(
        document_id=late.pk, number_id=DocumentNumber.objects.get(number=reserved).pk, user_id=admin.id
    )
    reused = assign_specific_number(
        document_id=later.pk,
        number_id=DocumentNumber.objects.get(number="云州府办〔2026〕2号").pk,
        user_id=admin.id,
    )

    assert (backfilled, reused) == ("云州府办〔2026〕1号", "云州府办〔2026〕2号")
    assert OfficialDocument.objects.get(pk=late.pk).document_number == backfilled
    assert list(DocumentNumber.objects.values_list("number", "state", "document_id")) == [
        (backfilled, NumberState.BACKFILLED, late.pk),
        (reused, NumberState.BACKFILLED, later.pk),
    ]
    assert AuditEvent.objects.filter(event="document.number_backfilled", actor_id=admin.id).count() == 2


def test_a_used_number_or_another_bodys_number_is_not_backfilled(body, clerk, admin):
    used_by = OfficialDocumentFactory(signed_off=True, issuing_body=body)
    assign_number(document_id=used_by.pk, user_id=clerk.id)
    other_body = IssuingBodyFactory(code="云州发改", department=body.department)
    [foreign] = reserve_numbers(
        issuing_body_id=other_body.pk, year=2026, count=1, user_id=admin.id, reason="预留"
    )
    document = OfficialDocumentFactory(signed_off=True, issuing_body=body)

    for number in (DocumentNumber.objects.get(document=used_by), DocumentNumber.objects.get(number=foreign)):
        with pytest.raises(DocumentStateError):
            assign_specific_number(document_id=document.pk, number_id=number.pk, user_id=admin.id)

    assert OfficialDocument.objects.get(pk=document.pk).document_number is None
    with pytest.raises(DocumentPermissionError):
        assign_specific_number(
            document_id=document.pk, number_id=DocumentNumber.objects.get(number=foreign).pk, user_id=clerk.id
        )
