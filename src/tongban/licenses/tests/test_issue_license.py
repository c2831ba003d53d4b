"""Issuance at closure: the application_closed signal issues one signed license per approved application."""

import datetime as dt
import json

import pytest

from tongban.applications.events import application_closed
from tongban.core.errors import ConflictError
from tongban.licenses import services
from tongban.licenses.errors import LicenseError
from tongban.licenses.models import License, LicenseEvent
from tongban.licenses.tests.factories import (
    ENTERPRISE_ANSWERS,
    close_application,
    submitted_application,
)


def test_approval_issues_a_signed_business_license(issued, holder, department):
    payload = json.loads(issued.signed_payload)

    assert issued.holder_id == holder.id
    assert issued.name == "营业执照"
    assert issued.department_id == department.pk
    assert issued.issuer_code == department.uscc
    assert issued.holder_code_type == "001"
    assert issued.holder_code == "91990100MA0000001X"
    assert issued.holder_name == "云州市青禾餐饮管理有限公司"
    assert issued.valid_until == issued.valid_from.replace(year=issued.valid_from.year + 5) - dt.timedelta(
        days=1
    )
    assert [f["label"] for f in issued.face] == [
        "名称",
        "统一社会信用代码",
        "类型",
        "法定代表人",
        "经营范围",
        "成立日期",
        "住所",
    ]
    assert issued.face[3]["value"] == "张三"
    assert payload["license_id"] == issued.license_id
    assert payload["signer"]["key_id"] == issued.seal.key_id
    assert bytes(issued.pdf).startswith(b"%PDF")
    assert issued.status == "valid"
    assert list(issued.events.values_list("action", "to_status")) == [("issued", "valid")]


def test_the_receiver_running_twice_issues_one_license(issued):
    # The same closing event delivered again (a retried task, a second worker).
    application_closed.send(sender=None, application_id=issued.application_id, result="approved")

    assert License.objects.filter(application_id=issued.application_id).count() == 1
    assert services.issue_license_for_application(application_id=issued.application_id) == issued.license_id


def test_a_denied_application_gets_no_license(business_item, holder, django_capture_on_commit_callbacks):
    application_id = submitted_application(business_item, applicant_id=holder.id)

    with django_capture_on_commit_callbacks(execute=True):
        close_application(application_id, result="denied")

    assert not License.objects.exists()


def test_an_item_without_license_type_issues_nothing(department, publish_item, holder):
    item = publish_item(department, serves_legal_persons=True)
    application_id = submitted_application(item, applicant_id=holder.id)
    close_application(application_id)

    assert services.issue_license_for_application(application_id=application_id) is None
    assert not License.objects.exists()


def test_T_F5_a_license_is_never_signed_before_the_application_is_closed(business_item, holder):
    application_id = submitted_application(business_item, applicant_id=holder.id)

    with pytest.raises(ConflictError, match="办件尚未办结"):
        services.issue_license_for_application(application_id=application_id)

    assert not License.objects.exists()
    assert not LicenseEvent.objects.exists()


def test_a_missing_face_value_is_refused_and_leaves_no_record(business_item, holder):
    answers = {**ENTERPRISE_ANSWERS, "address": ""}
    application_id = submitted_application(business_item, applicant_id=holder.id, answers=answers)
    close_application(application_id)

    with pytest.raises(LicenseError, match="照面信息“住所”缺少内容"):
        services.issue_license_for_application(application_id=application_id)

    assert not License.objects.exists()


def test_a_bad_face_definition_is_refused(department):
    with pytest.raises(LicenseError, match="来源不正确"):
        services.ensure_license_type(
            department_id=department.pk,
            code="X",
            name="许可证",
            holder_kind="legal",
            validity_years=0,
            face_fields=[{"key": "a", "label": "名称", "source": "database.name"}],
        )


def test_T_M7_a_personal_license_keeps_the_id_number_masked(personal_license):
    assert personal_license.holder_code_type == "111"
    assert personal_license.holder_code == "1101**********4514"
    assert len(personal_license.holder_code_hmac) == 64
    assert personal_license.valid_until is None
    assert "110101199003074514" not in personal_license.signed_payload
    assert b"110101199003074514" not in bytes(personal_license.pdf)


def test_a_marriage_license_takes_the_holder_from_nested_answers(department, publish_item):
    from conftest import PASSWORD

    from tongban.accounts.services import ensure_user

    citizen = ensure_user(username="13800000005", full_name="账户名", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    services.ensure_seal(department_id=department.pk)
    type_id = services.ensure_license_type(
        department_id=department.pk,
        code="0301",
        name="结婚证",
        holder_kind="natural",
        validity_years=0,
        holder_name_source="form.applicant.name",
        holder_code_source="form.applicant.resident_id",
        face_fields=[
            {"key": "holder", "label": "持证人", "source": "form.applicant.name"},
            {"key": "partner", "label": "配偶", "source": "form.partner.name"},
        ],
    )
    services.bind_item(item_id=item.item_id, license_type_id=type_id)
    answers = {
        "applicant": {"name": "张三", "resident_id": "110101199003074514"},
        "partner": {"name": "李四", "resident_id": "110101199205061234"},
    }
    application_id = submitted_application(item, applicant_id=citizen.id, answers=answers)
    close_application(application_id)

    services.issue_license_for_application(application_id=application_id)

    license_row = License.objects.get()
    assert (license_row.holder_name, license_row.holder_code) == ("张三", "1101**********4514")
    assert [f["value"] for f in license_row.face] == ["张三", "李四"]
    assert "110101199205061234" not in license_row.signed_payload


def test_a_license_that_cannot_be_issued_does_not_break_the_closure(
    business_item, holder, django_capture_on_commit_callbacks, caplog
):
    answers = {**ENTERPRISE_ANSWERS, "address": ""}
    application_id = submitted_application(business_item, applicant_id=holder.id, answers=answers)

    with django_capture_on_commit_callbacks(execute=True):
        close_application(application_id)

    assert not License.objects.exists()
    assert f"license for application {application_id} not issued: 照面信息“住所”缺少内容" in caplog.text
