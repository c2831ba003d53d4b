"""Passwords are stored with Argon2id at OWASP's parameters; older hashes upgrade at the next login."""

import pytest
from conftest import PASSWORD
from django.contrib.auth.hashers import make_password

from tongban.accounts.tests.factories import CitizenFactory
from tongban.settings import PASSWORD_HASHERS as PRODUCTION_HASHERS

PHONE = "13800138000"
OWASP_ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    # The suite hashes with MD5 (root conftest); these tests need what production runs.
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


def test_a_new_password_is_stored_with_argon2id_at_owasp_parameters(production_hashers, db):
    user = CitizenFactory(username=PHONE)
    user.set_password(PASSWORD)
    user.save()
    user.refresh_from_db()
    assert user.password.startswith(OWASP_ARGON2ID)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_a_pbkdf2_hash_still_logs_in_and_is_upgraded_at_that_login(production_hashers, client, db):
    user = CitizenFactory(username=PHONE)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/account/login/", {"phone": PHONE, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(OWASP_ARGON2ID)


def test_a_wrong_password_leaves_an_old_hash_as_it_was(production_hashers, client, db):
    user = CitizenFactory(username=PHONE)
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.password = old
    user.save(update_fields=["password"])

    client.post(
        "/account/login/", {"phone": PHONE, "password": "Wrong-horse-9-battery"}, REMOTE_ADDR="203.0.113.7"
    )

    user.refresh_from_db()
    assert user.password == old
