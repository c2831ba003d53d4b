import pytest


@pytest.fixture(autouse=True)
def _no_seal_verifier(settings):
    """The archive's own tests store stand-in PDFs without a seal, so the platform's seal check (the
    default verifier) is off here; documents' archiving tests keep it on for really sealed files."""
    settings.TONGBAN_ARCHIVE_SEAL_VERIFIER = ""
