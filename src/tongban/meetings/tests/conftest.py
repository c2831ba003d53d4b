import pytest
from conftest import make_staff


@pytest.fixture
def organiser(department):
    return make_staff("organiser", department, "clerk")


@pytest.fixture
def colleague(department):
    return make_staff("colleague", department, "clerk")


@pytest.fixture
def other_clerk(other_department):
    """The invited department's 文书人员: names who attends."""
    return make_staff("other_clerk", other_department, "document_clerk")


@pytest.fixture
def other_staff(other_department):
    return make_staff("other_staff", other_department, "clerk")


@pytest.fixture
def outsider(db):
    from tongban.organizations.tests.factories import DepartmentFactory

    return make_staff("outsider", DepartmentFactory(name="云州市外事办公室", short_name="市外办"), "clerk")
