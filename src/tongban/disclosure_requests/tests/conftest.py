import importlib

import pytest
from django.apps import apps as django_apps

from tongban.core.calendar import seed_year
from tongban.disclosure_requests.tests.helpers import setup


@pytest.fixture(autouse=True)
def _seeded(db):
    """The roles and the default redaction rules of the data migration, also after a transactional
    test elsewhere in this worker flushed the tables (running it again changes nothing)."""
    importlib.import_module("tongban.disclosure_requests.migrations.0002_seed_roles").seed(django_apps, None)


@pytest.fixture
def s(db):
    seed_year(2026)
    return setup()
