import pytest

from tongban.accounts.tests.fixtures import _fresh_quotas_and_outbox, outbox  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    settings.TONGBAN_RESIDENT_ID_HMAC_KEY = "test-only-resident-id-key-0123456789abcdef"
    settings.TONGBAN_TOTP_ENCRYPTION_KEY = "dGVzdC1vbmx5LXRvdHAtZW5jcnlwdGlvbi1rZXktMzI="
