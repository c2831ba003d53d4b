"""Portal login (password or SMS code), logout and the session (T-A1, T-A2, T-A3, T-A6, T-A7)."""

import datetime as dt
import secrets

import pytest
import time_machine
from conftest import PASSWORD
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tongban.accounts.services import request_phone_code
from tongban.accounts.tests.factories import CITIZEN_B_ID, CitizenFactory, EnterpriseFactory
from tongban.accounts.tests.helpers import summary_errors, without_csrf_token

PHONE = "13800138000"
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LOGIN = "/account/login/"
GENERIC = "手机号码或密码不正确"
LOCKED = "该手机号码登录失败次数过多，请15分钟后再试，或使用短信验证码登录"


def log_in(client, phone=PHONE, password=PASSWORD, ip="203.0.113.7", **extra):
    return client.post(LOGIN, {"phone": phone, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def citizen(db):
    return CitizenFactory(username=PHONE)


def test_a_citizen_logs_in_with_phone_and_password(client, citizen):
    response = log_in(client)
    assert (response.status_code, response["Location"]) == (302, "/account/")
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_an_enterprise_logs_in_with_phone_and_password(client, db):
    enterprise = EnterpriseFactory(username="13700137000")
    response = log_in(client, phone="13700137000")
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(enterprise.pk)


def test_login_returns_to_a_local_next_page_only(client, citizen):
    response = client.post(f"{LOGIN}?next=/account/", {"phone": PHONE, "password": PASSWORD})
    assert response["Location"] == "/account/"
    client.logout()
    response = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/account/"


def test_a_wrong_password_is_refused_with_the_generic_message(client, citizen):
    response = log_in(client, password="Wrong-password-1")
    assert response.status_code == 400
    assert summary_errors(response) == [GENERIC]
    assert "<title>错误：登录 - 云州市政务服务网</title>" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_answers_get_instructions(client, db):
    assert summary_errors(client.post(LOGIN, {"phone": "", "password": ""})) == [
        "请输入手机号码",
        "请输入密码",
    ]


def test_T_A2_a_phone_answers_byte_for_byte_the_same_before_and_after_it_has_an_account(db):
    before = log_in(Client(), password="Wrong-password-1")
    CitizenFactory(username=PHONE)
    after = log_in(Client(), password="Wrong-password-1")
    assert before.status_code == after.status_code == 400
    assert without_csrf_token(before.content) == without_csrf_token(after.content)
    assert sorted(before.headers.keys()) == sorted(after.headers.keys())


def test_T_A2_unknown_and_known_phones_get_the_same_page_but_for_the_number_typed(db):
    CitizenFactory(username="13900139000")
    known = log_in(Client(), phone="13900139000", password="Wrong-password-1")
    unknown = log_in(Client(), phone="13700137000", password="Wrong-password-1")
    assert known.status_code == unknown.status_code == 400
    assert without_csrf_token(known.content).replace(b"13900139000", b"N") == without_csrf_token(
        unknown.content
    ).replace(b"13700137000", b"N")


def test_staff_cannot_log_in_through_the_portal(client, db):
    CitizenFactory(username="13600136000", kind="staff", is_staff=True, resident_id=CITIZEN_B_ID)
    response = log_in(client, phone="13600136000")
    assert summary_errors(response) == [GENERIC]
    assert "_auth_user_id" not in client.session


def test_a_disabled_account_cannot_log_in(client, db):
    CitizenFactory(username=PHONE, is_active=False)
    assert summary_errors(log_in(client)) == [GENERIC]


def test_T_A1_five_failures_from_five_addresses_lock_the_account_even_for_the_right_password(db):
    CitizenFactory(username=PHONE)
    with time_machine.travel(START, tick=False):
        for n in range(5):
            assert summary_errors(log_in(Client(), password="Wrong-password-1", ip=f"198.51.100.{n}")) == [
                GENERIC
            ]
        right = log_in(Client(), ip="198.51.100.6")
        wrong = log_in(Client(), password="Wrong-password-1", ip="198.51.100.7")
    assert right.status_code == wrong.status_code == 429
    assert summary_errors(right) == summary_errors(wrong) == [LOCKED]
    assert without_csrf_token(right.content) == without_csrf_token(wrong.content)
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        client = Client()
        assert log_in(client, ip="198.51.100.8")["Location"] == "/account/"


def test_T_A1_an_unknown_phone_locks_exactly_like_a_known_one(db):
    for _ in range(5):
        log_in(Client(), password="Wrong-password-1")
    response = log_in(Client())
    assert (response.status_code, summary_errors(response)) == (429, [LOCKED])


def test_T_A1_one_address_trying_many_phones_is_refused_with_429(db, settings):
    settings.TONGBAN_LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        assert log_in(Client(), phone=f"1390013900{n}", password="Wrong-password-1").status_code == 400
    refused = log_in(Client(), phone="13900139009", password="Wrong-password-1")
    assert (refused.status_code, summary_errors(refused)) == (429, ["登录失败次数过多，请15分钟后再试"])
    assert (
        log_in(Client(), phone="13900139009", password="Wrong-password-1", ip="192.0.2.1").status_code == 400
    )


def test_T_N5_a_forged_forwarded_for_header_does_not_escape_the_address_limit(db, settings):
    settings.TONGBAN_LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        log_in(
            Client(), phone=f"1390013900{n}", password="Wrong-password-1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    refused = log_in(Client(), phone="13900139009", password="x", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429


def test_a_success_clears_the_failure_count(db):
    CitizenFactory(username=PHONE)
    for _ in range(4):
        log_in(Client(), password="Wrong-password-1")
    assert log_in(Client()).status_code == 302
    for _ in range(4):
        log_in(Client(), password="Wrong-password-1")
    assert log_in(Client()).status_code == 302


def test_T_A6_logging_in_gives_the_session_a_new_key(client, citizen):
    session = client.session
    session["elder_hint_seen"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = log_in(client)
    after = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = before
    assert replay.get("/account/")["Location"] == "/account/login/?next=/account/"


def test_T_A7_a_session_cookie_replayed_after_logout_is_anonymous(client, citizen):
    log_in(client)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/account/").status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert (response.status_code, response["Location"]) == (302, "/account/logged-out/")
    assert not Session.objects.filter(session_key=stolen).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert replay.get("/account/")["Location"] == "/account/login/?next=/account/"


def test_logout_asks_the_browser_to_forget_the_site_and_refuses_get(client, citizen):
    log_in(client)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "您已退出登录" in client.get(response["Location"]).content.decode()


def test_logout_needs_the_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert client.get("/account/").status_code == 200


# Login with an SMS code


def test_a_citizen_logs_in_with_an_sms_code_without_javascript(client, citizen, outbox):
    sent = client.post(reverse("accounts:send_code"), {"phone": PHONE, "page": "login"})
    assert "如果138****8000已注册，验证码已发送到这个号码，10分钟内有效。" in sent.content.decode()
    response = client.post(
        reverse("accounts:login_code"), {"phone": PHONE, "code": outbox[-1].params["code"]}
    )
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_T_A3_a_register_code_does_not_log_in(client, citizen, outbox):
    request_phone_code(phone=PHONE, purpose="register", client_ip="203.0.113.7")
    response = client.post(
        reverse("accounts:login_code"), {"phone": PHONE, "code": outbox[-1].params["code"]}
    )
    assert response.status_code == 400
    assert summary_errors(response) == ["验证码已失效，请重新获取"]
    assert "_auth_user_id" not in client.session


def test_T_A2_asking_a_login_code_answers_alike_for_unknown_phones(db, outbox):
    CitizenFactory(username="13900139000")
    known = Client().post(reverse("accounts:send_code"), {"phone": "13900139000", "page": "login"})
    unknown = Client().post(reverse("accounts:send_code"), {"phone": "13700137000", "page": "login"})
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_token(known.content).replace(b"13900139000", b"N").replace(
        b"139****9000", b"M"
    ) == without_csrf_token(unknown.content).replace(b"13700137000", b"N").replace(b"137****7000", b"M")
    assert [m.phone for m in outbox] == ["13900139000"]


def test_T_K5_a_second_code_request_within_a_minute_shows_429_on_the_page(client, citizen):
    client.post(reverse("accounts:send_code"), {"phone": PHONE, "page": "login"})
    response = client.post(reverse("accounts:send_code"), {"phone": PHONE, "page": "login"})
    assert response.status_code == 429
    assert summary_errors(response) == ["获取验证码过于频繁，请60秒后再试"]


def test_an_unknown_code_page_is_a_bad_request(client, db):
    assert client.post(reverse("accounts:send_code"), {"phone": PHONE, "page": "admin"}).status_code == 400


def test_wrong_login_codes_count_towards_the_address_limit(db, settings, outbox):
    settings.TONGBAN_LOGIN_FAILURES_PER_IP = 2
    CitizenFactory(username=PHONE)
    request_phone_code(phone=PHONE, purpose="login", client_ip="198.51.100.1")
    wrong = f"{(int(outbox[-1].params['code']) + 1) % 10**6:06d}"
    for _ in range(2):
        Client().post(
            reverse("accounts:login_code"), {"phone": PHONE, "code": wrong}, REMOTE_ADDR="203.0.113.7"
        )
    refused = Client().post(
        reverse("accounts:login_code"),
        {"phone": PHONE, "code": outbox[-1].params["code"]},
        REMOTE_ADDR="203.0.113.7",
    )
    assert (refused.status_code, summary_errors(refused)) == (429, ["登录失败次数过多，请15分钟后再试"])


def test_the_password_login_is_never_cached(client, db):
    assert "no-store" in log_in(client, password=secrets.token_urlsafe(12))["Cache-Control"]


def test_a_password_lock_leaves_login_by_sms_code_open(client, citizen, outbox):
    for n in range(5):
        log_in(Client(), password="Wrong-password-1", ip=f"198.51.100.{n}")
    assert log_in(Client()).status_code == 429
    request_phone_code(phone=PHONE, purpose="login", client_ip="203.0.113.7")
    response = client.post(
        reverse("accounts:login_code"), {"phone": PHONE, "code": outbox[-1].params["code"]}
    )
    assert response["Location"] == "/account/"
