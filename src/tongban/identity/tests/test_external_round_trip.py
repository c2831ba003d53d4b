"""Sign-in through an external OpenID Connect provider, against a real provider: the platform's own,
served by pytest-django's live server (a server thread answering real HTTP on a free port), while the
relying-party side runs in the test client and reaches the provider's token, userinfo and JWKS
endpoints over HTTP (issue 20; THREATS T-A5, T-A11). Nothing is mocked: state, nonce, PKCE, the
signature and the audience are checked as in production."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pyotp
import pytest
import requests
from conftest import PASSWORD
from django.contrib.auth import get_user_model
from django.utils import timezone

from tongban.accounts import totp
from tongban.accounts.models import StaffTotpDevice, User
from tongban.accounts.services import ensure_user, resident_id_digest
from tongban.identity.validators import PlatformValidator

CALLBACK = "https://testserver/account/sso/callback/"
STAFF_ID = "110105194912310021"
CITIZEN_ID = "110105195001010013"
UNKNOWN_ID = "110105196001010018"


class ProvincialValidator(PlatformValidator):
    """The provider as a provincial 统一身份认证 would be: it releases the verified ID number (the
    platform itself keeps only its keyed hash, so the test tells it the number), with or without
    claiming a second factor."""

    id_numbers: dict[int, str] = {}
    multi_factor = True
    oidc_claim_scope = PlatformValidator.oidc_claim_scope | {"id_number": "openid"}

    def get_additional_claims(self, request):
        claims = super().get_additional_claims(request) | {
            "id_number": self.id_numbers.get(request.user.pk, "")
        }
        if not self.multi_factor:
            claims["amr"], claims["acr"] = ["pwd"], "urn:tongban:acr:pwd"
        return claims


@pytest.fixture
def provider(live_server, settings, monkeypatch, transactional_db):
    """The platform's provider at ``live_server.url`` with the platform registered as its client."""
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import Application

    from tongban.identity.models import RelyingParty

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the live server speaks plain HTTP
    issuer = f"{live_server.url}/sso"
    settings.OAUTH2_PROVIDER = settings.OAUTH2_PROVIDER | {
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.ProvincialValidator",
        "OIDC_ISS_ENDPOINT": issuer,
        "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
    }
    secret = generate_client_secret()
    app = Application.objects.create(
        name="通办平台",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        client_secret=secret,
        algorithm=Application.RS256_ALGORITHM,
    )
    RelyingParty.objects.create(application=app, name="通办平台", allowed_scopes="openid profile staff")
    settings.OIDC_RP_CLIENT_ID = app.client_id
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.TONGBAN_EXTERNAL_OIDC_ISSUER = issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/.well-known/jwks.json"
    ProvincialValidator.id_numbers = {}
    ProvincialValidator.multi_factor = True
    return live_server.url


@pytest.fixture
def person(provider):
    """A staff member of the provider, with an authenticator, whose verified ID number is STAFF_ID."""
    user = ensure_user(username="prov_staff", full_name="省级工作人员", kind="staff", password=PASSWORD)
    secret = totp.new_secret()
    StaffTotpDevice.objects.create(
        user_id=user.id, encrypted_secret=totp.encrypt_secret(secret), confirmed_at=timezone.now()
    )
    ProvincialValidator.id_numbers[user.id] = STAFF_ID
    return user, secret


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def _post_form(browser: requests.Session, url: str, data: dict) -> requests.Response:
    page = browser.get(url, allow_redirects=False)
    return browser.post(url, data | {"csrfmiddlewaretoken": _csrf(page.text)}, allow_redirects=False)


def provider_sign_in(provider: str, authorize_url: str, person) -> str:
    """A browser at the provider: password, authenticator code, consent. Returns the redirect back."""
    user, secret = person
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/staff/login/")
    login_url = provider + answer.headers["Location"]
    answer = _post_form(browser, login_url, {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302, answer.text[:300]
    verify_url = provider + answer.headers["Location"]
    answer = _post_form(browser, verify_url, {"code": pyotp.TOTP(secret).now()})
    assert answer.status_code == 302, answer.text[:300]
    back = answer.headers["Location"]
    assert back.startswith("/sso/authorize/")
    consent = browser.get(provider + back, allow_redirects=False)
    assert consent.status_code == 200
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
    answer = browser.post(provider + "/sso/authorize/", form | {"allow": "1"}, allow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]


def start(client) -> str:
    answer = client.get("/account/sso/", secure=True)
    assert answer.status_code == 302
    location = answer["Location"]
    assert "code_challenge=" in location
    assert "state=" in location
    assert "nonce=" in location
    assert "redirect_uri=https%3A%2F%2Ftestserver%2Faccount%2Fsso%2Fcallback%2F" in location
    return location


def round_trip(client, provider, person, *, tamper=None):
    back = provider_sign_in(provider, start(client), person)
    assert back.startswith(CALLBACK + "?")
    query = urlsplit(back).query
    if tamper:
        query = tamper(client, query)
    return client.get(f"/account/sso/callback/?{query}", secure=True)


def test_T_A11_external_sign_in_round_trip_signs_in_the_matched_staff_account(client, provider, person):
    user, _secret = person
    User.objects.filter(pk=user.id).update(resident_id_hmac=resident_id_digest(STAFF_ID))
    answer = round_trip(client, provider, person)
    assert answer.status_code == 302
    assert answer["Location"] == "/staff/"
    assert client.session["_auth_user_id"] == str(user.id)
    assert client.get("/staff/", secure=True).status_code == 200  # the provider's amr shows otp (T-A5)


def test_T_A5_external_sign_in_without_a_second_factor_asks_for_the_authenticator_code(
    client, provider, person
):
    user, _secret = person
    User.objects.filter(pk=user.id).update(resident_id_hmac=resident_id_digest(STAFF_ID))
    ProvincialValidator.multi_factor = False
    answer = round_trip(client, provider, person)
    assert answer.status_code == 302
    assert answer["Location"] == "/staff/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/", secure=True).status_code == 302


def test_T_A11_external_sign_in_matches_a_citizen_by_the_id_numbers_keyed_hash(client, provider, person):
    citizen = get_user_model().objects.create_user(
        username="13900000001",
        kind="citizen",
        full_name="王芳",
        resident_id_hmac=resident_id_digest(CITIZEN_ID),
    )
    ProvincialValidator.id_numbers[person[0].id] = CITIZEN_ID
    answer = round_trip(client, provider, person)
    assert answer.status_code == 302
    assert answer["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_T_A11_external_sign_in_without_a_matching_account_is_refused(client, provider, person):
    ProvincialValidator.id_numbers[person[0].id] = UNKNOWN_ID
    accounts = get_user_model().objects.count()
    answer = round_trip(client, provider, person)
    assert answer.status_code == 403
    assert "不匹配" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == accounts  # nobody created


def test_T_A11_external_sign_in_with_a_tampered_state_is_refused(client, provider, person):
    User.objects.filter(pk=person[0].id).update(resident_id_hmac=resident_id_digest(STAFF_ID))
    answer = round_trip(
        client, provider, person, tamper=lambda c, q: re.sub(r"state=[^&]+", "state=forged", q)
    )
    assert answer.status_code == 400
    assert "_auth_user_id" not in client.session


def test_T_A11_external_sign_in_with_a_tampered_nonce_is_refused(client, provider, person):
    User.objects.filter(pk=person[0].id).update(resident_id_hmac=resident_id_digest(STAFF_ID))

    def other_nonce(client, query):
        session = client.session
        for pending in session["oidc_states"].values():
            pending["nonce"] = "another-sessions-nonce"
        session.save()
        return query

    answer = round_trip(client, provider, person, tamper=other_nonce)
    assert answer.status_code == 400
    assert "_auth_user_id" not in client.session


def test_T_A11_external_sign_in_is_off_until_configured(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get("/account/sso/", secure=True).status_code == 404
    assert client.get("/account/sso/callback/?code=x&state=y", secure=True).status_code == 404
