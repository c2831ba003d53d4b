"""分发, 签收, 退文 and 撤回 through the exchange service (documents.services.exchange)."""

import hashlib

import pytest

from tongban.core.models import AuditEvent
from tongban.documents.errors import DocumentError, DocumentNotFound, DocumentStateError
from tongban.documents.models import DeliveryState, DocumentRecipient, IncomingState, ReceivedDocument
from tongban.documents.services import exchange
from tongban.documents.tests.exchange_helpers import sealed_exchange
from tongban.documents.tests.factories import SMALL_PDF, OfficialDocumentFactory
from tongban.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=False)


def _distribute(given, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        exchange.distribute_document(document_id=given.document.pk, user_id=given.sender_clerk.id)


def test_distribution_makes_one_pending_copy_per_platform_recipient(django_capture_on_commit_callbacks):
    given = sealed_exchange()

    _distribute(given, django_capture_on_commit_callbacks)

    copies = ReceivedDocument.objects.order_by("source_recipient__position")
    assert [c.department_id for c in copies] == [r.department_id for r in given.recipients]
    first = copies[0]
    assert first.state == IncomingState.PENDING
    assert first.sender_name == "云州市人民政府办公室"
    assert first.document_number == given.document.document_number
    assert first.title == given.document.title
    assert first.page_count == 1
    assert first.pdf_sha256 == hashlib.sha256(SMALL_PDF).hexdigest()
    with first.pdf.open("rb") as pdf:
        assert pdf.read() == SMALL_PDF
    assert first.pdf.name != copies[1].pdf.name  # each copy its own file
    states = dict(DocumentRecipient.objects.values_list("name", "state"))
    assert states == {
        "云州市财政局": DeliveryState.DELIVERED,
        "云州市民政局": DeliveryState.DELIVERED,
        "云州市教育局": DeliveryState.DELIVERED,
        "邻州市人民政府办公室": DeliveryState.PENDING,  # outside the platform: the package
    }
    told = Notification.objects.filter(recipient_id__in=[c.id for c in given.clerks])
    assert sorted(n.recipient_id for n in told) == sorted(c.id for c in given.clerks)
    assert told.first().title == f"待签收公文：{given.document.title}"
    assert (
        AuditEvent.objects.filter(event="document.distribute", object_id=str(given.document.pk)).count() == 1
    )


def test_a_retried_distribution_creates_nothing_twice(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)

    _distribute(given, django_capture_on_commit_callbacks)

    assert ReceivedDocument.objects.count() == 3
    assert Notification.objects.count() == 3


def test_an_unsealed_document_is_not_distributed():
    given = sealed_exchange()
    document = OfficialDocumentFactory(issuing_body=given.document.issuing_body)

    with pytest.raises(DocumentStateError) as refused:
        exchange.distribute_document(document_id=document.pk, user_id=given.sender_clerk.id)

    assert refused.value.status == 409
    assert ReceivedDocument.objects.count() == 0


def test_only_the_issuing_bodys_clerk_distributes():
    given = sealed_exchange()

    with pytest.raises(DocumentNotFound):
        exchange.distribute_document(document_id=given.document.pk, user_id=given.clerks[0].id)

    assert ReceivedDocument.objects.count() == 0


def test_signing_for_records_time_and_person_on_both_rows(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    copy = ReceivedDocument.objects.get(department=given.recipients[0].department)

    exchange.receive_document(received_id=copy.pk, user_id=given.clerks[0].id)

    copy.refresh_from_db()
    recipient = DocumentRecipient.objects.get(pk=given.recipients[0].pk)
    assert (copy.state, copy.received_by_id) == (IncomingState.RECEIVED, given.clerks[0].id)
    assert (recipient.state, recipient.received_by_id) == (DeliveryState.RECEIVED, given.clerks[0].id)
    assert recipient.received_at == copy.received_at is not None
    with pytest.raises(DocumentStateError):
        exchange.receive_document(received_id=copy.pk, user_id=given.clerks[0].id)


def test_another_departments_clerk_cannot_sign_for_a_copy(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    copy = ReceivedDocument.objects.get(department=given.recipients[0].department)

    with pytest.raises(DocumentNotFound):
        exchange.receive_document(received_id=copy.pk, user_id=given.clerks[1].id)

    copy.refresh_from_db()
    assert copy.state == IncomingState.PENDING


def test_a_return_without_reason_is_refused_and_changes_nothing(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    copy = ReceivedDocument.objects.get(department=given.recipients[1].department)

    with pytest.raises(DocumentError) as refused:
        exchange.return_document(received_id=copy.pk, user_id=given.clerks[1].id, reason="  ")

    assert refused.value.message == "请输入退文理由"
    copy.refresh_from_db()
    assert (copy.state, copy.return_reason) == (IncomingState.PENDING, "")
    assert DocumentRecipient.objects.get(pk=given.recipients[1].pk).state == DeliveryState.DELIVERED


def test_a_return_records_the_reason_and_tells_the_sender(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    copy = ReceivedDocument.objects.get(department=given.recipients[1].department)

    with django_capture_on_commit_callbacks(execute=True):
        exchange.return_document(received_id=copy.pk, user_id=given.clerks[1].id, reason="不属于本部门职责")

    copy.refresh_from_db()
    recipient = DocumentRecipient.objects.get(pk=given.recipients[1].pk)
    assert (copy.state, copy.return_reason) == (IncomingState.RETURNED, "不属于本部门职责")
    assert (recipient.state, recipient.return_reason) == (DeliveryState.RETURNED, "不属于本部门职责")
    told = Notification.objects.get(recipient_id=given.sender_clerk.id)
    assert told.title == f"公文被退文：{given.document.title}"
    assert "理由：不属于本部门职责" in told.body


def test_withdrawal_before_any_signing_withdraws_every_pending_copy(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    returned = ReceivedDocument.objects.get(department=given.recipients[2].department)
    exchange.return_document(received_id=returned.pk, user_id=given.clerks[2].id, reason="发错单位")

    exchange.withdraw_document(document_id=given.document.pk, user_id=given.sender_clerk.id)

    states = dict(ReceivedDocument.objects.values_list("department_id", "state"))
    assert states == {
        given.recipients[0].department_id: IncomingState.WITHDRAWN,
        given.recipients[1].department_id: IncomingState.WITHDRAWN,
        given.recipients[2].department_id: IncomingState.RETURNED,
    }
    assert list(
        DocumentRecipient.objects.exclude(department=None)
        .order_by("position")
        .values_list("state", flat=True)
    ) == [
        DeliveryState.WITHDRAWN,
        DeliveryState.WITHDRAWN,
        DeliveryState.RETURNED,
    ]


def test_withdrawal_after_a_signing_is_refused(django_capture_on_commit_callbacks):
    given = sealed_exchange()
    _distribute(given, django_capture_on_commit_callbacks)
    copy = ReceivedDocument.objects.get(department=given.recipients[0].department)
    exchange.receive_document(received_id=copy.pk, user_id=given.clerks[0].id)

    with pytest.raises(DocumentStateError) as refused:
        exchange.withdraw_document(document_id=given.document.pk, user_id=given.sender_clerk.id)

    assert refused.value.status == 409
    assert refused.value.message == "已有收文单位签收，不能撤回。"
    assert ReceivedDocument.objects.filter(state=IncomingState.PENDING).count() == 2
