"""The 公文交换 pages: 待签收, a received copy with 签收 / 退文, the sender's 分发情况 and 撤回."""

import pytest
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.counting import count_one
from tongban.core.models import AuditEvent, AuditResult
from tongban.documents.exchange_selectors import pending_rows
from tongban.documents.models import DeliveryState, DocumentRecipient, IncomingState, ReceivedDocument
from tongban.documents.services import exchange
from tongban.documents.tests.exchange_helpers import sealed_exchange
from tongban.documents.tests.factories import SMALL_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def distributed():
    given = sealed_exchange()
    exchange.distribute_document(document_id=given.document.pk, user_id=given.sender_clerk.id)
    given.copies = [ReceivedDocument.objects.get(source_recipient=r) for r in given.recipients]
    return given


def test_the_clerk_sees_their_departments_pending_copies_and_the_nav_count(client, distributed):
    login_staff(client, distributed.clerks[0])

    page = client.get(reverse("documents:pending"))

    html = page.content.decode()
    assert page.status_code == 200
    assert distributed.document.title in html
    assert reverse("documents:received", args=[distributed.copies[0].pk]) in html
    assert reverse("documents:received", args=[distributed.copies[1].pk]) not in html
    assert '待签收 <span class="wb-count">1件</span>' in html


def test_the_received_page_shows_the_pdf_links_and_the_actions(client, distributed):
    copy = distributed.copies[0]
    login_staff(client, distributed.clerks[0])

    html = client.get(reverse("documents:received", args=[copy.pk])).content.decode()
    download = client.get(reverse("documents:received_pdf", args=[copy.pk]))

    assert f"{reverse('documents:received_pdf', args=[copy.pk])}?inline=1" in html
    assert ">签收</button>" in html
    assert 'id="return-reason"' in html
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == SMALL_PDF


def test_signing_for_by_the_right_clerk(client, distributed):
    copy = distributed.copies[0]
    login_staff(client, distributed.clerks[0])

    response = client.post(reverse("documents:receive", args=[copy.pk]))

    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.state, copy.received_by_id) == (IncomingState.RECEIVED, distributed.clerks[0].id)
    page = client.get(response["Location"]).content.decode()
    assert "已签收" in page
    assert ">签收</button>" not in page


def test_another_departments_clerk_gets_404_and_an_audit_row(client, distributed):
    copy = distributed.copies[0]
    login_staff(client, distributed.clerks[1])

    shown = client.get(reverse("documents:received", args=[copy.pk]))
    signed = client.post(reverse("documents:receive", args=[copy.pk]))

    assert (shown.status_code, signed.status_code) == (404, 404)
    copy.refresh_from_db()
    assert copy.state == IncomingState.PENDING
    refused = AuditEvent.objects.filter(
        actor_id=distributed.clerks[1].id, object_id=str(copy.pk), result=AuditResult.DENIED
    )
    assert list(refused.order_by("id").values_list("event", flat=True)) == [
        "received.view",
        "received.sign_for",
    ]


def test_a_return_without_reason_shows_the_error_and_changes_nothing(client, distributed):
    copy = distributed.copies[1]
    login_staff(client, distributed.clerks[1])

    response = client.post(reverse("documents:return_document", args=[copy.pk]), {"reason": ""})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>错误：" in html
    assert '<li><a href="#return-reason">请输入退文理由</a></li>' in html
    assert 'id="return-reason-error"' in html
    copy.refresh_from_db()
    assert (copy.state, copy.return_reason) == (IncomingState.PENDING, "")
    assert DocumentRecipient.objects.get(pk=distributed.recipients[1].pk).state == DeliveryState.DELIVERED


def test_the_sender_sees_signed_returned_and_delivered(client, distributed):
    exchange.receive_document(received_id=distributed.copies[0].pk, user_id=distributed.clerks[0].id)
    exchange.return_document(
        received_id=distributed.copies[1].pk, user_id=distributed.clerks[1].id, reason="请改送市民政局办公室"
    )
    login_staff(client, distributed.sender_clerk)

    html = client.get(reverse("documents:distribution", args=[distributed.document.pk])).content.decode()

    rows = html.split("<tr>")[2:]
    assert "云州市财政局" in rows[0]
    assert '<span class="tag status-received">已签收</span>' in rows[0]
    assert "clerk_0" in rows[0]
    assert "云州市民政局" in rows[1]
    assert '<span class="tag status-returned">已退文</span>' in rows[1]
    assert "理由：请改送市民政局办公室" in rows[1]
    assert "云州市教育局" in rows[2]
    assert '<span class="tag status-delivered">已送达</span>' in rows[2]
    assert "邻州市人民政府办公室" in rows[3]
    assert "平台外，交换包发送" in rows[3]
    assert "撤回公文" not in html  # somebody signed for it
    assert reverse("documents:package", args=[distributed.document.pk]) in html


def test_the_sender_withdraws_before_any_signing(client, distributed):
    login_staff(client, distributed.sender_clerk)
    page = client.get(reverse("documents:distribution", args=[distributed.document.pk])).content.decode()
    assert "撤回公文" in page

    response = client.post(reverse("documents:withdraw_distribution", args=[distributed.document.pk]))

    assert response.status_code == 302
    assert set(ReceivedDocument.objects.values_list("state", flat=True)) == {IncomingState.WITHDRAWN}
    assert "已撤回" in client.get(response["Location"]).content.decode()


def test_a_withdrawal_after_a_signing_is_refused_with_409(client, distributed):
    exchange.receive_document(received_id=distributed.copies[0].pk, user_id=distributed.clerks[0].id)
    login_staff(client, distributed.sender_clerk)

    response = client.post(reverse("documents:withdraw_distribution", args=[distributed.document.pk]))

    assert response.status_code == 409
    assert "已有收文单位签收，不能撤回。" in response.content.decode()
    assert ReceivedDocument.objects.filter(state=IncomingState.PENDING).count() == 2


def test_a_receiving_clerk_cannot_withdraw_or_export(client, distributed):
    login_staff(client, distributed.clerks[0])

    page = client.get(reverse("documents:distribution", args=[distributed.document.pk]))
    withdrawn = client.post(reverse("documents:withdraw_distribution", args=[distributed.document.pk]))
    exported = client.get(reverse("documents:package", args=[distributed.document.pk]))

    assert page.status_code == 200  # a recipient sees the document (知悉范围) but has no 撤回
    assert "撤回公文" not in page.content.decode()
    assert (withdrawn.status_code, exported.status_code) == (404, 404)
    assert ReceivedDocument.objects.filter(state=IncomingState.PENDING).count() == 3


def test_the_pending_count_is_one_bounded_count(distributed, django_assert_num_queries):
    with django_assert_num_queries(2):  # the clerk's departments, then one COUNT over a LIMIT
        assert count_one(pending_rows(distributed.clerks[0].id, 100)) == 1
