"""Digital signatures for e-licenses and seals. ``get_signer()`` is the only way to sign;
``TONGBAN_SIGNER`` (a dotted path, like Django's ``EMAIL_BACKEND``) picks the signer: the local one keeps
each key encrypted under ``TONGBAN_SIGNING_KEY_ENCRYPTION_KEY``; an HSM or signing service plugs in the same
way and keeps its keys. Verification needs only a public key, so ``verify_signature`` is the same for all
signers and accepts only the algorithms in ``ALGORITHMS`` (THREATS T-F2)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.core.signing.base import KeyPair, Signer, SignerStatus
from tongban.core.signing.verify import ALGORITHMS, verify_signature

__all__ = ["ALGORITHMS", "KeyPair", "Signer", "SignerStatus", "get_signer", "verify_signature"]

DEFAULT_SIGNER = "tongban.core.signing.backends.local.LocalEcdsaSigner"


def get_signer() -> Signer:
    """A new instance of the configured signer (the health page calls its ``check()``)."""
    signer_class = import_string(getattr(settings, "TONGBAN_SIGNER", DEFAULT_SIGNER))
    return signer_class()
