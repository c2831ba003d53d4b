import pytest

from tongban.core.calendar import seed_year
from tongban.disclosure_requests.tests.helpers import setup


@pytest.fixture
def s(db):
    seed_year(2026)
    return setup()
