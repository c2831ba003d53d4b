"""Fixtures shared by the account tests and the cross-app security tests (tests/security): login
quotas live in the cache, which outlives a test's database; codes go to the locmem SMS outbox."""

import pytest
from django.core.cache import cache

from tongban.core.sms.backends import locmem


@pytest.fixture(autouse=True)
def _fresh_quotas_and_outbox(settings):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    cache.clear()
    locmem.outbox.clear()
    yield
    cache.clear()
    locmem.outbox.clear()


@pytest.fixture
def outbox():
    return locmem.outbox
