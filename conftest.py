"""Fixtures shared by every app's tests."""

import pytest

from tongban.accounts.services import ensure_user
from tongban.catalog import services as catalog_services
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory

PASSWORD = "Correct-horse-9-battery"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes files under its own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "media")}},
        "public": {**settings.STORAGES["public"], "OPTIONS": {"location": str(tmp_path / "media/public")}},
    }


@pytest.fixture
def department(db):
    return DepartmentFactory(name="云州市锦江区市场监督管理局", short_name="锦江区市场监管局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="云州市锦江区民政局", short_name="锦江区民政局")


def make_staff(username: str, department, role: str = "catalog_editor"):
    user = ensure_user(username=username, full_name=username, kind="staff", password=PASSWORD)
    assign_role(user_id=user.id, department_id=department.pk, role=role)
    return user


@pytest.fixture
def editor(department):
    return make_staff("market_editor", department)


@pytest.fixture
def publish_item(db):
    """Create and publish an item: publish_item(department, basic_code=…, **draft overrides)."""
    counter = iter(range(10**6))

    def _publish(department, *, basic_code=None, **overrides):
        code = basic_code or f"0002{next(counter):08d}"
        ref = catalog_services.create_item(
            department_id=department.pk,
            basic_code=code,
            implementation_code=department.uscc + code,
            draft=ItemDraftFactory(**overrides),
            actor_id=None,
        )
        return catalog_services.publish_version(version_id=ref.version_id, actor_id=None)

    return _publish
