"""编号: the 文号 of a signed-off document, per issuing body and year, with no gaps and no duplicates
(issue 15); 作废, 预留 and 补号 by an administrator, each audited. Numbers come off ``NumberCounter`` under
``select_for_update`` (PostgreSQL: a row lock; SQLite: the write transaction serialises)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.documents.errors import DocumentError, DocumentPermissionError, DocumentStateError
from tongban.documents.models import (
    DocumentNumber,
    IssuingBody,
    NumberCounter,
    NumberState,
    OfficialDocument,
)
from tongban.documents.numbering_rules import format_document_number
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.organizations.selectors import DEPARTMENT_ADMIN, department_ids_for, is_city_admin

MAX_RESERVED_AT_ONCE = 50
POOL_STATES = (NumberState.RESERVED, NumberState.ABANDONED)


def may_administer_numbers(user_id: int, issuing_body_id: int) -> bool:
    """预留, 作废 and 补号 are for the 部门管理员 of the body's department, or a 全市系统管理员."""
    department_id = IssuingBody.objects.values_list("department_id", flat=True).get(pk=issuing_body_id)
    return is_city_admin(user_id) or department_id in department_ids_for(
        user_id=user_id, role=DEPARTMENT_ADMIN
    )


def _require_administrator(user_id: int, issuing_body_id: int) -> None:
    if not may_administer_numbers(user_id, issuing_body_id):
        raise DocumentPermissionError(_("只有发文机关所在部门的部门管理员或全市系统管理员可以管理文号"))


def number_year(document: OfficialDocument) -> int:
    """The year of a document's 文号: its 成文日期's, else the year it was signed off."""
    if document.issued_on is not None:
        return document.issued_on.year
    assert document.signed_off_at is not None
    return timezone.localdate(document.signed_off_at).year


def _take_sequences(issuing_body_id: int, year: int, count: int) -> list[int]:
    """The next ``count`` sequence numbers of the body's year, taken under the counter's row lock."""
    NumberCounter.objects.get_or_create(issuing_body_id=issuing_body_id, year=year)
    counter = NumberCounter.objects.select_for_update().get(issuing_body_id=issuing_body_id, year=year)
    first = counter.last_sequence + 1
    counter.last_sequence += count
    counter.save(update_fields=["last_sequence"])
    return list(range(first, first + count))


def _locked_signed_off(document_id: int) -> OfficialDocument:
    document = OfficialDocument.objects.select_for_update().select_related("issuing_body").get(pk=document_id)
    if not document.is_signed_off:
        raise DocumentStateError(_("公文签发后才能编号"))
    return document


def assign_number(*, document_id: int, user_id: int) -> str:
    """编号: give the signed-off document the next 文号 of its issuing body and year and register it as
    used. Idempotent: a document that has a number keeps it. The 文书人员 of the body's department does
    it at the 编号 step (an administrator may too).

    Raises DocumentStateError before 签发, DocumentPermissionError for anyone else."""
    with transaction.atomic():
        document = _locked_signed_off(document_id)
        if document.document_number:
            return document.document_number
        body = document.issuing_body
        if body.department_id not in department_ids_for(
            user_id=user_id, role=DOCUMENT_CLERK
        ) and not may_administer_numbers(user_id, body.pk):
            raise DocumentPermissionError(_("只有发文机关的文书人员可以编号"))
        year = number_year(document)
        [sequence] = _take_sequences(body.pk, year, 1)
        number = format_document_number(body.code, year, sequence)
        DocumentNumber.objects.create(
            issuing_body=body,
            year=year,
            sequence=sequence,
            number=number,
            state=NumberState.USED,
            document=document,
            changed_by_id=user_id,
            changed_at=timezone.now(),
        )
        document.document_number = number
        document.save(update_fields=["document_number", "updated_at"])
        audit.record(
            event="document.number_assigned",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=body.department_id,
            reason=number,
        )
    return number


def abandon_number(*, document_id: int, user_id: int, reason: str) -> str:
    """作废: the document gives up its 文号 (it goes back to 编号 for a new one). The number stays in the
    register as 已作废 with the reason and who, and an administrator may give it to another document
    (补号). A sealed document keeps its number: the seal covers it.

    Raises DocumentError without a reason, DocumentStateError for a document without a number or
    already sealed, DocumentPermissionError for anyone but an administrator."""
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("请输入作废理由"), code="reason_required")
    with transaction.atomic():
        document = _locked_signed_off(document_id)
        _require_administrator(user_id, document.issuing_body_id)
        if not document.document_number:
            raise DocumentStateError(_("这份公文还没有文号"))
        if document.sealed_at is not None:
            raise DocumentStateError(_("公文已用印，文号不能作废"))
        record = DocumentNumber.objects.select_for_update().get(document=document)
        record.state = NumberState.ABANDONED
        record.previous_document = document
        record.document = None
        record.reason = reason[:200]
        record.changed_by_id = user_id
        record.changed_at = timezone.now()
        record.save()
        number = document.document_number
        document.document_number = None
        document.save(update_fields=["document_number", "updated_at"])
        audit.record(
            event="document.number_abandoned",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=document.issuing_body.department_id,
            reason=f"{number} {reason}",
        )
    return number


def reserve_numbers(*, issuing_body_id: int, year: int, count: int, user_id: int, reason: str) -> list[str]:
    """预留: take the next ``count`` numbers (1–50) of the body's year off the counter and register them
    as reserved, for 补号 later.

    Raises DocumentError without a reason or with a count out of range, DocumentPermissionError for
    anyone but an administrator."""
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("请输入预留理由"), code="reason_required")
    if not 1 <= count <= MAX_RESERVED_AT_ONCE:
        raise DocumentError(
            _("预留数量应为1到%(most)s之间的整数") % {"most": MAX_RESERVED_AT_ONCE}, code="count"
        )
    if not 2000 <= year <= 9999:
        raise DocumentError(_("年份应为四位数字"), code="year")
    _require_administrator(user_id, issuing_body_id)
    body = IssuingBody.objects.get(pk=issuing_body_id)
    now = timezone.now()
    with transaction.atomic():
        numbers = [
            DocumentNumber(
                issuing_body=body,
                year=year,
                sequence=sequence,
                number=format_document_number(body.code, year, sequence),
                state=NumberState.RESERVED,
                reason=reason[:200],
                changed_by_id=user_id,
                changed_at=now,
            )
            for sequence in _take_sequences(body.pk, year, count)
        ]
        DocumentNumber.objects.bulk_create(numbers)
        audit.record(
            event="document.numbers_reserved",
            actor_id=user_id,
            object_type="issuing_body",
            object_id=body.pk,
            department_id=body.department_id,
            reason=f"{numbers[0].number}–{numbers[-1].sequence} {reason}",
        )
    return [n.number for n in numbers]


def assign_specific_number(*, document_id: int, number_id: int, user_id: int) -> str:
    """补号: give a signed-off document without a number a reserved or abandoned 文号 of its own issuing
    body (any year: that is what 补号 is for).

    Raises DocumentStateError before 签发, for a document that has a number, or for a number that is in
    use or of another body; DocumentPermissionError for anyone but an administrator."""
    with transaction.atomic():
        document = _locked_signed_off(document_id)
        _require_administrator(user_id, document.issuing_body_id)
        if document.document_number:
            raise DocumentStateError(_("这份公文已有文号；如需补号，请先作废原文号"))
        record = DocumentNumber.objects.select_for_update().filter(pk=number_id).first()
        if record is None or record.issuing_body_id != document.issuing_body_id:
            raise DocumentStateError(_("所选文号不属于这份公文的发文机关"))
        if record.state not in POOL_STATES:
            raise DocumentStateError(_("所选文号已被使用，只能选择预留或已作废的文号"))
        record.state = NumberState.BACKFILLED
        record.document = document
        record.changed_by_id = user_id
        record.changed_at = timezone.now()
        record.save()
        document.document_number = record.number
        document.save(update_fields=["document_number", "updated_at"])
        audit.record(
            event="document.number_backfilled",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=document.issuing_body.department_id,
            reason=record.number,
        )
    return record.number


def current_year() -> int:
    return timezone.localdate().year
