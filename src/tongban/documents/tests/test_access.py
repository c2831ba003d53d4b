"""知悉范围: who sees a document (documents.access)."""

import pytest
from conftest import make_staff

from tongban.documents.access import get_document_for, get_received_for, may_edit_body
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.tests.factories import OfficialDocumentFactory, ReceivedDocumentFactory
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_the_drafter_sees_and_edits_the_draft_and_a_colleague_does_not():
    document = OfficialDocumentFactory()
    colleague = make_staff("colleague", document.drafting_department, DOCUMENT_CLERK)

    assert get_document_for(document.drafter_id, document.pk) == document
    assert may_edit_body(document.drafter_id, document)
    assert get_document_for(colleague.id, document.pk) is None
    assert not may_edit_body(colleague.id, document)


def test_nobody_edits_a_signed_off_document():
    document = OfficialDocumentFactory(signed_off=True, status="drafting")

    assert not may_edit_body(document.drafter_id, document)


def test_the_receiving_clerk_sees_the_received_copy_and_its_document_and_other_clerks_do_not():
    received = ReceivedDocumentFactory()
    clerk = make_staff("clerk_b", received.department, DOCUMENT_CLERK)
    other_clerk = make_staff("clerk_c", DepartmentFactory(), DOCUMENT_CLERK)

    assert get_received_for(clerk.id, received.pk) == received
    assert get_document_for(clerk.id, received.source_document_id) == received.source_document
    assert get_received_for(other_clerk.id, received.pk) is None
    assert get_document_for(other_clerk.id, received.source_document_id) is None


def test_a_withdrawn_delivery_no_longer_shows_the_document_to_the_recipient():
    received = ReceivedDocumentFactory(state="withdrawn")
    clerk = make_staff("clerk_b", received.department, DOCUMENT_CLERK)

    assert get_document_for(clerk.id, received.source_document_id) is None


def test_the_issuing_bodys_clerk_sees_its_documents_from_sign_off_on_and_its_archivist_once_distributed():
    from tongban.archives.roles import ARCHIVIST
    from tongban.documents.tests.factories import DistributedDocumentFactory

    draft = OfficialDocumentFactory()
    signed = OfficialDocumentFactory(signed_off=True, issuing_body=draft.issuing_body)
    distributed = DistributedDocumentFactory(issuing_body=draft.issuing_body)
    department = draft.issuing_body.department
    clerk = make_staff("body_clerk", department, DOCUMENT_CLERK)
    archivist = make_staff("body_archivist", department, ARCHIVIST)

    assert get_document_for(clerk.id, draft.pk) is None
    assert get_document_for(clerk.id, signed.pk) == signed
    assert get_document_for(archivist.id, signed.pk) is None
    assert get_document_for(archivist.id, distributed.pk) == distributed
