"""一键公开: a distributed 公文 becomes a disclosure item, prefilled, with the sealed PDF, in review."""

import pytest
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.disclosure import services
from tongban.disclosure.errors import DisclosureStateError
from tongban.disclosure.models import DisclosureItem
from tongban.documents.models import OfficialDocument
from tongban.documents.services import exchange
from tongban.documents.tests.exchange_helpers import sealed_exchange
from tongban.organizations.services import assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def given():
    given = sealed_exchange()
    department_id = given.document.issuing_body.department_id
    assign_role(user_id=given.sender_clerk.id, department_id=department_id, role="disclosure_editor")
    return given


def _distribute(given) -> None:
    """分发, and the status the 发文 process gives the document when its last step completes."""
    exchange.distribute_document(document_id=given.document.pk, user_id=given.sender_clerk.id)
    OfficialDocument.objects.filter(pk=given.document.pk).update(status="distributed")


def test_a_distributed_document_is_disclosed_with_one_action_and_sent_to_review(given):
    document = given.document
    _distribute(given)
    department_id = document.issuing_body.department_id
    item_id = services.disclose_document(
        user_id=given.sender_clerk.id, document_id=document.pk, department_id=department_id
    )
    document.refresh_from_db()
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.title, item.document_number, item.written_on) == (
        document.title,
        document.document_number,
        document.issued_on,
    )
    assert (item.category, item.policy_kind, item.source_document_id) == (
        "policy",
        "other_policy",
        document.pk,
    )
    assert item.status == "in_review"
    assert [a.mime_type for a in item.attachments.all()] == ["application/pdf"]
    again = services.disclose_document(
        user_id=given.sender_clerk.id, document_id=document.pk, department_id=department_id
    )
    assert again == item_id
    assert DisclosureItem.objects.count() == 1


def test_a_document_not_yet_distributed_is_refused(given):
    with pytest.raises(DisclosureStateError):
        services.disclose_document(
            user_id=given.sender_clerk.id,
            document_id=given.document.pk,
            department_id=given.document.issuing_body.department_id,
        )
    assert DisclosureItem.objects.count() == 0


def test_the_document_page_shows_the_button_to_a_disclosure_editor(client, given):
    _distribute(given)
    login_staff(client, given.sender_clerk)
    page = client.get(reverse("documents:document", args=[given.document.pk])).content.decode()
    assert "一键公开" in page
    response = client.post(reverse("disclosure:from_document", args=[given.document.pk]))
    item = DisclosureItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:staff_item", args=[item.pk])


def test_one_click_on_a_document_not_yet_distributed_is_a_409_page(client, given):
    login_staff(client, given.sender_clerk)
    response = client.post(reverse("disclosure:from_document", args=[given.document.pk]))
    assert response.status_code == 409
    assert "公文分发后才能主动公开" in response.content.decode()
    assert DisclosureItem.objects.count() == 0
