"""接入系统管理: the 安全管理员 registers the department systems (issue 20)."""

from __future__ import annotations

import pytest
from conftest import make_staff
from oauth2_provider.models import Application

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.identity import services
from tongban.identity.models import RelyingParty
from tongban.identity.tests.flows import REDIRECT

PAGE = "/staff/sso/clients/"
FORM = {"name": "市档案馆 业务系统", "redirect_uris": REDIRECT, "scopes": ["openid", "staff"]}


@pytest.fixture
def security_admin(department):
    return make_staff("sec_admin", department, role="security_admin")


def test_the_security_admin_registers_a_system_and_sees_its_secret_once(client, security_admin):
    login_staff(client, security_admin)
    answer = client.post(PAGE, FORM)
    assert answer.status_code == 200
    secret = answer.context["new_client"].client_secret
    assert secret in answer.content.decode()
    rp = RelyingParty.objects.select_related("application").get()
    assert rp.application.redirect_uris == REDIRECT
    assert rp.allowed_scopes == "openid staff"
    assert rp.application.client_secret != secret  # stored hashed
    assert secret not in client.get(PAGE).content.decode()
    assert AuditEvent.objects.filter(event="sso.client_registered", actor_id=security_admin.id).exists()


def test_a_retried_registration_is_a_form_error_not_a_second_system(client, security_admin):
    login_staff(client, security_admin)
    client.post(PAGE, FORM)
    answer = client.post(PAGE, FORM)
    assert answer.status_code == 400
    assert "已有同名的接入系统" in answer.content.decode()
    assert RelyingParty.objects.count() == 1
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"redirect_uris": "http://archives.example.gov.cn/cb"}, "回调地址须以 https:// 开头"),
        ({"redirect_uris": ""}, "请至少填写一个回调地址"),
        ({"scopes": ["staff"]}, "授权范围须包含 openid"),
        ({"name": ""}, "请输入系统名称"),
    ],
)
def test_bad_registrations_are_form_errors(client, security_admin, change, message):
    login_staff(client, security_admin)
    answer = client.post(PAGE, FORM | change)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not RelyingParty.objects.exists()


def test_switching_a_system_off_and_on_is_audited(client, security_admin):
    new = services.register_relying_party(
        actor_id=security_admin.id, name="系统", redirect_uris=[REDIRECT], scopes=["openid"]
    )
    login_staff(client, security_admin)
    client.post(f"/staff/sso/clients/{new.relying_party_id}/active/", {"active": "0"})
    assert not RelyingParty.objects.get().is_active
    client.post(f"/staff/sso/clients/{new.relying_party_id}/active/", {"active": "1"})
    assert RelyingParty.objects.get().is_active
    assert AuditEvent.objects.filter(event__in=["sso.client_disabled", "sso.client_enabled"]).count() == 2


@pytest.mark.parametrize("role", ["city_admin", "audit_admin", "clerk"])
def test_other_staff_cannot_open_or_post_the_page(client, department, role):
    other = make_staff(f"other_{role}", department, role=role)
    login_staff(client, other)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, FORM).status_code == 404
    assert not RelyingParty.objects.exists()


def test_the_demo_relying_party_loads_once(db):
    services.load_demo_relying_party()
    services.load_demo_relying_party()
    rp = RelyingParty.objects.get()
    assert rp.application.client_id == services.DEMO_CLIENT_ID
    assert rp.application.redirect_uris.startswith("https://localhost")
