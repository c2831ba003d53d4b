import pytest

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
