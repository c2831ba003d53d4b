"""Queries per request of every page of the citizen's journey (issue 18): the guide, 开始办理, the
form (shown and saved), the materials page and an upload, 核对信息 and 提交申请, the receipt, the
progress page and 办件查询. Each bound is the count measured on SQLite and PostgreSQL; the item
has three materials and a five-question form, so a query per material or per answer would pass
the bound. The item's snapshot is cached by version id (catalog.selectors.version_snapshot) and is
warm here as it is on a running server: its first read costs four queries more, once per process."""

import re

import pytest
from conftest import PASSWORD
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.tests.factories import pdf_bytes
from tongban.catalog.selectors import version_snapshot
from tongban.catalog.types import MaterialData
from tongban.workflow.services import install_shipped_definitions

RESIDENT_ID = "110101199003074514"
SCHEMA = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "maxLength": 50},
        "resident_id": {"type": "string", "format": "resident_id", "maxLength": 18},
        "phone": {"type": "string", "maxLength": 20},
        "address": {"type": "string", "maxLength": 100},
        "reason": {"type": "string", "maxLength": 200},
    },
}
UI = {
    "ui:order": ["name", "resident_id", "phone", "address", "reason"],
    "name": {"ui:label": "申请人姓名", "ui:prefill": "account.full_name"},
    "resident_id": {"ui:label": "身份证号码"},
    "phone": {"ui:label": "联系电话"},
    "address": {"ui:label": "现居住地址"},
    "reason": {"ui:label": "申请事由"},
}
ANSWERS = {
    "name": "张三",
    "resident_id": RESIDENT_ID,
    "phone": "13800138000",
    "address": "滨江路1号",
    "reason": "居住满半年",
}
MATERIALS = tuple(
    MaterialData(
        name=name,
        material_type="form",
        form="electronic",
        necessity="required",
        source="applicant",
        originals=1,
    )
    for name in ("申请书", "居住证明", "身份证复印件")
)


@pytest.fixture
def item(department, publish_item, client):
    """The item, with what a running server has already done: the shipped process definitions
    installed, the snapshot cached, the guide's lookups of role and step names made."""
    published = publish_item(department, form_schema=SCHEMA, ui_schema=UI, materials=MATERIALS)
    install_shipped_definitions()
    version_snapshot(published.version_id)
    client.get(reverse("catalog:guide", args=[published.implementation_code]))
    return published


@pytest.fixture
def citizen(db):
    return ensure_user(
        username="citizen_a",
        full_name="张三",
        kind="citizen",
        password=PASSWORD,
        phone="13800138000",
        resident_id=RESIDENT_ID,
    )


@pytest.fixture
def citizen_client(client, citizen):
    client.login(username="citizen_a", password=PASSWORD)
    return client


def start(client, item) -> int:
    response = client.post(reverse("applications:start", args=[item.implementation_code]))
    return int(re.search(r"/applications/(\d+)/form/", response["Location"])[1])


def upload(client, application_id, material_id, name="材料.pdf"):
    return client.post(
        reverse("applications:materials", args=[application_id]),
        {"requirement_id": material_id, "file": SimpleUploadedFile(name, pdf_bytes(), "application/pdf")},
    )


def ready_to_submit(client, item) -> int:
    application_id = start(client, item)
    client.post(reverse("applications:form", args=[application_id]), ANSWERS)
    for material in version_snapshot(item.version_id).materials:
        upload(client, application_id, material.id)
    return application_id


def test_guide_page(client, item, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("catalog:guide", args=[item.implementation_code]))
    assert "开始办理" in response.content.decode()


def test_start(citizen_client, item, django_assert_max_num_queries):
    """Session, user, the published version's id, the existing draft, the insert (+ transaction)."""
    with django_assert_max_num_queries(7):
        response = citizen_client.post(reverse("applications:start", args=[item.implementation_code]))
    assert re.search(r"/applications/\d+/form/", response["Location"])


def test_form_page_shown(citizen_client, item, django_assert_max_num_queries):
    """Registry prefill through the exchange is asked once per draft (here it finds no platform
    client); a second showing reads the draft only."""
    application_id = start(citizen_client, item)
    citizen_client.get(reverse("applications:form", args=[application_id]))
    with django_assert_max_num_queries(3):
        response = citizen_client.get(reverse("applications:form", args=[application_id]))
    assert 'value="张三"' in response.content.decode()


def test_form_saved(citizen_client, item, django_assert_max_num_queries):
    """Session, user, the draft, its version, one conditional update."""
    application_id = start(citizen_client, item)
    with django_assert_max_num_queries(5):
        response = citizen_client.post(reverse("applications:form", args=[application_id]), ANSWERS)
    assert response["Location"] == reverse("applications:materials", args=[application_id])


def test_materials_page(citizen_client, item, django_assert_max_num_queries):
    """Session, user, the draft, its files: 免提交 is not asked again (nor at all for an item without
    a government-issued material)."""
    application_id = start(citizen_client, item)
    citizen_client.get(reverse("applications:materials", args=[application_id]))  # 免提交 asked once
    for material in version_snapshot(item.version_id).materials:
        upload(citizen_client, application_id, material.id)
    with django_assert_max_num_queries(4):
        response = citizen_client.get(reverse("applications:materials", args=[application_id]))
    assert response.content.decode().count('hx-boost="false">材料.pdf</a>') == len(MATERIALS)


def test_upload_and_replacing_an_upload(citizen_client, item, django_assert_max_num_queries):
    """Session, user, the locked draft, its kept files (once, for the quota and the file replaced),
    the insert (+ transaction); replacing deletes the old row as well."""
    application_id = start(citizen_client, item)
    first, *others = version_snapshot(item.version_id).materials
    for material in others:
        upload(citizen_client, application_id, material.id)
    with django_assert_max_num_queries(7):
        assert upload(citizen_client, application_id, first.id).status_code == 302
    with django_assert_max_num_queries(8):
        assert upload(citizen_client, application_id, first.id, name="新材料.pdf").status_code == 302


def test_check_page(citizen_client, item, django_assert_max_num_queries):
    application_id = ready_to_submit(citizen_client, item)
    with django_assert_max_num_queries(4):
        response = citizen_client.get(reverse("applications:check", args=[application_id]))
    assert "滨江路1号" in response.content.decode()


def test_submit(citizen_client, item, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    """The request itself, up to the commit: session, user, the locked draft, its files, the
    calendar (once, for the promised date and the first step's due date), the status record, the
    update, the process binding and definition, the instance and its first task (+ transaction and
    savepoint). The message to the applicant is a task queued after
    the commit (notifications.tasks), counted apart: without a broker it runs in-process."""
    application_id = ready_to_submit(citizen_client, item)
    with (
        django_capture_on_commit_callbacks(execute=False) as after_commit,
        django_assert_max_num_queries(15),
    ):
        response = citizen_client.post(reverse("applications:check", args=[application_id]))
    assert response["Location"] == reverse("applications:receipt", args=[application_id])
    with django_assert_max_num_queries(4):
        for callback in after_commit:
            callback()


def test_submit_twice_reads_and_writes_nothing_more(citizen_client, item, django_assert_max_num_queries):
    """A double click: the second submit finds the receipt (session, user, locked row, transaction)."""
    application_id = ready_to_submit(citizen_client, item)
    citizen_client.post(reverse("applications:check", args=[application_id]))
    with django_assert_max_num_queries(5):
        again = citizen_client.post(reverse("applications:check", args=[application_id]))
    assert again["Location"] == reverse("applications:receipt", args=[application_id])


def test_receipt_and_progress(citizen_client, item, django_assert_max_num_queries):
    application_id = ready_to_submit(citizen_client, item)
    citizen_client.post(reverse("applications:check", args=[application_id]))
    # Session, user, the application, the years whose holidays are published (for 暂按周末计算).
    with django_assert_max_num_queries(4):
        receipt = citizen_client.get(reverse("applications:receipt", args=[application_id]))
    assert "承诺办结日期" in receipt.content.decode()
    with django_assert_max_num_queries(8):
        detail = citizen_client.get(reverse("applications:detail", args=[application_id]))
    assert detail.status_code == 200


def test_status_query(client, citizen, item, django_assert_max_num_queries):
    """No login: the applicant by the ID number's keyed hash, the application by number, its events,
    the years whose holidays are published (for 暂按周末计算)."""
    application_id = ready_to_submit_as(citizen, item)
    receipt = services.submit_application(application_id=application_id, applicant_id=citizen.id)
    cache.clear()
    with django_assert_max_num_queries(4):
        response = client.post(
            reverse("applications:status_query"), {"number": receipt.number, "resident_id": RESIDENT_ID}
        )
    assert receipt.number in response.content.decode()


def ready_to_submit_as(citizen, item) -> int:
    application_id = services.start_application(
        applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
    )
    services.save_answers(application_id=application_id, applicant_id=citizen.id, answers=ANSWERS)
    for material in version_snapshot(item.version_id).materials:
        services.attach_material(
            application_id=application_id,
            applicant_id=citizen.id,
            requirement_id=material.id,
            name="材料.pdf",
            data=pdf_bytes(),
        )
    return application_id


def test_the_item_has_three_materials(item):
    assert len(version_snapshot(item.version_id).materials) == len(MATERIALS) == 3
