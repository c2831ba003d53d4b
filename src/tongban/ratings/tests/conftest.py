import pytest
from conftest import PASSWORD, make_staff

from tongban.accounts.services import ensure_user
from tongban.core.calendar import seed_year
from tongban.ratings.tests.factories import finished_application, open_rectification


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def citizen(db):
    return ensure_user(
        username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD, phone="13800138000"
    )


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def item(department, publish_item):
    seed_year(2026)
    return publish_item(department)


@pytest.fixture
def finished(citizen, item, clerk):
    return finished_application(applicant_id=citizen.id, item=item, clerk_id=clerk.id)


@pytest.fixture
def rectification_id(citizen, finished):
    return open_rectification(applicant_id=citizen.id, application_id=finished)
