import pytest
from conftest import PASSWORD

from tongban.accounts.services import ensure_user
from tongban.licenses import services
from tongban.licenses.models import License
from tongban.licenses.tests.factories import (
    business_license_type,
    close_application,
    enterprise,
    submitted_application,
)


@pytest.fixture
def business_item(department, publish_item):
    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    return item


@pytest.fixture
def holder(db):
    return enterprise()


@pytest.fixture
def issued(business_item, holder, django_capture_on_commit_callbacks):
    """A 营业执照 issued the way it happens in production: the application closes, the signal issues."""
    application_id = submitted_application(business_item, applicant_id=holder.id)
    with django_capture_on_commit_callbacks(execute=True):
        close_application(application_id)
    return License.objects.get(application_id=application_id)


@pytest.fixture
def personal_license(department, publish_item):
    """A 结婚证-like personal license (long-term) issued to the citizen 张三 with ID 110101199003074514."""
    citizen = ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    services.ensure_seal(department_id=department.pk)
    type_id = services.ensure_license_type(
        department_id=department.pk,
        code="MC01",
        name="结婚证",
        holder_kind="natural",
        validity_years=0,
        face_fields=[
            {"key": "holder", "label": "持证人", "source": "form.name"},
            {"key": "registered", "label": "登记日期", "source": "issue_date"},
        ],
    )
    services.bind_item(item_id=item.item_id, license_type_id=type_id)
    answers = {"name": "张三", "resident_id": "110101199003074514", "address": "滨江路"}
    application_id = submitted_application(item, applicant_id=citizen.id, answers=answers)
    close_application(application_id)
    services.issue_license_for_application(application_id=application_id)
    return License.objects.get(application_id=application_id)
