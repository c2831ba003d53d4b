import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps

from tongban.briefings.services import issues
from tongban.organizations.tests.factories import DepartmentFactory


@pytest.fixture(autouse=True)
def _seeded(db):
    """The roles and levels of migration 0002, also after a transactional test flushed the tables."""
    importlib.import_module("tongban.briefings.migrations.0002_seed_briefing_roles_and_levels").seed(
        django_apps, None
    )


@pytest.fixture
def office(db):
    return DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办公室")


@pytest.fixture
def market(db):
    return DepartmentFactory(name="云州市市场监督管理局", short_name="市市场监管局")


@pytest.fixture
def education(db):
    return DepartmentFactory(name="云州市教育局", short_name="市教育局")


@pytest.fixture
def editor(office):
    return make_staff("info_editor", office, "briefing_editor")


@pytest.fixture
def reporter(market):
    return make_staff("market_reporter", market, "briefing_reporter")


@pytest.fixture
def teacher_reporter(education):
    return make_staff("education_reporter", education, "briefing_reporter")


@pytest.fixture
def publication(office, editor):
    return issues.create_publication(user_id=editor.id, department_id=office.pk, name="云州政务信息")
