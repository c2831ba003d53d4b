"""补正 through the pages: the applicant's 补正材料 page lists exactly what was requested and refuses
提交补正材料 until each item is done; staff name fields by their labels and see every 补正 and its
resolution in 办理过程 and in the 审批表."""

import io
import re

import pytest
from conftest import PASSWORD, make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.models import Application, CorrectionRequest
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import (
    APPLICANT_ID,
    PERSON_ANSWERS,
    PERSON_SCHEMA,
    PERSON_UI,
    SPOUSE_ID,
    draft_with_materials,
    pdf_bytes,
)
from tongban.catalog.tests.factories import MaterialData
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.subjects import on_hold

FORM_MATERIAL = "婚姻状况声明书"
ID_MATERIAL = "身份证复印件"


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def item(department, publish_item):
    materials = tuple(
        MaterialData(
            name=name, material_type="form", form="electronic", necessity="required", source="applicant"
        )
        for name in (FORM_MATERIAL, ID_MATERIAL)
    )
    return publish_item(department, form_schema=PERSON_SCHEMA, ui_schema=PERSON_UI, materials=materials)


@pytest.fixture
def citizen_client(db):
    ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    client = Client()
    client.login(username="citizen_a", password=PASSWORD)
    return client


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def clerk_client(clerk):
    client = Client()
    login_staff(client, clerk)
    return client


@pytest.fixture
def application(citizen_client, item):
    applicant_id = int(citizen_client.session["_auth_user_id"])
    application_id = draft_with_materials(applicant_id=applicant_id, item=item, answers=PERSON_ANSWERS)
    services.submit_application(application_id=application_id, applicant_id=applicant_id)
    return Application.objects.get(pk=application_id)


def material_id(item, name):
    from tongban.catalog.selectors import version_snapshot

    return next(m.id for m in version_snapshot(item.version_id).materials if m.name == name)


def intake_task(application):
    [task] = open_tasks_of(subject_of(application.pk))
    return task


@pytest.fixture
def correction(application, item, clerk_client):
    """The clerk asks, through the task page, for the address, the spouse's details and a new ID copy."""
    response = clerk_client.post(
        reverse("applications:staff_correction", args=[intake_task(application).id]),
        {
            "reason": "地址请写到门牌号，配偶信息请核对，身份证复印件不清晰",
            "field_names": ["address", "spouse"],
            "material_ids": [material_id(item, ID_MATERIAL)],
        },
    )
    assert response.status_code == 302
    return CorrectionRequest.objects.get(application=application)


def summary(body: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a></li>', body)


def test_the_staff_correction_form_names_fields_by_their_labels(clerk_client, application):
    page = clerk_client.get(reverse("applications:staff_task", args=[intake_task(application).id]))
    body = page.content.decode()
    choices = re.findall(
        r'<input type="checkbox" name="field_names" value="(\w+)"[^>]*>\s*([^<]+)</label>', body
    )
    assert choices == [
        ("name", "申请人姓名"),
        ("resident_id", "申请人身份证号码"),
        ("address", "现居住地址"),
        ("spouse", "配偶信息"),
    ]


def test_the_correction_page_lists_exactly_the_requested_fields_and_materials(
    citizen_client, application, correction
):
    body = citizen_client.get(reverse("applications:correction", args=[application.pk])).content.decode()
    assert "地址请写到门牌号，配偶信息请核对，身份证复印件不清晰" in body
    assert re.findall(r"<dt>([^<]+)</dt>", body) == ["现居住地址", "配偶信息"]
    assert "配偶姓名：李四；配偶身份证号码：4419**********1235" in body  # masked on screen
    assert SPOUSE_ID not in body
    assert ID_MATERIAL in body
    assert FORM_MATERIAL not in body
    assert "已完成 0 项，共 3 项" in body
    assert '<button type="submit" class="button">提交补正材料</button>' in body
    # 我的办件 and 办件进度 lead here.
    correction_url = reverse("applications:correction", args=[application.pk])
    for page in ("applications:mine", "applications:detail"):
        url = reverse(page, args=[application.pk]) if page.endswith("detail") else reverse(page)
        assert f'href="{correction_url}"' in citizen_client.get(url).content.decode(), page


def test_the_form_page_asks_only_the_requested_fields_as_the_applicant_typed_them(
    citizen_client, application, correction
):
    url = reverse("applications:form", args=[application.pk])
    body = citizen_client.get(url).content.decode()
    assert re.findall(r'<input class="form-input" id="field-([\w-]+)"', body) == [
        "address",
        "spouse-name",
        "spouse-resident_id",
    ]
    assert f'value="{SPOUSE_ID}"' in body  # their own number, to correct it
    response = citizen_client.post(
        url,
        {
            "address": "滨江路1号3栋201室",
            "spouse-name": "李四",
            "spouse-resident_id": SPOUSE_ID,
            "name": "王五",  # not requested: ignored
            "resident_id": "441900198506151235",
        },
    )
    assert response["Location"] == reverse("applications:correction", args=[application.pk])
    application.refresh_from_db()
    assert application.form_data["address"] == "滨江路1号3栋201室"
    assert (application.form_data["name"], application.form_data["resident_id"]) == (
        "张三",
        "1101**********4514",
    )
    correction.refresh_from_db()
    assert correction.confirmed_fields == ["address", "spouse"]
    assert application.status == "correction_requested"  # nothing is sent until 提交补正材料


def test_a_wrong_answer_on_the_correction_form_is_shown_and_nothing_is_saved(
    citizen_client, application, correction
):
    response = citizen_client.post(
        reverse("applications:form", args=[application.pk]),
        {"address": "", "spouse-name": "李四", "spouse-resident_id": "441900198506151234"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>错误：" in body
    assert [message for _anchor, message in summary(body)] == [
        "请输入现居住地址",
        "配偶身份证号码的校验位不正确，请核对",
    ]
    correction.refresh_from_db()
    assert correction.confirmed_fields == []
    application.refresh_from_db()
    assert application.form_data == PERSON_ANSWERS | {
        "resident_id": "1101**********4514",
        "spouse": {"name": "李四", "resident_id": "4419**********1235"},
    }


def test_submitting_is_refused_until_every_field_is_looked_at_and_every_material_replaced(
    citizen_client, application, correction, item
):
    url = reverse("applications:correction", args=[application.pk])
    id_copy = material_id(item, ID_MATERIAL)
    response = citizen_client.post(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>错误：" in body
    assert summary(body) == [
        ("field-address", "请修改或确认“现居住地址”"),
        ("field-spouse", "请修改或确认“配偶信息”"),
        (f"file-{id_copy}", "请上传新的“身份证复印件”"),
    ]
    assert 'id="field-address"' in body
    assert f'id="file-{id_copy}"' in body

    response = citizen_client.post(
        url, {"requirement_id": id_copy, "file": SimpleUploadedFile("身份证（清晰）.pdf", pdf_bytes())}
    )
    assert response["Location"] == url
    body = citizen_client.get(url).content.decode()
    assert "已完成 1 项，共 3 项" in body
    assert "已上传新文件：" in body
    assert "身份证（清晰）.pdf" in body
    assert summary(citizen_client.post(url).content.decode()) == [
        ("field-address", "请修改或确认“现居住地址”"),
        ("field-spouse", "请修改或确认“配偶信息”"),
    ]
    application.refresh_from_db()
    assert application.status == "correction_requested"
    assert on_hold([subject_of(application.pk)]) == {subject_of(application.pk)}  # no timeout acts
    correction.refresh_from_db()
    assert correction.resolved_at is None

    # Saved unchanged: looked at counts, even when the applicant finds the answer right.
    citizen_client.post(
        reverse("applications:form", args=[application.pk]),
        {"address": "滨江路1号", "spouse-name": "李四", "spouse-resident_id": SPOUSE_ID},
    )
    response = citizen_client.post(url)
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not on_hold([subject_of(application.pk)])
    correction.refresh_from_db()
    assert correction.resolved_at is not None
    assert citizen_client.get(url)["Location"] == reverse("applications:detail", args=[application.pk])


def test_a_material_that_was_not_requested_cannot_be_replaced(citizen_client, application, correction, item):
    other = material_id(item, FORM_MATERIAL)
    before = list(application.materials.values_list("pk", "requirement_id"))
    response = citizen_client.post(
        reverse("applications:correction", args=[application.pk]),
        {"requirement_id": other, "file": SimpleUploadedFile("声明书.pdf", pdf_bytes())},
    )
    assert response.status_code == 400
    assert "办件已提交，不能更换材料。" in response.content.decode()
    assert list(application.materials.values_list("pk", "requirement_id")) == before
    correction.refresh_from_db()
    assert correction.replaced_material_ids == []


def answer_the_correction(citizen_client, application, item):
    citizen_client.post(
        reverse("applications:correction", args=[application.pk]),
        {
            "requirement_id": material_id(item, ID_MATERIAL),
            "file": SimpleUploadedFile("身份证（清晰）.pdf", pdf_bytes()),
        },
    )
    citizen_client.post(
        reverse("applications:form", args=[application.pk]),
        {"address": "滨江路1号3栋201室", "spouse-name": "李四", "spouse-resident_id": SPOUSE_ID},
    )
    assert citizen_client.post(reverse("applications:correction", args=[application.pk])).status_code == 302


def test_the_process_record_shows_the_correction_and_its_resolution(
    citizen_client, clerk_client, application, correction, item
):
    case_url = reverse("applications:staff_case", args=[application.pk])
    body = clerk_client.get(case_url).content.decode()
    assert "<h3>补正</h3>" in body
    assert "填报项：现居住地址、配偶信息<br>材料：身份证复印件" in body
    assert "待申请人补正" in body

    answer_the_correction(citizen_client, application, item)
    correction.refresh_from_db()
    body = clerk_client.get(case_url).content.decode()
    assert "待申请人补正" not in body
    resolved = correction.resolved_at.astimezone().strftime("%Y年%-m月%-d日 %H:%M")
    assert f'<td data-label="补正完成时间">{resolved}</td>' in body
    assert '<td data-label="要求补正人">market_clerk</td>' in body
    assert "地址请写到门牌号，配偶信息请核对，身份证复印件不清晰" in body
    assert APPLICANT_ID not in body
    assert SPOUSE_ID not in body


def test_the_approval_sheet_shows_the_correction_and_its_resolution(
    citizen_client, clerk_client, application, correction, item
):
    answer_the_correction(citizen_client, application, item)
    response = clerk_client.get(reverse("applications:staff_approval_sheet", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "")
    for expected in (
        "补正记录",
        "要求补正人",
        "market_clerk",
        "地址请写到门牌号，配偶信息请核对，身份证复印件不清晰",
        "现居住地址、配偶信息、身份证复印件",
        "补正完成时间",
        "现居住地址滨江路1号3栋201室",
    ):
        assert expected in text, expected
    assert "待申请人补正" not in text
