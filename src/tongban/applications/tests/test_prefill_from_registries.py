"""一表填报: the form prefills from the base registries through the exchange, each use logged."""

import datetime as dt
import re

import pytest
from conftest import PASSWORD
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID, CitizenFactory
from tongban.registries import services as registry_services
from tongban.registries.types import PersonData
from tongban.sharing import selectors as sharing_selectors
from tongban.sharing import services as sharing_services
from tongban.sharing.types import ItemData, ResourceData

SCHEMA = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "maxLength": 50},
        "address": {"type": "string", "maxLength": 100},
    },
}
UI = {
    "ui:order": ["name", "address"],
    "name": {"ui:label": "申请人姓名", "ui:prefill": "account.full_name"},
    "address": {"ui:label": "户籍地址", "ui:prefill": "person.household_address"},
}


@pytest.fixture
def registry(department):
    registry_services.upsert_person(
        PersonData(CITIZEN_A_ID, "张三", "male", dt.date(1990, 3, 7), "汉族", "云州市锦江区滨江路1号")
    )
    sharing_services.upsert_resource(
        ResourceData(
            code="person.basic",
            name="人口基本信息",
            classification="基础信息资源/人口",
            department_id=department.pk,
            summary="户籍人口的基本信息",
            subject_kind="person",
            provider="registries.person",
            sharing_type="open",
            items=(ItemData("full_name", "姓名"), ItemData("household_address", "户籍地址")),
        )
    )
    sharing_services.register_client(name="云州市政务服务平台", department_id=department.pk, is_platform=True)


def test_form_prefills_from_the_registry_and_logs_the_use(client, department, publish_item, registry):
    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI)
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID, full_name="张三")
    client.login(username=citizen.username, password=PASSWORD)
    started = client.post(reverse("applications:start", args=[item.implementation_code]))
    application_id = int(re.search(r"/applications/(\d+)/form/", started["Location"])[1])

    page = client.get(reverse("applications:form", args=[application_id])).content.decode()

    assert 'value="云州市锦江区滨江路1号"' in page
    subject = sharing_services.subject_of_account(
        kind="citizen", resident_id_hmac=citizen.resident_id_hmac, resident_id_masked="", uscc=""
    )
    [use] = sharing_selectors.usage_of(subject)
    assert (use.purpose, use.case_ref, use.outcome) == ("网上申请预填", f"草稿 {application_id}", "served")
    assert use.item_names == ("姓名", "户籍地址")


def test_without_a_platform_client_the_form_still_opens_empty(client, department, publish_item, db):
    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI)
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID)
    client.login(username=citizen.username, password=PASSWORD)
    started = client.post(reverse("applications:start", args=[item.implementation_code]))
    response = client.get(started["Location"])
    assert response.status_code == 200
    assert "滨江路" not in response.content.decode()


def test_one_use_per_draft_not_per_page_view_and_the_receipt_number_once_submitted(
    client, department, publish_item, registry
):
    from tongban.applications import services as applications
    from tongban.applications.models import Application

    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI, materials=())
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID, full_name="张三")
    client.login(username=citizen.username, password=PASSWORD)
    started = client.post(reverse("applications:start", args=[item.implementation_code]))
    application_id = int(re.search(r"/applications/(\d+)/form/", started["Location"])[1])
    form_url = reverse("applications:form", args=[application_id])

    for _view in range(3):
        assert 'value="云州市锦江区滨江路1号"' in client.get(form_url).content.decode()

    subject = sharing_services.subject_of_account(
        kind="citizen", resident_id_hmac=citizen.resident_id_hmac, resident_id_masked="", uscc=""
    )
    assert [u.case_ref for u in sharing_selectors.usage_of(subject)] == [f"草稿 {application_id}"]
    usage_page = client.get(reverse("sharing:my_data_usage")).content.decode()
    assert f'<td data-label="业务编号">草稿 {application_id}</td>' in usage_page

    client.post(form_url, {"name": "张三", "address": "云州市锦江区滨江路1号"})
    applications.submit_application(application_id=application_id, applicant_id=citizen.pk)
    number = Application.objects.get(pk=application_id).number
    usage_page = client.get(reverse("sharing:my_data_usage")).content.decode()
    assert f'<td data-label="业务编号">{number}</td>' in usage_page
    assert len(sharing_selectors.usage_of(subject)) == 1


def test_another_persons_draft_reference_is_never_resolved(department, publish_item, db):
    from tongban.applications import services as applications
    from tongban.applications.selectors import submitted_numbers
    from tongban.applications.tests.factories import draft_with_materials

    owner = CitizenFactory(resident_id=CITIZEN_A_ID)
    other = CitizenFactory(resident_id=CITIZEN_B_ID)
    item = publish_item(department, materials=())
    application_id = draft_with_materials(applicant_id=owner.pk, item=item, answers={"address": "滨江路"})
    applications.submit_application(application_id=application_id, applicant_id=owner.pk)
    ref = f"草稿 {application_id}"
    assert submitted_numbers({ref, "JJ-HY-2026-0815"}, other.pk) == {}
    assert list(submitted_numbers({ref}, owner.pk)) == [ref]


@pytest.mark.django_db(transaction=True)
def test_the_form_opens_outside_a_test_transaction_as_in_production(
    client, department, publish_item, registry
):
    # Each request runs in autocommit here, as under gunicorn: the prefill must not take row locks then
    # (PostgreSQL refuses select_for_update outside a transaction).
    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI)
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID, full_name="张三")
    client.login(username=citizen.username, password=PASSWORD)
    started = client.post(reverse("applications:start", args=[item.implementation_code]))
    response = client.get(started["Location"])
    assert response.status_code == 200
    assert 'value="云州市锦江区滨江路1号"' in response.content.decode()
