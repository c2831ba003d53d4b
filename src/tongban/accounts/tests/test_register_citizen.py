"""Citizen (natural person) registration: the service and the page."""

import logging
import re

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.urls import reverse

from tongban.accounts.errors import InvalidDetailsError, PhoneCodeError
from tongban.accounts.models import PhoneCode, User
from tongban.accounts.services import register_citizen, request_phone_code, resident_id_digest
from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID, CitizenFactory

PHONE = "13800138000"
GOOD_PASSWORD = "Lantern-river-42"


def code_for(outbox, phone=PHONE):
    request_phone_code(phone=phone, purpose="register", client_ip="203.0.113.7")
    return outbox[-1].params["code"]


def answers(**overrides):
    return {
        "full_name": "张三",
        "resident_id": CITIZEN_A_ID,
        "phone": PHONE,
        "password": GOOD_PASSWORD,
        **overrides,
    }


def test_registration_creates_a_citizen_who_logs_in_with_the_phone(db, outbox):
    code = code_for(outbox)
    assert register_citizen(**answers(code=code)) is None
    user = User.objects.get()
    assert (user.kind, user.username, user.phone, user.full_name) == ("citizen", PHONE, PHONE, "张三")
    assert user.resident_id_masked == "1101**********4514"
    assert user.resident_id_hmac == resident_id_digest(CITIZEN_A_ID)
    assert (user.uscc, user.legal_representative, user.is_staff) == ("", "", False)
    assert check_password(GOOD_PASSWORD, user.password)
    assert PhoneCode.objects.get().used_at is not None
    assert len(outbox) == 1  # the code only: no message tells a new account from an existing one


def test_T_M7_the_full_id_is_in_no_column_of_the_database(db, outbox):
    register_citizen(**answers(code=code_for(outbox)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user")
        rows = [" ".join(str(value) for value in row) for row in cursor.fetchall()]
        cursor.execute("SELECT * FROM accounts_phonecode")
        rows += [" ".join(str(value) for value in row) for row in cursor.fetchall()]
    assert len(rows) == 2
    assert not any(CITIZEN_A_ID in row or CITIZEN_A_ID[6:14] in row for row in rows)
    # Look-up by ID still works, through the keyed hash.
    assert User.objects.filter(resident_id_hmac=resident_id_digest(CITIZEN_A_ID)).count() == 1


def test_an_id_typed_with_full_width_digits_spaces_and_a_small_x_is_accepted(db, outbox):
    register_citizen(**answers(resident_id="１１０１０５ 19491231 002x", code=code_for(outbox)))
    user = User.objects.get()
    assert user.resident_id_masked == "1101**********002X"
    assert user.resident_id_hmac == resident_id_digest("11010519491231002X")


@pytest.mark.parametrize(
    ("resident_id", "message"),
    [
        ("110101199003074515", "身份证号码的校验位不正确，请核对"),
        ("11010119900307451", "身份证号码应为18位"),
        ("110101199002304514", "身份证号码中的出生日期不正确，请核对"),
        ("110101203001014514", "身份证号码中的出生日期不正确，请核对"),
        ("11010119900307451Y", "身份证号码的前17位应为数字，最后一位为数字或字母X"),
        ("", "请输入身份证号码"),
    ],
    ids=["check digit", "17 characters", "30 February", "born in 2030", "letter Y", "empty"],
)
def test_a_wrong_resident_id_is_refused_with_its_message_and_nothing_is_written(
    db, outbox, resident_id, message
):
    code = code_for(outbox)
    with pytest.raises(InvalidDetailsError) as refused:
        register_citizen(**answers(resident_id=resident_id, code=code))
    assert refused.value.field_errors == {"resident_id": message}
    assert User.objects.count() == 0
    assert PhoneCode.objects.get().used_at is None


def test_every_wrong_answer_gets_its_own_message_at_once(db):
    with pytest.raises(InvalidDetailsError) as refused:
        register_citizen(full_name=" ", resident_id="1101", phone="12345", code="", password="")
    assert refused.value.field_errors == {
        "full_name": "请输入姓名",
        "resident_id": "身份证号码应为18位",
        "phone": "手机号码应为以1开头的11位数字",
        "code": "请输入短信验证码",
        "password": "请设置密码",
    }
    assert refused.value.status == 400
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("tongban2026", "密码不能包含“通办”、城市名称、手机号码或证件号码"),
        ("TongBan-Secure-99", "密码不能包含“通办”、城市名称、手机号码或证件号码"),
        ("我在通办办事很方便啊", "密码不能包含“通办”、城市名称、手机号码或证件号码"),
        ("云州欢迎你2026abc", "密码不能包含“通办”、城市名称、手机号码或证件号码"),
        ("x13800138000y", "密码不能包含“通办”、城市名称、手机号码或证件号码"),
        ("Short-1", "密码至少需要10个字符"),
        ("password123", "这个密码太常见，容易被猜到，请换一个"),
        ("20261123987654", "密码不能全部是数字，请加入字母或符号"),
    ],
)
def test_T_A1_guessable_passwords_are_refused(db, outbox, password, message):
    code = code_for(outbox)
    with pytest.raises(InvalidDetailsError) as refused:
        register_citizen(**answers(password=password, code=code))
    assert refused.value.field_errors == {"password": message}
    assert User.objects.count() == 0


def test_a_wrong_code_creates_nothing_and_counts_a_try(db, outbox):
    code = code_for(outbox)
    with pytest.raises(PhoneCodeError) as refused:
        register_citizen(**answers(code=f"{(int(code) + 1) % 10**6:06d}"))
    assert refused.value.field_errors == {"code": "验证码不正确，请核对后重新输入"}
    assert User.objects.count() == 0
    assert PhoneCode.objects.get().attempts == 1


def test_a_login_code_does_not_register(db, outbox):
    CitizenFactory(username="13900139000", resident_id=CITIZEN_B_ID)
    request_phone_code(phone="13900139000", purpose="login", client_ip="203.0.113.7")
    with pytest.raises(PhoneCodeError):
        register_citizen(**answers(phone="13900139000", code=outbox[-1].params["code"]))
    assert User.objects.count() == 1


def test_T_A2_a_registered_id_is_not_revealed_and_its_owner_is_told_by_sms(db, outbox):
    owner = CitizenFactory(username="13900139000", resident_id=CITIZEN_A_ID)
    code = code_for(outbox)
    assert register_citizen(**answers(code=code)) is None
    assert list(User.objects.values_list("pk", flat=True)) == [owner.pk]
    assert [(m.phone, m.template) for m in outbox] == [
        (PHONE, "phone_code"),
        ("13900139000", "resident_id_reused"),
    ]
    assert outbox[-1].text == (
        "有人使用您的身份证号码申请注册云州市政务服务网账户，未予注册。您可以用本手机号码登录原账户；"
        "如非本人操作，请致电政务服务便民热线 12345。"
    )
    assert PhoneCode.objects.get().used_at is not None


def test_the_owner_of_a_registered_id_is_told_at_most_once_a_day(db, outbox):
    CitizenFactory(username="13900139000", resident_id=CITIZEN_A_ID)
    register_citizen(**answers(code=code_for(outbox)))
    register_citizen(**answers(phone="13700137000", code=code_for(outbox, phone="13700137000")))
    assert [m.template for m in outbox].count("resident_id_reused") == 1


def test_a_phone_with_an_account_is_named_once_the_code_proves_the_phone(db, outbox):
    CitizenFactory(username=PHONE, resident_id=CITIZEN_B_ID)
    code = code_for(outbox)
    with pytest.raises(InvalidDetailsError) as refused:
        register_citizen(**answers(code=code))
    assert refused.value.field_errors == {"phone": "该手机号码已注册，请直接登录"}
    assert User.objects.count() == 1
    assert PhoneCode.objects.get().used_at is None


# The page


def post_answers(client, **overrides):
    data = {**answers(), "code": "", **overrides}
    return client.post(reverse("accounts:register_citizen"), data)


def test_the_page_is_a_server_validated_form(client, db):
    body = client.get(reverse("accounts:register_citizen")).content.decode()
    assert "<title>个人用户注册 - 云州市政务服务网</title>" in body
    assert "novalidate" in body
    assert " required" not in body
    assert body.count('aria-required="true"') == 5
    assert '<a class="back-link" href="/account/register/">返回</a>' in body


def test_registration_journey_without_javascript(client, db, outbox):
    # 获取验证码: the same form, posted to the code URL, comes back with every answer kept.
    sent = client.post(reverse("accounts:send_code"), {**answers(), "code": "", "page": "citizen"})
    body = sent.content.decode()
    assert sent.status_code == 200
    assert '<p class="notice" role="status">验证码已发送至138****8000，10分钟内有效。</p>' in body
    assert 'value="张三"' in body
    assert f'value="{PHONE}"' in body
    assert 'name="code" aria-required="true" autocomplete="one-time-code"' in body
    assert "autofocus" in body
    assert GOOD_PASSWORD not in body
    # 注册
    response = post_answers(client, code=outbox[-1].params["code"])
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    login_page = client.get(response["Location"]).content.decode()
    assert "注册信息已提交。如果您是首次注册，现在可以用手机号码和密码登录" in login_page
    assert User.objects.get().username == PHONE


def test_T_A2_registering_a_registered_id_answers_exactly_like_a_new_registration(db, outbox):
    def register(phone):
        client = Client()
        client.post(reverse("accounts:send_code"), {**answers(phone=phone), "page": "citizen"})
        response = post_answers(client, phone=phone, code=outbox[-1].params["code"])
        return response.status_code, response["Location"], client.get(response["Location"]).content

    new = register("13800138000")
    again = register("13900139000")
    assert new[:2] == again[:2] == (302, "/account/login/")
    assert strip_tokens(new[2]) == strip_tokens(again[2])
    assert User.objects.count() == 1


def strip_tokens(body: bytes) -> bytes:
    # The CSRF token is masked afresh in every response; it says nothing about the account.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)


def test_errors_follow_the_error_pattern_and_keep_the_answers(client, db):
    response = post_answers(client, resident_id="110101199003074515", full_name="")
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>错误：个人用户注册 - 云州市政务服务网</title>" in body
    assert (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">'
        in body
    )
    assert '<h2 class="error-summary-title" id="error-summary-title">请修改以下问题</h2>' in body
    assert re.findall(r'<li><a href="(#id_\w+)">([^<]+)</a></li>', body) == [
        ("#id_full_name", "请输入姓名"),
        ("#id_resident_id", "身份证号码的校验位不正确，请核对"),
        ("#id_code", "请输入短信验证码"),
    ]
    assert (
        '<p class="error-message" id="id_resident_id_error"><span class="visually-hidden">错误：</span>'
        "身份证号码的校验位不正确，请核对</p>"
    ) in body
    assert 'aria-invalid="true" aria-describedby="id_resident_id_helptext id_resident_id_error"' in body
    assert 'value="110101199003074515"' in body
    assert User.objects.count() == 0


def test_T_A1_registering_with_password_tongban2026_is_refused_with_400(client, db, outbox):
    client.post(reverse("accounts:send_code"), {**answers(), "page": "citizen"})
    response = post_answers(client, password="tongban2026", code=outbox[-1].params["code"])
    assert response.status_code == 400
    assert "密码不能包含“通办”、城市名称、手机号码或证件号码" in response.content.decode()
    assert User.objects.count() == 0


def test_T_K3_a_100_kb_id_is_a_form_error_not_an_exception(client, db):
    response = post_answers(client, resident_id="1" * 100_000 + "!")
    assert response.status_code == 400
    assert '<li><a href="#id_resident_id">身份证号码应为18位</a></li>' in response.content.decode()
    assert User.objects.count() == 0


def test_T_M2_pages_handling_ids_hide_them_from_error_reports_and_logs(client, db, caplog, monkeypatch):
    monkeypatch.setattr("tongban.accounts.services.codes.secrets.randbelow", lambda _n: 111111)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("accounts:send_code"), {**answers(), "page": "citizen"})
        response = post_answers(client, code="999999")
    assert response.status_code == 400
    assert response.wsgi_request.sensitive_post_parameters == ("resident_id", "password", "code")
    assert CITIZEN_A_ID not in caplog.text
    assert PHONE not in caplog.text
    assert GOOD_PASSWORD not in caplog.text


def test_T_M1_no_id_or_phone_number_in_any_url_of_the_journey(client, db, outbox):
    urls = [reverse("accounts:register_citizen"), reverse("accounts:send_code")]
    client.post(urls[1], {**answers(), "page": "citizen"})
    response = post_answers(client, code=outbox[-1].params["code"])
    urls.append(response["Location"])
    assert not [url for url in urls if CITIZEN_A_ID in url or PHONE in url]


def test_pages_that_echo_an_id_are_never_cached(client, db):
    response = post_answers(client, resident_id="110101199003074515")
    assert "no-store" in response["Cache-Control"]
