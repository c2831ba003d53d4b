"""Resident ID numbers inside form answers: encrypted at rest with a masked copy (T-M7), masked on every
staff page and in the 审批表, revealed in full only through the audited 查看完整号码 (T-M3, T-J2)."""

import io

import pytest
from conftest import PASSWORD, make_staff
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import selectors, services
from tongban.applications.answers import KEY_SETTING
from tongban.applications.checks import answer_encryption_key
from tongban.applications.models import Application
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import (
    APPLICANT_ID,
    PERSON_ANSWERS,
    PERSON_SCHEMA,
    PERSON_UI,
    SPOUSE_ID,
    draft_with_materials,
)
from tongban.core import encryption
from tongban.core.models import AuditEvent
from tongban.workflow.selectors import open_tasks_of

MASKED_APPLICANT = "1101**********4514"
MASKED_SPOUSE = "4419**********1235"


@pytest.fixture
def item(department, publish_item):
    return publish_item(department, form_schema=PERSON_SCHEMA, ui_schema=PERSON_UI)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


@pytest.fixture
def submitted(citizen, item):
    application_id = draft_with_materials(applicant_id=citizen.id, item=item, answers=PERSON_ANSWERS)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return Application.objects.get(pk=application_id)


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


def reveal_url(application, path, **query):
    url = reverse("applications:staff_reveal_resident_id", args=[application.pk, path])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_T_M7_the_numbers_in_the_answers_are_in_no_column_of_the_database(submitted):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM applications_application WHERE id = %s", [submitted.pk])
        [row] = cursor.fetchall()
    stored = " ".join(str(value) for value in row)
    for number in (APPLICANT_ID, SPOUSE_ID):
        assert number not in stored
        assert number[6:14] not in stored  # not even the date of birth
    assert submitted.form_data == PERSON_ANSWERS | {
        "resident_id": MASKED_APPLICANT,
        "spouse": {"name": "李四", "resident_id": MASKED_SPOUSE},
    }
    assert set(submitted.encrypted_answers) == {"resident_id", "spouse.resident_id"}
    assert (
        encryption.decrypt(KEY_SETTING, submitted.encrypted_answers["spouse.resident_id"])
        == SPOUSE_ID.encode()
    )


def test_a_result_is_made_from_the_answers_as_given(submitted):
    # E-licenses take the holder's number from the answers (and keep it masked themselves).
    assert selectors.application_facts(submitted.pk).form_data == PERSON_ANSWERS


def test_the_applicant_edits_their_own_number_and_sees_it_masked_when_checking(client, citizen, item):
    application_id = draft_with_materials(applicant_id=citizen.id, item=item, answers=PERSON_ANSWERS)
    client.login(username="citizen_a", password=PASSWORD)
    form = client.get(reverse("applications:form", args=[application_id])).content.decode()
    assert f'value="{APPLICANT_ID}"' in form  # their own input, as they typed it
    check = client.get(reverse("applications:check", args=[application_id])).content.decode()
    assert MASKED_APPLICANT in check
    assert APPLICANT_ID not in check


def test_T_M3_staff_pages_show_labels_and_masked_numbers(client, submitted, clerk):
    login_staff(client, clerk)
    [task] = open_tasks_of(subject_of(submitted.pk))
    for url in (
        reverse("applications:staff_case", args=[submitted.pk]),
        reverse("applications:staff_task", args=[task.id]),
    ):
        page = client.get(url).content.decode()
        for label in ("申请人姓名", "申请人身份证号码", "现居住地址", "配偶姓名", "配偶身份证号码"):
            assert f"<dt>{label}</dt>" in page
        assert "<dt>resident_id</dt>" not in page
        assert "<dt>address</dt>" not in page
        assert MASKED_APPLICANT in page
        assert MASKED_SPOUSE in page
        assert APPLICANT_ID not in page
        assert SPOUSE_ID not in page
        assert reveal_url(submitted, "spouse.resident_id") in page
    # From the task page the reveal leads back to the task.
    task_page = client.get(reverse("applications:staff_task", args=[task.id])).content.decode()
    assert reveal_url(submitted, "resident_id", task=task.id) in task_page


def test_T_M3_the_approval_sheet_shows_labels_and_masked_numbers(client, submitted, clerk):
    login_staff(client, clerk)
    response = client.get(reverse("applications:staff_approval_sheet", args=[submitted.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "")
    for expected in (
        "申请表内容",
        "申请人身份证号码",
        MASKED_APPLICANT,
        "配偶信息：配偶身份证号码",
        MASKED_SPOUSE,
    ):
        assert expected in text
    assert APPLICANT_ID not in text
    assert SPOUSE_ID not in text


def test_T_M3_the_reveal_page_asks_why_and_shows_nothing_in_full_before(client, submitted, clerk):
    login_staff(client, clerk)
    page = client.get(reveal_url(submitted, "spouse.resident_id")).content.decode()
    assert "配偶信息：配偶身份证号码" in page
    assert MASKED_SPOUSE in page
    assert SPOUSE_ID not in page
    response = client.post(reveal_url(submitted, "spouse.resident_id"), {"reason": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>错误：" in body
    assert '<a href="#id_reason">请输入查看理由</a>' in body
    assert SPOUSE_ID not in body
    assert not AuditEvent.objects.filter(event="resident_id.revealed").exists()


def test_T_M3_T_J2_revealing_a_number_is_audited_with_who_whose_which_field_and_why(client, submitted, clerk):
    login_staff(client, clerk)
    response = client.post(reveal_url(submitted, "spouse.resident_id"), {"reason": "核对配偶身份"})
    assert response.status_code == 200
    body = response.content.decode()
    assert SPOUSE_ID in body
    assert APPLICANT_ID not in body  # only the field asked for
    [event] = AuditEvent.objects.filter(event="resident_id.revealed")
    assert (
        event.actor_id,
        event.subject_id,
        event.department_id,
        event.object_type,
        event.object_id,
        event.reason,
        event.result,
    ) == (
        clerk.id,
        submitted.applicant_id,
        submitted.department_id,
        "application",
        str(submitted.pk),
        "spouse.resident_id：核对配偶身份",
        "ok",
    )


def test_T_M3_staff_who_may_not_read_the_case_get_404_and_the_attempt_is_audited(
    client, submitted, other_department
):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    login_staff(client, outsider)
    assert client.get(reveal_url(submitted, "resident_id")).status_code == 404
    response = client.post(reveal_url(submitted, "resident_id"), {"reason": "好奇"})
    assert response.status_code == 404
    assert APPLICANT_ID not in response.content.decode()
    events = AuditEvent.objects.filter(event="resident_id.revealed")
    assert [(e.actor_id, e.result, e.object_id) for e in events] == [
        (outsider.id, "denied", str(submitted.pk))
    ] * 2


def test_a_field_that_holds_no_number_cannot_be_revealed(client, submitted, clerk):
    login_staff(client, clerk)
    for path in ("name", "spouse.name", "spouse", "nothing"):
        response = client.post(reveal_url(submitted, path), {"reason": "核对"})
        assert response.status_code == 404, path
    assert not AuditEvent.objects.filter(event="resident_id.revealed", result="ok").exists()


def test_citizens_and_anonymous_visitors_cannot_reach_the_reveal(client, submitted, citizen):
    response = client.post(reveal_url(submitted, "resident_id"), {"reason": "x"})
    assert response.status_code == 302  # to the staff login
    assert response["Location"].startswith(reverse("accounts:staff_login"))
    client.login(username="citizen_a", password=PASSWORD)  # the applicant themself
    response = client.post(reveal_url(submitted, "resident_id"), {"reason": "x"})
    assert response.status_code == 404
    assert APPLICANT_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(event="resident_id.revealed").exists()


def test_deploy_check_refuses_a_key_that_is_not_a_fernet_key(settings):
    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = "not-a-key"
    [error] = answer_encryption_key(None)
    assert (error.id, error.msg) == (
        "applications.E001",
        "TONGBAN_ANSWER_ENCRYPTION_KEY must be a Fernet key (32 random bytes, url-safe base64)",
    )
    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hbnN3ZXJzLWtleS0zMmI="
    assert answer_encryption_key(None) == []
