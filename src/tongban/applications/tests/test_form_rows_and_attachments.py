"""An application form with a 明细表, a computed total, a conditional field and an attachment, filled
through the pages with plain POSTs (no JavaScript): rows are added by 增加一行, the file uploaded with
an error elsewhere is still there on the next POST, and the saved answers hold rows, the server's
total and the upload's id."""

import re

import pytest
from conftest import PASSWORD, make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.datastructures import MultiValueDict

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import selectors, services
from tongban.applications.models import Application
from tongban.applications.tests.factories import draft_with_materials, pdf_bytes
from tongban.schemaforms import SchemaForm
from tongban.schemaforms.tests.helpers import Page, example

SCHEMA, UI = example("purchase_request")


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def citizen_client(db):
    ensure_user(username="citizen_rows", full_name="张三", kind="citizen", password=PASSWORD)
    client = Client()
    client.login(username="citizen_rows", password=PASSWORD)
    return client


@pytest.fixture
def form_url(department, publish_item, citizen_client):
    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI)
    response = citizen_client.post(f"/services/{item.implementation_code}/apply/")
    assert response.status_code == 302
    return response["Location"]


def fields_of(html: str) -> dict[str, str]:
    """What the page would post back as it stands: its text inputs, hidden inputs and checked radios."""
    page = Page(html)
    return {
        name: attrs.get("value") or ""
        for name, attrs in page.controls.items()
        if attrs.get("type") in ("text", "hidden", None) and not name.startswith("csrf")
    }


def test_the_purchase_form_is_filled_without_javascript(citizen_client, form_url):
    page = citizen_client.get(form_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert "仅当“合计（元）”大于50000时填写" in html

    # 增加一行: the page comes back with two rows, what was typed kept, no error shown.
    typed = {
        "reason": "年度办公设备",
        "category": "goods",
        "items-count": "1",
        "items-0-name": "台式电脑",
        "items-0-quantity": "10",
        "items-0-unit_price": "5000.10",
    }
    added = citizen_client.post(form_url, {**typed, "items-add": "1"})
    html = added.content.decode()
    assert added.status_code == 200
    assert "请修改以下问题" not in html
    assert 'name="items-1-name"' in html
    assert 'value="台式电脑"' in html
    assert re.search(r'id="field-total"[^>]*>50,001.00<', html)

    # Submitted with the quotation but without the 超预算说明 the total now requires: the error, and
    # the upload kept on the page.
    rows = {
        **typed,
        "items-count": "2",
        "items-1-name": "显示器",
        "items-1-quantity": "1",
        "items-1-unit_price": "999.9",
    }
    quotation = SimpleUploadedFile("报价单.pdf", pdf_bytes("quotation"))
    refused = citizen_client.post(form_url, {**rows, "quotation": quotation})
    html = refused.content.decode()
    assert "请修改以下问题" in html
    assert '<a href="#field-over_budget_reason">请输入超预算说明</a>' in html
    assert "已上传：" in html
    assert "报价单.pdf" in html
    keep = Page(html).controls["quotation-keep"]["value"]

    done = citizen_client.post(
        form_url, {**rows, "quotation-keep": keep, "over_budget_reason": "全年集中采购"}
    )
    assert done.status_code == 302

    application = Application.objects.get()
    answers = selectors.own_answers(application)
    assert answers["items"] == [
        {"name": "台式电脑", "quantity": 10, "unit_price": 5000.1, "amount": 50001},
        {"name": "显示器", "quantity": 1, "unit_price": 999.9, "amount": 999.9},
    ]
    assert answers["total"] == 51000.9
    assert answers["over_budget_reason"] == "全年集中采购"
    assert answers["quotation"] == keep


def test_a_cell_error_links_to_its_cell(citizen_client, form_url):
    response = citizen_client.post(
        form_url,
        {
            "reason": "购置",
            "category": "goods",
            "items-count": "2",
            "items-0-name": "纸",
            "items-0-quantity": "1",
            "items-0-unit_price": "1",
            "items-1-name": "笔",
            "items-1-quantity": "两",
            "items-1-unit_price": "1",
        },
    )
    html = response.content.decode()

    assert '<a href="#field-items-1-quantity">第2行“数量”：数量须为整数</a>' in html
    assert 'id="field-items-1-quantity"' in html
    assert "<title>错误：" in html


def test_staff_download_a_file_attached_in_the_form_only_when_they_may_see_the_case(
    department, other_department, publish_item, django_capture_on_commit_callbacks
):
    item = publish_item(department, form_schema=SCHEMA, ui_schema=UI)
    applicant = ensure_user(username="citizen_files", full_name="张三", kind="citizen", password=PASSWORD)
    quotation = pdf_bytes("quotation")
    answers = SchemaForm(
        SCHEMA,
        UI,
        data={
            "reason": "购置",
            "category": "goods",
            "items-count": "1",
            "items-0-name": "纸",
            "items-0-quantity": "1",
            "items-0-unit_price": "1",
        },
        files=MultiValueDict({"quotation": [SimpleUploadedFile("报价单.pdf", quotation)]}),
        owner_id=applicant.id,
    ).cleaned_data
    # Another upload of the same person, not named by any answer of the case.
    stray = SchemaForm(
        SCHEMA,
        UI,
        data={},
        files=MultiValueDict({"quotation": [SimpleUploadedFile("别的.pdf", quotation)]}),
        owner_id=applicant.id,
    )["quotation"].upload.id
    application_id = draft_with_materials(applicant_id=applicant.id, item=item, answers=answers)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application_id=application_id, applicant_id=applicant.id)
    url = f"/staff/applications/{application_id}/form-uploads/{answers['quotation']}/"

    clerk = Client()
    login_staff(clerk, make_staff("files_clerk", department, role="clerk"))
    case = clerk.get(f"/staff/applications/{application_id}/").content.decode()
    assert f'href="{url}"' in case
    response = clerk.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == quotation
    assert clerk.get(f"/staff/applications/{application_id}/form-uploads/{stray}/").status_code == 404

    outsider = Client()
    login_staff(outsider, make_staff("files_outsider", other_department, role="clerk"))
    assert outsider.get(url).status_code == 404
    editor = Client()  # the same department, but a role that handles no cases (T-B3)
    login_staff(editor, make_staff("files_editor", department, role="catalog_editor"))
    assert editor.get(url).status_code == 404
