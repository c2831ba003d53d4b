"""The platform as the city's OpenID Connect provider: a relying party signs staff in and reads their
departments and roles from an ID token verified against the JWKS (issue 20; THREATS T-A5, T-A11)."""

from __future__ import annotations

import base64
import http.server
import threading
from urllib.parse import parse_qs

import jwt
import pytest
from conftest import make_staff
from django.conf import settings
from django.contrib.auth import get_user_model
from oauth2_provider.models import AccessToken, Application

from tongban.accounts.tests.factories import CitizenFactory
from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent, AuditResult
from tongban.identity import services
from tongban.identity.tests.flows import REDIRECT, AuthRequest, code_from, consent_form
from tongban.oidc_keys import new_private_key

POST_LOGOUT = "https://archives.example.gov.cn/"


@pytest.fixture
def security_admin(department):
    return make_staff("sec_admin", department, role="security_admin")


@pytest.fixture
def rp(security_admin):
    return services.register_relying_party(
        actor_id=security_admin.id,
        name="市档案馆 业务系统",
        redirect_uris=[REDIRECT],
        post_logout_redirect_uris=[POST_LOGOUT],
        scopes=["openid", "profile", "staff"],
    )


@pytest.fixture
def clerk(department):
    return make_staff("clerk_zhang", department, role="clerk")


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def sign_in(client, rp, request: AuthRequest | None = None) -> dict:
    """Authorize (consent), redeem the code with the PKCE verifier: the token endpoint's answer."""
    request = request or AuthRequest(client_id=rp.client_id)
    answer = client.get(request.url(), secure=True)
    if answer.status_code == 200:  # the consent page; once given, the next sign-in skips it
        answer = client.post("/sso/authorize/", consent_form(answer.content.decode()), secure=True)
    assert answer.status_code == 302, answer.content.decode()[:500]
    code, state = code_from(answer["Location"])
    assert state == request.state
    tokens = client.post(
        "/sso/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": request.verifier,
        },
        HTTP_AUTHORIZATION=_basic(rp.client_id, rp.client_secret),
        secure=True,
    )
    assert tokens.status_code == 200, tokens.content
    return tokens.json()


def verify(client, id_token: str, audience: str) -> dict:
    """The ID token's claims, its signature checked with PyJWT against the published JWKS."""
    discovery = client.get("/.well-known/openid-configuration", secure=True).json()
    jwks = jwt.PyJWKSet.from_dict(client.get("/sso/.well-known/jwks.json", secure=True).json())
    kid = jwt.get_unverified_header(id_token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    return jwt.decode(id_token, key=key, algorithms=["RS256"], audience=audience, issuer=discovery["issuer"])


def test_a_relying_party_reads_department_and_roles_from_an_id_token_verified_against_the_jwks(
    client, rp, clerk, department
):
    login_staff(client, clerk)
    request = AuthRequest(client_id=rp.client_id)
    tokens = sign_in(client, rp, request)
    claims = verify(client, tokens["id_token"], rp.client_id)
    assert claims["sub"] == str(clerk.id)
    assert claims["sub"] not in {clerk.username}
    assert claims["nonce"] == request.nonce
    assert claims["name"] == clerk.full_name
    assert claims["departments"] == [department.short_name]
    assert {"department": department.short_name, "role": "clerk"}.items() <= claims["roles"][0].items()
    assert "otp" in claims["amr"]
    userinfo = client.get(
        "/sso/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    )
    assert userinfo.json()["departments"] == [department.short_name]


def test_without_the_staff_scope_the_id_token_carries_no_departments(client, rp, clerk):
    login_staff(client, clerk)
    claims = verify(
        client,
        sign_in(client, rp, AuthRequest(client_id=rp.client_id, scope="openid"))["id_token"],
        rp.client_id,
    )
    assert "departments" not in claims
    assert "roles" not in claims
    assert "name" not in claims


def test_discovery_document_names_the_endpoints(client, rp):
    for path in ("/.well-known/openid-configuration", "/sso/.well-known/openid-configuration"):
        document = client.get(path, secure=True).json()
        assert document["authorization_endpoint"].endswith("/sso/authorize/")
        assert document["token_endpoint"].endswith("/sso/token/")
        assert document["jwks_uri"].endswith("/sso/.well-known/jwks.json")
        assert document["end_session_endpoint"].endswith("/sso/logout/")
        assert document["response_types_supported"] == ["code"]
        assert "S256" in document["code_challenge_methods_supported"]
        assert "plain" not in document["code_challenge_methods_supported"]


def test_key_rotation_tokens_signed_with_the_previous_key_still_verify(client, rp, clerk, settings):
    login_staff(client, clerk)
    old_key = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    before = sign_in(client, rp)["id_token"]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": new_private_key(),
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [old_key],
    }
    after = sign_in(client, rp)["id_token"]
    assert jwt.get_unverified_header(before)["kid"] != jwt.get_unverified_header(after)["kid"]
    assert len(client.get("/sso/.well-known/jwks.json", secure=True).json()["keys"]) == 2
    assert verify(client, before, rp.client_id)["sub"] == verify(client, after, rp.client_id)["sub"]


def test_T_A5_a_password_only_staff_session_goes_through_the_authenticator_code_first(client, rp, clerk):
    client.force_login(
        get_user_model().objects.get(pk=clerk.id)
    )  # password step only: the second factor not passed in this session
    url = AuthRequest(client_id=rp.client_id).url()
    answer = client.get(url, secure=True)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/staff/login/?next=")
    assert answer["Location"].startswith("/staff/login/?next=/sso/authorize/%3F")


def test_T_A5_a_citizen_cannot_use_the_staff_sign_on(client, rp):
    citizen = CitizenFactory()
    client.force_login(citizen)
    answer = client.get(AuthRequest(client_id=rp.client_id).url(), secure=True)
    assert answer.status_code == 403
    assert AuditEvent.objects.filter(event="sso.authorize", result=AuditResult.DENIED).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uri": "https://evil.example/cb"},
        {"redirect_uri": REDIRECT + "/extra"},
        {"redirect_uri": REDIRECT.upper()},
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"client_id": "not-a-client"},
    ],
)
def test_T_A11_a_wrong_redirect_uri_or_missing_pkce_is_refused(client, rp, clerk, overrides):
    login_staff(client, clerk)
    answer = client.get(AuthRequest(client_id=rp.client_id).url(**overrides), secure=True)
    assert "evil.example" not in answer.get("Location", "")
    assert "code=" not in answer.get("Location", "")


def test_T_A11_a_code_is_redeemed_only_with_its_verifier_and_by_its_client(client, rp, clerk, security_admin):
    other = services.register_relying_party(
        actor_id=security_admin.id, name="另一系统", redirect_uris=[REDIRECT], scopes=["openid"]
    )
    login_staff(client, clerk)
    request = AuthRequest(client_id=rp.client_id)
    page = client.get(request.url(), secure=True)
    code, _state = code_from(
        client.post("/sso/authorize/", consent_form(page.content.decode()), secure=True)["Location"]
    )
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong_verifier = client.post(
        "/sso/token/",
        form | {"code_verifier": "x" * 64},
        HTTP_AUTHORIZATION=_basic(rp.client_id, rp.client_secret),
        secure=True,
    )
    assert wrong_verifier.status_code == 400
    another_client = client.post(
        "/sso/token/",
        form | {"code_verifier": request.verifier},
        HTTP_AUTHORIZATION=_basic(other.client_id, other.client_secret),
        secure=True,
    )
    assert another_client.status_code in {400, 401}


def test_a_switched_off_relying_party_signs_nobody_in(client, rp, clerk, security_admin):
    services.set_relying_party_active(
        actor_id=security_admin.id, relying_party_id=rp.relying_party_id, active=False
    )
    login_staff(client, clerk)
    answer = client.get(AuthRequest(client_id=rp.client_id).url(), secure=True)
    assert "code=" not in answer.get("Location", "")
    assert answer.status_code in {400, 200}
    assert "无法登录该系统" in answer.content.decode()


def test_rp_initiated_logout_ends_the_staff_session(client, rp, clerk):
    login_staff(client, clerk)
    id_token = sign_in(client, rp)["id_token"]
    answer = client.get(
        "/sso/logout/",
        {"id_token_hint": id_token, "post_logout_redirect_uri": POST_LOGOUT, "client_id": rp.client_id},
        secure=True,
    )
    assert answer.status_code == 302
    assert answer["Location"] == POST_LOGOUT
    assert "_auth_user_id" not in client.session


def test_the_exchange_clients_keep_only_the_exchange_scope(db, rp):
    app = Application.objects.create(
        name="exchange", client_type="confidential", authorization_grant_type="client-credentials"
    )
    from tongban.identity.validators import PlatformScopes

    assert PlatformScopes().get_available_scopes(app) == ["exchange"]
    assert set(PlatformScopes().get_available_scopes(Application.objects.get(client_id=rp.client_id))) == {
        "openid",
        "profile",
        "staff",
    }
    assert settings.OAUTH2_PROVIDER["OIDC_ENABLED"]


@pytest.fixture
def backchannel_receiver():
    """A relying party's back-channel endpoint: a real HTTP server on a free loopback port."""
    received: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/backchannel", received
    server.shutdown()


def test_logging_out_posts_a_signed_logout_token_to_the_relying_party_after_commit(
    client, security_admin, clerk, backchannel_receiver, django_capture_on_commit_callbacks
):
    uri, received = backchannel_receiver
    rp = services.register_relying_party(
        actor_id=security_admin.id,
        name="市档案馆 业务系统",
        redirect_uris=[REDIRECT],
        scopes=["openid", "staff"],
        backchannel_logout_uri=uri,
    )
    login_staff(client, clerk)
    sign_in(client, rp, AuthRequest(client_id=rp.client_id, scope="openid staff"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/logout/", secure=True)
    assert len(received) == 1
    token = parse_qs(received[0].decode())["logout_token"][0]
    claims = verify(client, token, rp.client_id)
    assert claims["sub"] == str(clerk.id)
    assert "http://schemas.openid.net/event/backchannel-logout" in claims["events"]
    assert not AccessToken.objects.filter(user_id=clerk.id).exists()
