"""The account fixtures: fresh login quotas and the SMS outbox for every test here."""

from tongban.accounts.tests.fixtures import _fresh_quotas_and_outbox, outbox  # noqa: F401 - fixtures
