import pytest
from cryptography.fernet import Fernet

from tongban.core.signing import get_signer, verify_signature
from tongban.core.signing.backends.local import LocalEcdsaSigner, LocalEd25519Signer, LocalSm2Signer

SIGNERS = [LocalEcdsaSigner, LocalEd25519Signer, LocalSm2Signer]


@pytest.mark.parametrize("signer_class", SIGNERS)
def test_a_signature_verifies_with_the_public_key_and_fails_on_other_data(signer_class):
    signer = signer_class()
    pair = signer.generate_key()
    signature = signer.sign(private_key_ref=pair.private_key_ref, data=b"license")

    assert verify_signature(
        algorithm=signer.algorithm, public_key_pem=pair.public_key_pem, data=b"license", signature=signature
    )
    assert not verify_signature(
        algorithm=signer.algorithm, public_key_pem=pair.public_key_pem, data=b"licensE", signature=signature
    )


@pytest.mark.parametrize("signer_class", SIGNERS)
def test_the_private_key_reference_is_ciphertext(signer_class):
    pair = signer_class().generate_key()

    assert "PRIVATE KEY" not in pair.private_key_ref
    assert pair.private_key_ref.startswith("gAAAA")  # a Fernet token


def test_T_F2_an_algorithm_outside_the_allowlist_is_refused():
    signer = LocalEcdsaSigner()
    pair = signer.generate_key()
    signature = signer.sign(private_key_ref=pair.private_key_ref, data=b"x")

    for algorithm in ("none", "HS256", "", "Ed25519"):
        assert not verify_signature(
            algorithm=algorithm, public_key_pem=pair.public_key_pem, data=b"x", signature=signature
        )


@pytest.mark.parametrize("signer_class", SIGNERS)
def test_T_F5_a_key_cannot_be_used_with_another_encryption_key(settings, signer_class):
    signer = signer_class()
    pair = signer.generate_key()
    settings.TONGBAN_SIGNING_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()

    with pytest.raises(Exception, match="cannot be decrypted"):
        signer.sign(private_key_ref=pair.private_key_ref, data=b"x")


def test_check_reports_the_configured_signer_healthy(settings):
    settings.TONGBAN_SIGNER = "tongban.core.signing.backends.local.LocalEd25519Signer"

    status = get_signer().check()

    assert status.ok
    assert "Ed25519" in status.detail
