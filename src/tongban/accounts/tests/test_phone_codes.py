"""SMS one-time codes: issue, quotas (T-K5), checks (T-A3)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tongban.accounts.errors import InvalidDetailsError, PhoneCodeError, RateLimitedError
from tongban.accounts.models import PhoneCode
from tongban.accounts.services import request_phone_code, verify_phone_code
from tongban.accounts.tests.factories import CitizenFactory
from tongban.accounts.types import CodeSent
from tongban.core.sms import SmsDeliveryError

PHONE = "13800138000"
IP = "203.0.113.7"
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def send(phone=PHONE, purpose="register", client_ip=IP):
    return request_phone_code(phone=phone, purpose=purpose, client_ip=client_ip)


def last_code(outbox):
    return outbox[-1].params["code"]


def other_code(code):
    return f"{(int(code) + 1) % 10**6:06d}"


class FailingBackend:
    def send(self, *, phone, template, params):
        raise SmsDeliveryError()

    def check(self):
        raise NotImplementedError


def test_a_register_code_is_six_random_digits_texted_to_the_phone_and_stored_only_as_a_hash(db, outbox):
    with time_machine.travel(START, tick=False):
        sent = send()
    assert sent == CodeSent(masked_phone="138****8000", valid_minutes=10)
    assert [(m.phone, m.template) for m in outbox] == [(PHONE, "phone_code")]
    code = last_code(outbox)
    assert len(code) == 6
    assert code.isdigit()
    assert outbox[0].text == f"您的验证码为{code}，10分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    row = PhoneCode.objects.get()
    assert (row.phone, row.purpose, row.attempts, row.used_at) == (PHONE, "register", 0, None)
    assert (row.created_at, row.expires_at) == (START, START + dt.timedelta(minutes=10))
    assert code not in row.code_hash
    assert len(row.code_hash) == 64


def test_full_width_digits_and_spaces_in_the_phone_are_accepted(db, outbox):
    send(phone="１３８ ００１３ ８０００")
    assert outbox[0].phone == PHONE


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "请输入手机号码"),
        ("1380013800", "手机号码应为以1开头的11位数字"),
        ("23800138000", "手机号码应为以1开头的11位数字"),
    ],
)
def test_a_malformed_phone_gets_no_code(db, outbox, phone, message):
    with pytest.raises(InvalidDetailsError) as refused:
        send(phone=phone)
    assert refused.value.field_errors == {"phone": message}
    assert outbox == []
    assert PhoneCode.objects.count() == 0


def test_the_right_code_is_accepted_once(db, outbox):
    send()
    verify_phone_code(phone=PHONE, purpose="register", code=last_code(outbox))
    assert PhoneCode.objects.get().used_at is not None


def test_T_A3_five_wrong_codes_kill_the_code_and_the_right_one_is_then_refused(db, outbox):
    send()
    code = last_code(outbox)
    for _ in range(5):
        with pytest.raises(PhoneCodeError) as wrong:
            verify_phone_code(phone=PHONE, purpose="register", code=other_code(code))
        assert wrong.value.message == "验证码不正确，请核对后重新输入"
    with pytest.raises(PhoneCodeError) as refused:
        verify_phone_code(phone=PHONE, purpose="register", code=code)
    assert refused.value.message == "验证码已失效，请重新获取"
    assert refused.value.field_errors == {"code": "验证码已失效，请重新获取"}
    row = PhoneCode.objects.get()
    assert (row.attempts, row.used_at) == (5, None)


def test_T_A3_a_code_used_after_ten_minutes_and_one_second_is_refused(db, outbox):
    with time_machine.travel(START, tick=False):
        send()
    with (
        time_machine.travel(START + dt.timedelta(minutes=10, seconds=1), tick=False),
        pytest.raises(PhoneCodeError) as refused,
    ):
        verify_phone_code(phone=PHONE, purpose="register", code=last_code(outbox))
    assert refused.value.message == "验证码已失效，请重新获取"
    assert PhoneCode.objects.get().used_at is None


def test_a_code_is_still_accepted_at_ten_minutes(db, outbox):
    with time_machine.travel(START, tick=False):
        send()
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        verify_phone_code(phone=PHONE, purpose="register", code=last_code(outbox))


def test_T_A3_a_used_code_is_refused_the_second_time(db, outbox):
    send()
    code = last_code(outbox)
    verify_phone_code(phone=PHONE, purpose="register", code=code)
    used_at = PhoneCode.objects.get().used_at
    with pytest.raises(PhoneCodeError) as refused:
        verify_phone_code(phone=PHONE, purpose="register", code=code)
    assert refused.value.message == "验证码已失效，请重新获取"
    assert PhoneCode.objects.get().used_at == used_at


def test_T_A3_a_register_code_is_refused_for_login(db, outbox):
    CitizenFactory(username=PHONE)
    send(purpose="register")
    code = last_code(outbox)
    with pytest.raises(PhoneCodeError) as refused:
        verify_phone_code(phone=PHONE, purpose="login", code=code)
    assert refused.value.message == "验证码已失效，请重新获取"
    row = PhoneCode.objects.get()
    assert (row.purpose, row.attempts, row.used_at) == ("register", 0, None)


def test_T_A3_a_code_is_refused_for_another_phone(db, outbox):
    send()
    with pytest.raises(PhoneCodeError):
        verify_phone_code(phone="13900139000", purpose="register", code=last_code(outbox))
    assert PhoneCode.objects.get().used_at is None


def test_a_new_code_replaces_the_previous_one(db, outbox, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr("tongban.accounts.services.codes.secrets.randbelow", lambda _n: next(codes))
    with time_machine.travel(START, tick=False):
        send()
    with time_machine.travel(START + dt.timedelta(seconds=61), tick=False):
        send()
        with pytest.raises(PhoneCodeError):
            verify_phone_code(phone=PHONE, purpose="register", code="111111")
        verify_phone_code(phone=PHONE, purpose="register", code="222222")


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "请输入短信验证码"), ("12345", "验证码应为6位数字"), ("12345a", "验证码应为6位数字")],
)
def test_a_malformed_code_is_not_counted_as_a_try(db, outbox, code, message):
    send()
    with pytest.raises(InvalidDetailsError) as refused:
        verify_phone_code(phone=PHONE, purpose="register", code=code)
    assert refused.value.field_errors == {"code": message}
    assert PhoneCode.objects.get().attempts == 0


def test_T_K5_a_second_code_within_sixty_seconds_is_refused_with_429(db, outbox):
    with time_machine.travel(START, tick=False):
        send()
    with (
        time_machine.travel(START + dt.timedelta(seconds=59), tick=False),
        pytest.raises(RateLimitedError) as refused,
    ):
        send()
    assert refused.value.status == 429
    assert refused.value.field_errors == {"phone": "获取验证码过于频繁，请60秒后再试"}
    assert len(outbox) == 1
    assert PhoneCode.objects.count() == 1
    with time_machine.travel(START + dt.timedelta(seconds=61), tick=False):
        send()
    assert len(outbox) == 2


def test_T_K5_the_eleventh_code_to_one_phone_in_a_day_is_refused_with_429(db, outbox):
    for minute in range(10):
        with time_machine.travel(START + dt.timedelta(minutes=2 * minute), tick=False):
            send(client_ip=f"203.0.113.{minute}")
    with (
        time_machine.travel(START + dt.timedelta(minutes=30), tick=False),
        pytest.raises(RateLimitedError) as refused,
    ):
        send(client_ip="198.51.100.1")
    assert refused.value.status == 429
    assert refused.value.message == "该手机号码今天获取验证码的次数已达上限，请明天再试"
    assert len(outbox) == 10
    assert PhoneCode.objects.count() == 10
    # The quota is per calendar day in Beijing time: 00:00 on 24 November is 16:00 UTC on the 23rd.
    with time_machine.travel(dt.datetime(2026, 11, 23, 16, 0, 1, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == dt.date(2026, 11, 24)
        send()
    assert len(outbox) == 11


def test_T_K5_one_address_asking_codes_for_many_phones_is_refused_with_429(db, outbox, settings):
    settings.TONGBAN_SMS_CODES_PER_IP_PER_HOUR = 3
    for n in range(3):
        send(phone=f"1390013900{n}")
    with pytest.raises(RateLimitedError) as refused:
        send(phone="13900139009")
    assert refused.value.message == "获取验证码的次数过多，请1小时后再试"
    assert len(outbox) == 3
    send(phone="13900139009", client_ip="198.51.100.1")
    assert len(outbox) == 4


def test_T_A2_a_login_code_for_an_unregistered_phone_is_answered_alike_but_not_sent(db, outbox):
    CitizenFactory(username="13900139000")
    registered = send(phone="13900139000", purpose="login")
    unregistered = send(phone="13800138000", purpose="login")
    assert (registered.valid_minutes, unregistered.valid_minutes) == (10, 10)
    assert [m.phone for m in outbox] == ["13900139000"]
    assert PhoneCode.objects.filter(purpose="login").count() == 2


def test_a_gateway_failure_stores_no_code(db, outbox, settings):
    settings.TONGBAN_SMS_BACKEND = "tongban.accounts.tests.test_phone_codes.FailingBackend"
    with pytest.raises(SmsDeliveryError) as refused:
        send()
    assert (refused.value.status, refused.value.message) == (503, "短信暂时无法发送，请稍后重试")
    assert PhoneCode.objects.count() == 0
