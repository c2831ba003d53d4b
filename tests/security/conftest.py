import pytest
from django.core.cache import cache

from tongban.core.sms.backends import locmem


@pytest.fixture(autouse=True)
def _fresh_quotas_and_outbox(settings):
    """Login quotas live in the cache, which outlives a test's database; codes go to the locmem outbox."""
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    cache.clear()
    locmem.outbox.clear()
    yield
    cache.clear()
    locmem.outbox.clear()


@pytest.fixture
def outbox():
    return locmem.outbox
