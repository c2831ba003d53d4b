"""Staff login: password, then a code from an authenticator app (T-A1, T-A4, T-A5, T-A6)."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from conftest import PASSWORD
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tongban.accounts import services
from tongban.accounts.checks import staff_second_factor
from tongban.accounts.errors import TotpCodeError, TotpEnrolmentError
from tongban.accounts.models import StaffTotpDevice
from tongban.accounts.tests.factories import CitizenFactory, StaffFactory
from tongban.accounts.tests.helpers import login_staff, summary_errors, without_csrf_token

START = dt.datetime(2026, 11, 23, 9, 0, 10, tzinfo=dt.UTC)  # 17:00 in Beijing, 10 s into a 30-second step
ENROLLED_AT = START - dt.timedelta(minutes=10)
LOGIN = "/staff/login/"
VERIFY = "/staff/login/verify/"
INBOX = "/staff/tasks/"
WORKBENCH = "/staff/"
STAFF_API = "/api/v1/catalog/staff/items/"
IP = "203.0.113.7"
GENERIC = "用户名或密码不正确"
LOCKED = "该账户登录失败次数过多，请15分钟后再试"
WRONG_CODE = "验证码不正确或已使用，请输入身份验证器当前显示的6位数字"
MIDDLEWARE = "tongban.accounts.middleware.StaffSecondFactorMiddleware"


def code(secret: str, at: dt.datetime = START, *, steps: int = 0) -> str:
    """What the authenticator app shows at ``at`` (``steps`` time steps later)."""
    return pyotp.TOTP(secret).at(at, counter_offset=steps)


def wrong_code(secret: str, at: dt.datetime = START) -> str:
    valid = {code(secret, at, steps=steps) for steps in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in valid)


def log_in(client, username, password=PASSWORD, *, ip=IP, next_=""):
    return client.post(LOGIN, {"username": username, "password": password, "next": next_}, REMOTE_ADDR=ip)


def enter_code(client, value, *, ip=IP, next_=""):
    return client.post(VERIFY, {"code": value, "next": next_}, REMOTE_ADDR=ip)


def lands_on(client, path: str) -> str:
    """Where GET ``path`` ends up after its redirects."""
    return client.get(path, follow=True).redirect_chain[-1][0]


def secret_on_page(body: str) -> str:
    return re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', body)[1].replace(" ", "")


def device_of(user) -> StaffTotpDevice:
    return StaffTotpDevice.objects.get(user_id=user.id)


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def enrolled(staff):
    """The secret of ``staff``'s authenticator, bound 10 minutes before START."""
    with time_machine.travel(ENROLLED_AT, tick=False):
        secret = services.start_totp_enrolment(user_id=staff.pk).secret
        services.confirm_totp_enrolment(user_id=staff.pk, code=code(secret, ENROLLED_AT), client_ip=IP)
    return secret


def test_a_staff_member_binds_an_authenticator_at_the_first_login(client, staff):
    with time_machine.travel(START, tick=False):
        response = log_in(client, staff.username, next_=INBOX)
        assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next={INBOX}")
        assert "_auth_user_id" not in client.session
        body = client.get(response["Location"]).content.decode()
        secret = secret_on_page(body)
        uri = f"otpauth://totp/%E9%80%9A%E5%8A%9E:{staff.username}?secret={secret}&amp;issuer=%E9%80%9A%E5%8A%9E"
        assert uri in body
        assert "请在17:05前完成绑定" in body
        response = enter_code(client, code(secret), next_=INBOX)
        # Still at START: the session (12 hours) must not have expired by the time of the check.
        assert response["Location"] == INBOX
        assert client.session["_auth_user_id"] == str(staff.pk)
        assert client.session["staff_otp_verified"] == staff.pk
        assert client.get(INBOX).status_code == 200
    device = device_of(staff)
    assert (device.confirmed_at, device.last_used_step) == (START, int(START.timestamp()) // 30)


def test_the_secret_is_shown_in_groups_of_four(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
        body = client.get(VERIFY).content.decode()
    grouped = re.search(r'<code class="totp-secret">([^<]+)</code>', body)[1]
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", grouped)


def test_an_enrolled_staff_member_logs_in_with_the_code_of_the_moment(client, staff, enrolled):
    with time_machine.travel(START, tick=False):
        assert log_in(client, staff.username)["Location"] == VERIFY
        body = client.get(VERIFY).content.decode()
        assert "totp-secret" not in body
        assert enrolled not in body
        assert "请在17:05前输入" in body
        response = enter_code(client, code(enrolled))
        assert response["Location"] == WORKBENCH
        assert client.get(WORKBENCH).status_code == 200
        # The admin is for superusers (and catalog editors); this staff member is neither.
        assert client.get("/admin/").status_code == 404


def test_T_A4_the_secret_is_random_and_stored_encrypted_under_the_configured_key(staff, settings):
    first = services.start_totp_enrolment(user_id=staff.pk).secret
    second = services.start_totp_enrolment(user_id=staff.pk).secret
    stored = device_of(staff).encrypted_secret
    assert first != second
    assert second not in stored
    assert Fernet(settings.TONGBAN_TOTP_ENCRYPTION_KEY).decrypt(stored.encode()).decode() == second


def test_a_bound_authenticator_cannot_be_replaced_by_starting_again(staff, enrolled):
    before = device_of(staff)
    with pytest.raises(TotpEnrolmentError) as refusal:
        services.start_totp_enrolment(user_id=staff.pk)
    assert refusal.value.status == 409
    after = device_of(staff)
    assert (after.encrypted_secret, after.confirmed_at) == (before.encrypted_secret, before.confirmed_at)


def test_T_A4_totp_code_cannot_be_replayed(staff, enrolled):
    with time_machine.travel(START, tick=False):
        first = Client()
        log_in(first, staff.username)
        assert enter_code(first, code(enrolled))["Location"] == WORKBENCH
        first.post(reverse("accounts:logout"))
        second = Client()
        log_in(second, staff.username)
        response = enter_code(second, code(enrolled))
    assert response.status_code == 400
    assert summary_errors(response) == [WRONG_CODE]
    assert "_auth_user_id" not in second.session
    assert device_of(staff).last_used_step == int(START.timestamp()) // 30


def test_T_A4_a_code_from_two_steps_ago_is_refused(staff, enrolled):
    shown = code(enrolled, START)
    with time_machine.travel(START + dt.timedelta(seconds=60), tick=False), pytest.raises(TotpCodeError):
        services.verify_staff_totp(user_id=staff.pk, code=shown, client_ip=IP)
    assert device_of(staff).last_used_step == int(ENROLLED_AT.timestamp()) // 30


def test_a_code_one_step_either_side_of_the_server_clock_is_accepted(staff, enrolled):
    step = int(START.timestamp()) // 30
    with time_machine.travel(START, tick=False):
        services.verify_staff_totp(user_id=staff.pk, code=code(enrolled, steps=-1), client_ip=IP)
        assert device_of(staff).last_used_step == step - 1
        services.verify_staff_totp(user_id=staff.pk, code=code(enrolled, steps=1), client_ip=IP)
    assert device_of(staff).last_used_step == step + 1


def test_T_A4_a_code_older_than_the_last_one_used_is_refused(staff, enrolled):
    step = int(START.timestamp()) // 30
    with time_machine.travel(START, tick=False):
        services.verify_staff_totp(user_id=staff.pk, code=code(enrolled), client_ip=IP)
        with pytest.raises(TotpCodeError):
            services.verify_staff_totp(user_id=staff.pk, code=code(enrolled, steps=-1), client_ip=IP)
    assert device_of(staff).last_used_step == step


def test_T_A5_password_only_session_cannot_reach_staff_pages(client, staff, enrolled):
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
    assert lands_on(client, "/admin/") == f"{LOGIN}?next=/admin/"
    assert lands_on(client, INBOX) == f"{LOGIN}?next={INBOX}"
    # The admin's own login form, given the right password, sends to the staff login and logs nobody in.
    admin_login = Client()
    response = admin_login.post(
        "/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/staff/login/?next=/admin/")
    assert "_auth_user_id" not in admin_login.session
    assert lands_on(admin_login, "/admin/") == f"{LOGIN}?next=/admin/"


def test_T_A5_a_staff_session_started_any_other_way_reaches_nothing(client, editor):
    # As the admin's login form, an SSO callback or an impersonation tool would leave it: no second factor.
    client.force_login(get_user_model().objects.get(pk=editor.id))
    assert lands_on(client, "/admin/") == f"{LOGIN}?next=/admin/"
    assert lands_on(client, INBOX) == f"{LOGIN}?next={INBOX}"
    assert client.post(STAFF_API, data="{}", content_type="application/json").status_code == 403
    assert client.get("/account/")["Location"] == "/account/login/?next=/account/"
    login_staff(client, editor)
    assert client.get("/admin/").status_code == 200
    assert client.get(INBOX).status_code == 200
    assert client.post(STAFF_API, data="{}", content_type="application/json").status_code == 400


def login_routes() -> dict[str, str]:
    """Every route of the URLconf whose name says it logs someone in: name → path."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif pattern.name and "login" in pattern.name:
                found[namespace + pattern.name] = "/" + prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", "")
    return found


def test_T_A5_no_login_route_turns_a_staff_password_into_a_staff_session(editor):
    routes = login_routes()
    assert set(routes) == {
        "accounts:login",
        "accounts:login_code",
        "accounts:staff_login",
        "accounts:staff_login_verify",
        "admin:login",
    }
    answers = {"username": editor.username, "phone": editor.username, "password": PASSWORD, "code": "000000"}
    for path in routes.values():
        client = Client()
        client.post(path, answers, REMOTE_ADDR=IP)
        assert lands_on(client, INBOX) == f"{LOGIN}?next={INBOX}", path
        assert client.post(STAFF_API, data="{}", content_type="application/json").status_code == 403, path


def test_T_A6_session_key_rotates_after_second_factor(client, staff, enrolled):
    session = client.session
    session["elder_hint_seen"] = True
    session.save()
    anonymous = client.cookies[settings.SESSION_COOKIE_NAME].value
    with time_machine.travel(START, tick=False):
        after_password = log_in(client, staff.username).cookies[settings.SESSION_COOKIE_NAME].value
        after_code = enter_code(client, code(enrolled)).cookies[settings.SESSION_COOKIE_NAME].value
        assert len({anonymous, after_password, after_code}) == 3
        assert not Session.objects.filter(session_key__in=[anonymous, after_password]).exists()
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = after_password
        assert lands_on(replay, INBOX) == f"{LOGIN}?next={INBOX}"
        assert client.get(INBOX).status_code == 200  # still at START: the 12-hour session is valid


def test_T_A1_five_wrong_passwords_lock_a_staff_account_even_for_the_right_one(staff, enrolled):
    with time_machine.travel(START, tick=False):
        for n in range(5):
            wrong = log_in(Client(), staff.username, "Wrong-password-1", ip=f"198.51.100.{n}")
            assert summary_errors(wrong) == [GENERIC]
        right = log_in(Client(), staff.username, ip="198.51.100.6")
        wrong = log_in(Client(), staff.username, "Wrong-password-1", ip="198.51.100.7")
    assert right.status_code == wrong.status_code == 429
    assert summary_errors(right) == summary_errors(wrong) == [LOCKED]
    assert without_csrf_token(right.content) == without_csrf_token(wrong.content)
    later = START + dt.timedelta(minutes=15, seconds=1)
    with time_machine.travel(later, tick=False):
        client = Client()
        assert log_in(client, staff.username, ip="198.51.100.8")["Location"] == VERIFY
        assert enter_code(client, code(enrolled, later), ip="198.51.100.8")["Location"] == WORKBENCH


def test_T_A1_wrong_codes_count_towards_the_lock(staff, enrolled):
    with time_machine.travel(START, tick=False):
        client = Client()
        log_in(client, staff.username)
        for _ in range(4):
            assert summary_errors(enter_code(client, wrong_code(enrolled))) == [WRONG_CODE]
        refused = enter_code(client, code(enrolled))
        assert (refused.status_code, summary_errors(refused)) == (429, [LOCKED])
        assert summary_errors(log_in(Client(), staff.username)) == [LOCKED]
    assert "_auth_user_id" not in client.session
    assert device_of(staff).last_used_step == int(ENROLLED_AT.timestamp()) // 30


def test_T_A1_the_right_password_again_buys_no_more_code_guesses(staff, enrolled):
    with time_machine.travel(START, tick=False):
        client = Client()
        log_in(client, staff.username)
        for _ in range(3):
            enter_code(client, wrong_code(enrolled))
        assert log_in(client, staff.username)["Location"] == VERIFY
        refused = enter_code(client, wrong_code(enrolled))
    assert (refused.status_code, summary_errors(refused)) == (429, [LOCKED])


def test_T_A1_one_address_trying_many_staff_names_is_refused_with_429(db, settings):
    settings.TONGBAN_LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        assert log_in(Client(), f"staff_x{n}", "Wrong-password-1").status_code == 400
    refused = log_in(Client(), "staff_x9", "Wrong-password-1")
    assert (refused.status_code, summary_errors(refused)) == (429, ["登录失败次数过多，请15分钟后再试"])
    assert log_in(Client(), "staff_x9", "Wrong-password-1", ip="192.0.2.1").status_code == 400


def test_a_citizen_cannot_use_the_staff_login(db):
    citizen = CitizenFactory(username="13900139000")
    known = log_in(Client(), "13900139000")
    unknown = log_in(Client(), "13700137000")
    assert known.status_code == unknown.status_code == 400
    assert summary_errors(known) == [GENERIC]
    assert without_csrf_token(known.content).replace(b"13900139000", b"N") == without_csrf_token(
        unknown.content
    ).replace(b"13700137000", b"N")
    assert not StaffTotpDevice.objects.filter(user=citizen).exists()


def test_a_disabled_staff_account_gets_the_generic_message(db):
    disabled = StaffFactory(is_active=False)
    assert summary_errors(log_in(Client(), disabled.username)) == [GENERIC]


def test_the_code_must_come_within_5_minutes_of_the_password(client, staff, enrolled):
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username, next_=INBOX)
    late = START + dt.timedelta(minutes=5)
    with time_machine.travel(late, tick=False):
        response = enter_code(client, code(enrolled, late), next_=INBOX)
        assert response["Location"] == f"{LOGIN}?next={INBOX}"
        page = client.get(response["Location"]).content.decode()
    assert "输入验证码的时间已超过5分钟，请重新输入用户名和密码。" in page
    assert "_auth_user_id" not in client.session
    assert "staff_login_pending" not in client.session


def test_the_code_page_without_the_password_step_sends_to_the_login(client, db):
    assert client.get(VERIFY)["Location"] == LOGIN


def test_empty_and_malformed_answers_get_instructions(client, staff, enrolled):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert summary_errors(response) == ["请输入用户名", "请输入密码"]
    assert "<title>错误：工作人员登录 - 云州市政务服务网</title>" in response.content.decode()
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
        assert summary_errors(enter_code(client, "")) == ["请输入验证码"]
        assert summary_errors(enter_code(client, "12345")) == ["验证码应为6位数字"]
        # Typed on a Chinese keyboard: full-width digits and a space are fine.
        typed = code(enrolled).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        assert enter_code(client, f"{typed[:3]} {typed[3:]}")["Location"] == WORKBENCH


def test_login_returns_to_a_local_next_page_only(client, staff, enrolled):
    with time_machine.travel(START, tick=False):
        assert log_in(client, staff.username, next_="https://evil.example/")["Location"] == VERIFY
        assert enter_code(client, code(enrolled), next_="https://evil.example/")["Location"] == WORKBENCH


def test_the_staff_login_pages_are_never_cached(client, staff):
    assert "no-store" in client.get(LOGIN)["Cache-Control"]
    log_in(client, staff.username)
    assert "no-store" in client.get(VERIFY)["Cache-Control"]


def test_refusals_are_logged_by_id_and_address_never_by_name_or_code(staff, enrolled, caplog):
    with time_machine.travel(START, tick=False):
        client = Client()
        log_in(client, staff.username, "Wrong-password-1")
        log_in(client, staff.username)
        enter_code(client, wrong_code(enrolled))
    assert [r.getMessage() for r in caplog.records if r.name == "tongban.accounts.services.staff"] == [
        f"staff login refused: wrong password or not a staff account, from {IP}",
        f"staff login refused: wrong or used authenticator code for user {staff.pk}",
    ]


def test_an_administrator_removes_a_lost_authenticator_and_the_next_login_binds_a_new_one(
    client, staff, enrolled
):
    admin = StaffFactory(is_superuser=True)
    login_staff(client, admin)
    device = device_of(staff)
    listing = client.get(reverse("admin:accounts_stafftotpdevice_changelist")).content.decode()
    assert reverse("admin:accounts_stafftotpdevice_change", args=[device.pk]) in listing
    assert device.encrypted_secret not in listing
    client.post(reverse("admin:accounts_stafftotpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not StaffTotpDevice.objects.filter(user=staff).exists()
    with time_machine.travel(START, tick=False):
        other = Client()
        log_in(other, staff.username)
        assert secret_on_page(other.get(VERIFY).content.decode()) != enrolled


def test_the_deploy_check_wants_the_middleware_after_authentication_and_a_key(settings):
    assert staff_second_factor(None) == []
    wired = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = [name for name in wired if name != MIDDLEWARE]
    assert [problem.id for problem in staff_second_factor(None)] == ["accounts.E001"]
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    assert [problem.id for problem in staff_second_factor(None)] == ["accounts.E001"]
    settings.MIDDLEWARE = wired
    settings.TONGBAN_TOTP_ENCRYPTION_KEY = "not-a-fernet-key"
    assert [problem.id for problem in staff_second_factor(None)] == ["accounts.E002"]
