import pytest

from tongban.hotline.tests.helpers import make_city


@pytest.fixture
def c(db):
    return make_city()
