"""Staff pre-review pages: inbox, returning for correction, downloading materials, scoping."""

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.models import Application
from tongban.applications.tests.factories import pdf_bytes
from tongban.catalog.selectors import version_snapshot


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def submitted(department, publish_item):
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    application_id = services.start_application(
        applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
    )
    services.save_answers(
        application_id=application_id, applicant_id=citizen.id, answers={"address": "滨江路"}
    )
    [material] = version_snapshot(item.version_id).materials
    services.attach_material(
        application_id=application_id,
        applicant_id=citizen.id,
        requirement_id=material.id,
        name="申请书.pdf",
        data=pdf_bytes(),
    )
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return Application.objects.get(pk=application_id), material


@pytest.fixture
def clerk_client(client, department):
    clerk = make_staff("market_clerk", department, role="clerk")
    login_staff(client, clerk)
    return client


def test_inbox_lists_the_submitted_application(clerk_client, submitted):
    application, _ = submitted
    body = clerk_client.get(reverse("applications:staff_inbox")).content.decode()
    assert application.number in body


def test_clerk_returns_the_application_for_correction(clerk_client, submitted):
    application, material = submitted
    url = reverse("applications:staff_pre_review", args=[application.pk])
    response = clerk_client.post(url, {"reason": "申请书未签字", "material_ids": [material.id]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "correction_requested"
    assert application.corrections.get().material_ids == [material.id]


def test_correction_without_reason_or_items_shows_the_errors(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_pre_review", args=[application.pk])
    body = clerk_client.post(url, {"reason": ""}).content.decode()
    assert "<title>错误：" in body
    assert "请输入补正说明" in body
    application.refresh_from_db()
    assert application.status == "submitted"


def test_material_downloads_as_a_sandboxed_attachment(clerk_client, submitted):
    application, _ = submitted
    stored = application.materials.get()
    response = clerk_client.get(reverse("applications:staff_material", args=[application.pk, stored.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_T_B3_clerk_of_another_department_sees_nothing(client, submitted, other_department):
    application, _ = submitted
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    login_staff(client, outsider)
    assert application.number not in client.get(reverse("applications:staff_inbox")).content.decode()
    assert client.get(reverse("applications:staff_pre_review", args=[application.pk])).status_code == 404
    stored = application.materials.get()
    assert (
        client.get(reverse("applications:staff_material", args=[application.pk, stored.pk])).status_code
        == 404
    )


def test_T_C7_T_B4_citizen_and_anonymous_cannot_reach_staff_pages(client, submitted):
    application, _ = submitted
    stored = application.materials.get()
    url = reverse("applications:staff_material", args=[application.pk, stored.pk])
    assert client.get(url).status_code == 302  # to the staff login
    client.login(username="citizen_a", password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(reverse("applications:staff_inbox")).status_code == 404
    assert client.get(f"/media/materials/{stored.file.name}").status_code == 404
