import pytest
from django.core.cache import cache

from tongban.core.sms.backends import locmem


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    settings.TONGBAN_RESIDENT_ID_HMAC_KEY = "test-only-resident-id-key-0123456789abcdef"
    settings.TONGBAN_TOTP_ENCRYPTION_KEY = "dGVzdC1vbmx5LXRvdHAtZW5jcnlwdGlvbi1rZXktMzI="
    # Hashing cost is not under test here; the services still do the same number of hashings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_quotas_and_outbox():
    cache.clear()
    locmem.outbox.clear()
    yield
    cache.clear()
    locmem.outbox.clear()


@pytest.fixture
def outbox():
    return locmem.outbox
