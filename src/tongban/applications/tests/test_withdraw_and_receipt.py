"""撤回申请 before 受理, and the 受理回执 PDF (issue 19)."""

import io

import pytest
from conftest import make_staff
from django.urls import reverse
from pypdf import PdfReader

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import Application, ApplicationEvent
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import inbox_application_ids
from tongban.applications.tests.test_submit_application import draft_for
from tongban.workflow import selectors as workflow_selectors

PASSWORD = "x-Unused-Pass-1"


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """The materials go through the real clamd."""


@pytest.fixture
def item(department, publish_item):
    return publish_item(department, promised_limit=3)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


@pytest.fixture
def other_citizen(db):
    return ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)


@pytest.fixture
def submitted(citizen, item):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return application_id


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


def test_a_submitted_application_is_withdrawn_and_leaves_the_inbox(submitted, citizen, clerk):
    assert inbox_application_ids(clerk.id) == [submitted]
    services.withdraw_application(
        application_id=submitted, applicant_id=citizen.id, reason="材料准备有误，重新申请"
    )
    application = Application.objects.get(pk=submitted)
    assert application.status == "withdrawn"
    assert list(ApplicationEvent.objects.filter(application=application).values_list("to_status", "note"))[
        -1
    ] == (
        "withdrawn",
        "材料准备有误，重新申请",
    )
    assert workflow_selectors.instance_of(subject_of(submitted)).status == "terminated"
    assert workflow_selectors.open_tasks_of(subject_of(submitted)) == []
    assert inbox_application_ids(clerk.id) == []


def test_withdrawing_during_correction_closes_the_correction(submitted, citizen, clerk):
    services.request_correction(
        application_id=submitted, staff_id=clerk.id, reason="请补充地址", fields=["address"], material_ids=[]
    )
    services.withdraw_application(application_id=submitted, applicant_id=citizen.id, reason="不办了")
    application = Application.objects.get(pk=submitted)
    assert application.status == "withdrawn"
    assert application.corrections.get().resolved_at is not None


def test_an_accepted_application_cannot_be_withdrawn(submitted, citizen, clerk):
    services.accept_application(application_id=submitted, staff_id=clerk.id)
    with pytest.raises(ApplicationStateError):
        services.withdraw_application(application_id=submitted, applicant_id=citizen.id, reason="不办了")
    assert Application.objects.get(pk=submitted).status == "accepted"


def test_a_second_withdrawal_is_refused_and_changes_nothing(submitted, citizen):
    services.withdraw_application(application_id=submitted, applicant_id=citizen.id, reason="不办了")
    events = ApplicationEvent.objects.count()
    with pytest.raises(ApplicationStateError):
        services.withdraw_application(application_id=submitted, applicant_id=citizen.id, reason="不办了")
    assert ApplicationEvent.objects.count() == events


def test_a_withdrawal_needs_a_reason(submitted, citizen):
    with pytest.raises(ApplicationError):
        services.withdraw_application(application_id=submitted, applicant_id=citizen.id, reason="  ")
    assert Application.objects.get(pk=submitted).status == "submitted"


def test_someone_else_cannot_withdraw_it(submitted, other_citizen, client):
    client.login(username="citizen_b", password=PASSWORD)
    response = client.post(reverse("applications:withdraw", args=[submitted]), {"reason": "恶意撤回"})
    assert response.status_code == 404
    assert Application.objects.get(pk=submitted).status == "submitted"


def test_the_progress_page_withdraws_and_shows_errors(submitted, citizen, client, clerk):
    client.login(username="citizen_a", password=PASSWORD)
    url = reverse("applications:withdraw", args=[submitted])
    page = client.get(reverse("applications:detail", args=[submitted])).content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "请填写撤回原因。" in response.content.decode()
    response = client.post(url, {"reason": "填错了"})
    assert response["Location"] == reverse("applications:detail", args=[submitted])
    response = client.post(url, {"reason": "填错了"})
    assert response.status_code == 409
    assert "该办件已撤回。" in response.content.decode()
    assert (
        f'action="{url}"' not in client.get(reverse("applications:detail", args=[submitted])).content.decode()
    )


def test_the_receipt_pdf_names_the_case_its_materials_and_a_status_link(submitted, citizen, client):
    client.login(username="citizen_a", password=PASSWORD)
    response = client.get(reverse("applications:receipt_pdf", args=[submitted]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    application = Application.objects.get(pk=submitted)
    assert application.number in text
    assert "受理回执" in text
    assert application.materials.get().display_name in text
    status_page = client.get(reverse("applications:status_query"), {"number": application.number})
    assert f'value="{application.number}"' in status_page.content.decode()


def test_another_citizen_gets_no_receipt(other_citizen, submitted, client):
    client.login(username="citizen_b", password=PASSWORD)
    assert client.get(reverse("applications:receipt_pdf", args=[submitted])).status_code == 404
