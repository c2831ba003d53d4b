"""免提交: an issued e-license stands in for a later application's material, taken through the
exchange (grant applied, use logged where the holder sees it)."""

import datetime as dt

import pytest
from conftest import PASSWORD
from django.contrib.auth import get_user_model

from tongban.accounts.services import ensure_user
from tongban.applications import selectors as application_selectors
from tongban.applications import services as applications
from tongban.catalog.types import MaterialData
from tongban.licenses.tests.factories import ENTERPRISE_ANSWERS
from tongban.sharing import selectors as sharing_selectors
from tongban.sharing import services as sharing
from tongban.sharing.types import ItemData, ResourceData, Subject

LICENSE_MATERIAL = MaterialData(
    name="营业执照副本",
    material_type="certificate",
    form="electronic",
    necessity="required",
    source="government",
    allowed_types=("pdf",),
)


@pytest.fixture
def license_resource(department):
    sharing.upsert_resource(
        ResourceData(
            code="enterprise.licenses",
            name="法人电子证照",
            classification="基础信息资源/电子证照",
            department_id=department.pk,
            summary="本平台签发的有效电子证照。",
            subject_kind="enterprise",
            provider="licenses.enterprise",
            sharing_type="conditional",
            sharing_condition="免提交与依法核验",
            items=(ItemData("licenses", "证照清单"), ItemData("files", "证照版式文件")),
        )
    )
    sharing.ensure_client(name="政务服务平台", department_id=department.pk, is_platform=True)
    return department


def _grant(department):
    sharing.grant_access(
        resource_code="enterprise.licenses",
        department_id=department.pk,
        purpose=sharing.LICENSE_EXEMPTION_PURPOSE,
        item_keys=["licenses", "files"],
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2030, 12, 31),
    )


@pytest.fixture
def holder_with_license(issued):
    """The 营业执照 holder's account, linked to the registry by its USCC."""
    return ensure_user(
        username="13800000002",
        full_name="云州市青禾餐饮管理有限公司",
        kind="enterprise",
        password=PASSWORD,
        uscc=ENTERPRISE_ANSWERS["uscc"],
    )


def _draft_needing_the_license(publish_item, department, holder) -> int:
    item = publish_item(department, serves_legal_persons=True, materials=(LICENSE_MATERIAL,))
    return applications.start_application(
        applicant_id=holder.id, applicant_name=holder.full_name, implementation_code=item.implementation_code
    )


def test_a_held_license_is_attached_instead_of_uploaded_and_the_use_is_logged(
    license_resource, holder_with_license, issued, publish_item, department
):
    _grant(department)
    account = get_user_model().objects.get(pk=holder_with_license.id)
    application_id = _draft_needing_the_license(publish_item, department, holder_with_license)

    attached = applications.attach_held_licenses(
        application_id=application_id, applicant_id=account.pk, account=account
    )

    assert attached == ["营业执照副本"]
    application = application_selectors.get_application_for_applicant(account.pk, application_id)
    material = application.materials.get()
    assert material.e_license_id == issued.license_id
    assert material.file.read() == bytes(issued.pdf)
    assert applications.missing_required_materials(application) == []
    [use] = sharing_selectors.usage_of(Subject(kind="enterprise", key=account.uscc, masked=account.uscc))
    assert (use.resource_name, use.purpose, use.outcome) == (
        "法人电子证照",
        sharing.LICENSE_EXEMPTION_PURPOSE,
        "served",
    )
    assert use.case_ref == f"草稿 {application_id}"


def test_without_a_grant_nothing_is_attached_and_the_refusal_is_logged(
    license_resource, holder_with_license, issued, publish_item, department
):
    account = get_user_model().objects.get(pk=holder_with_license.id)
    application_id = _draft_needing_the_license(publish_item, department, holder_with_license)

    assert (
        applications.attach_held_licenses(
            application_id=application_id, applicant_id=account.pk, account=account
        )
        == []
    )
    assert not application_selectors.get_application_for_applicant(
        account.pk, application_id
    ).materials.exists()
    [use] = sharing_selectors.usage_of(Subject(kind="enterprise", key=account.uscc, masked=account.uscc))
    assert use.outcome != "served"


def test_the_licenses_are_looked_up_once_per_draft(
    license_resource, holder_with_license, issued, publish_item, department
):
    account = get_user_model().objects.get(pk=holder_with_license.id)
    application_id = _draft_needing_the_license(publish_item, department, holder_with_license)
    for _view in range(3):  # the materials page shown three times
        applications.attach_held_licenses(
            application_id=application_id, applicant_id=account.pk, account=account
        )
    subject = Subject(kind="enterprise", key=account.uscc, masked=account.uscc)
    assert len(sharing_selectors.usage_of(subject)) == 1
