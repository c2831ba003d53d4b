"""The 套红/用印 downloads and the 用印 action (documents.views.output)."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.documents.roles import SEAL_KEEPER
from tongban.documents.sealing import verify_pdf_seal
from tongban.documents.services import output
from tongban.documents.tests.factories import OfficialDocumentFactory
from tongban.documents.tests.output_helpers import numbered_document
from tongban.organizations.services import assign_role

pytestmark = pytest.mark.django_db


def test_the_drafter_downloads_the_typeset_pdf_and_an_outsider_gets_404_and_an_audit_row(client):
    document, clerk, _keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    login_staff(client, document.drafter)
    response = client.get(f"/staff/documents/{document.pk}/typeset.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    outsider = make_staff("outsider", document.issuing_body.department, SEAL_KEEPER)
    login_staff(client, outsider)
    assert client.get(f"/staff/documents/{document.pk}/typeset.pdf").status_code == 404
    assert AuditEvent.objects.filter(
        event="document.typeset_pdf", actor_id=outsider.id, object_id=str(document.pk), result="denied"
    ).exists()


def test_no_sealed_pdf_yet_is_404(client):
    document, _clerk, _keeper = numbered_document()
    login_staff(client, document.drafter)
    assert client.get(f"/staff/documents/{document.pk}/sealed.pdf").status_code == 404


def test_T_G1_a_drafter_who_posts_seal_gets_403(client):
    document, clerk, _keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    login_staff(client, document.drafter)

    response = client.post(f"/staff/documents/{document.pk}/seal/")
    assert response.status_code == 403
    assert "印章管理员" in response.content.decode()
    document.refresh_from_db()
    assert not document.sealed_pdf


def test_T_G1_seal_posted_before_sign_off_is_409(client):
    document = OfficialDocumentFactory()
    assign_role(
        user_id=document.drafter_id, department_id=document.issuing_body.department_id, role=SEAL_KEEPER
    )
    login_staff(client, document.drafter)

    response = client.post(f"/staff/documents/{document.pk}/seal/")
    assert response.status_code == 409
    assert "尚未签发" in response.content.decode()


def test_the_seal_keeper_seals_and_downloads_the_sealed_pdf(client):
    document, clerk, _keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    # In a small office the drafter also keeps the seal (on the route, so within the 知悉范围).
    assign_role(
        user_id=document.drafter_id, department_id=document.issuing_body.department_id, role=SEAL_KEEPER
    )
    login_staff(client, document.drafter)

    response = client.post(f"/staff/documents/{document.pk}/seal/")
    assert response.status_code == 302
    assert response["Location"].endswith("/sealed.pdf")
    pdf = b"".join(client.get(response["Location"]).streaming_content)
    assert verify_pdf_seal(pdf).valid
