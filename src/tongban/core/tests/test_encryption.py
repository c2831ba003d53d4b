"""core.encryption: data encrypted under a key from the environment, refused under any other key."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from tongban.core import encryption

SETTING = "TONGBAN_ANSWER_ENCRYPTION_KEY"


def test_what_is_encrypted_decrypts_with_the_same_key_only(settings):
    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = encryption.encrypt(SETTING, b"110101199003074514")
    assert token.startswith("gAAAA")  # a Fernet token, text for a text column
    assert b"110101199003074514" not in token.encode()
    assert encryption.decrypt(SETTING, token) == b"110101199003074514"

    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(
        ImproperlyConfigured, match="cannot be decrypted: TONGBAN_ANSWER_ENCRYPTION_KEY changed"
    ):
        encryption.decrypt(SETTING, token)


def test_a_changed_token_is_refused_not_decrypted(settings):
    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = encryption.encrypt(SETTING, b"secret")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(ImproperlyConfigured):
        encryption.decrypt(SETTING, tampered)


@pytest.mark.parametrize("key", ["", "too-short", "ZGV2"])
def test_a_setting_that_is_not_a_fernet_key_is_named(settings, key):
    settings.TONGBAN_ANSWER_ENCRYPTION_KEY = key
    message = "TONGBAN_ANSWER_ENCRYPTION_KEY must be a Fernet key (32 random bytes, url-safe base64)"
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        encryption.check_key(SETTING)
    with pytest.raises(ImproperlyConfigured):
        encryption.encrypt(SETTING, b"x")
