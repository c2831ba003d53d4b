"""The applicant's journey through the pages: start, form, materials, 核对信息, receipt, 补正."""

import re

import pytest
from conftest import PASSWORD, make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.models import Application
from tongban.applications.tests.factories import pdf_bytes
from tongban.catalog.selectors import version_snapshot

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
    "address": {"ui:label": "现居住地址"},
}


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def item(department, publish_item):
    return publish_item(department, form_schema=SCHEMA, ui_schema=UI)


@pytest.fixture
def citizen_client(client, db):
    ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    client.login(username="citizen_a", password=PASSWORD)
    return client


def start(client, item) -> int:
    response = client.post(reverse("applications:start", args=[item.implementation_code]))
    return int(re.search(r"/applications/(\d+)/form/", response["Location"])[1])


def test_whole_journey_to_a_receipt(citizen_client, item):
    application_id = start(citizen_client, item)
    form_url = reverse("applications:form", args=[application_id])
    page = citizen_client.get(form_url).content.decode()
    assert 'value="张三"' in page  # prefilled from the account

    response = citizen_client.post(form_url, {"name": "张三", "address": "滨江路1号"})
    assert response["Location"] == reverse("applications:materials", args=[application_id])

    [material] = version_snapshot(item.version_id).materials
    upload = SimpleUploadedFile("申请书.pdf", pdf_bytes(), content_type="application/pdf")
    response = citizen_client.post(
        reverse("applications:materials", args=[application_id]),
        {"requirement_id": material.id, "file": upload},
    )
    assert response.status_code == 302

    check = citizen_client.get(reverse("applications:check", args=[application_id])).content.decode()
    assert "滨江路1号" in check
    assert "申请书.pdf" in check
    first = citizen_client.post(reverse("applications:check", args=[application_id]))
    again = citizen_client.post(reverse("applications:check", args=[application_id]))  # double click
    assert first["Location"] == again["Location"] == reverse("applications:receipt", args=[application_id])
    receipt = citizen_client.get(first["Location"]).content.decode()
    number = Application.objects.get().number
    assert number in receipt
    assert "承诺办结日期" in receipt
    assert Application.objects.count() == 1
    assert number in citizen_client.get(reverse("applications:mine")).content.decode()


def test_form_errors_keep_the_answers_and_name_the_field(citizen_client, item):
    application_id = start(citizen_client, item)
    body = citizen_client.post(
        reverse("applications:form", args=[application_id]), {"name": "张三", "address": ""}
    ).content.decode()
    assert "<title>错误：" in body
    assert "请输入现居住地址" in body
    assert 'value="张三"' in body


def test_T_C1_disguised_upload_is_refused_on_the_page(citizen_client, item):
    application_id = start(citizen_client, item)
    [material] = version_snapshot(item.version_id).materials
    upload = SimpleUploadedFile("申请书.pdf", b"MZ" + b"\0" * 100, content_type="application/pdf")
    response = citizen_client.post(
        reverse("applications:materials", args=[application_id]),
        {"requirement_id": material.id, "file": upload},
    )
    assert response.status_code == 400
    assert "文件类型与扩展名不符" in response.content.decode()


def test_T_B1_another_citizen_gets_404_everywhere(citizen_client, client, item, db):
    application_id = start(citizen_client, item)
    ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)
    client.login(username="citizen_b", password=PASSWORD)
    for name in ("form", "materials", "check", "detail", "receipt"):
        assert client.get(reverse(f"applications:{name}", args=[application_id])).status_code == 404, name


def test_correction_is_shown_and_fixed_through_the_pages(citizen_client, item, department):
    application_id = start(citizen_client, item)
    citizen_client.post(
        reverse("applications:form", args=[application_id]), {"name": "张三", "address": "滨江路"}
    )
    [material] = version_snapshot(item.version_id).materials
    citizen_client.post(
        reverse("applications:materials", args=[application_id]),
        {"requirement_id": material.id, "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    citizen_client.post(reverse("applications:check", args=[application_id]))
    clerk = make_staff("market_clerk", department, role="clerk")
    services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="地址请写到门牌号",
        fields=["address"],
        material_ids=[],
    )
    detail = citizen_client.get(reverse("applications:detail", args=[application_id])).content.decode()
    assert "地址请写到门牌号" in detail
    correction_url = reverse("applications:correction", args=[application_id])
    assert f'href="{correction_url}"' in detail
    response = citizen_client.post(
        reverse("applications:form", args=[application_id]), {"name": "张三", "address": "滨江路1号3栋201"}
    )
    assert response["Location"] == correction_url
    response = citizen_client.post(correction_url)
    assert response["Location"] == reverse("applications:detail", args=[application_id])
    application = Application.objects.get()
    assert (application.status, application.form_data["address"]) == ("submitted", "滨江路1号3栋201")


def test_anonymous_visitor_is_sent_to_log_in(client, item):
    response = client.post(reverse("applications:start", args=[item.implementation_code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_T_M5_my_applications_page_is_not_cached(citizen_client, db):
    response = citizen_client.get(reverse("applications:mine"))
    assert "no-store" in response["Cache-Control"]


def test_my_applications_name_each_item(citizen_client, item, department, publish_item):
    other = publish_item(department, name="食品经营许可", form_schema=SCHEMA, ui_schema=UI)
    first, second = start(citizen_client, item), start(citizen_client, other)
    page = citizen_client.get(reverse("applications:mine")).content.decode()
    rows = re.findall(r'<th scope="row">([^<]*)</th>\s*<td data-label="办件编号">([^<]*)</td>', page)
    assert rows == [("食品经营许可", "草稿"), ("个体工商户营业执照核发", "草稿")]
    assert f'href="{reverse("applications:form", args=[second])}"' in page
    assert f'href="{reverse("applications:form", args=[first])}"' in page
