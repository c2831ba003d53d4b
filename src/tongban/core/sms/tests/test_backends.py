"""Every SMS backend that runs here, through the one entry point ``send_sms``."""

import logging

import pytest

from tongban.core.sms import SmsTemplate, get_backend, send_sms
from tongban.core.sms.backends import locmem
from tongban.core.sms.backends.console import ConsoleBackend
from tongban.core.sms.masking import mask_phone

CODE = SmsTemplate(name="phone_code", text="您的验证码为%(code)s，%(minutes)s分钟内有效。")
CONSOLE = "tongban.core.sms.backends.console.ConsoleBackend"
LOCMEM = "tongban.core.sms.backends.locmem.LocmemBackend"


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


def test_locmem_backend_keeps_the_filled_message_in_the_outbox(settings):
    settings.TONGBAN_SMS_BACKEND = LOCMEM
    send_sms("13800138000", CODE, {"code": "042917", "minutes": "10"})
    assert locmem.outbox == [
        locmem.SentSms(
            phone="13800138000",
            template="phone_code",
            params={"code": "042917", "minutes": "10"},
            text="您的验证码为042917，10分钟内有效。",
        )
    ]


def test_console_backend_in_development_logs_the_code_and_a_masked_phone(settings, caplog):
    settings.TONGBAN_SMS_BACKEND = CONSOLE
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="tongban.sms"):
        send_sms("13800138000", CODE, {"code": "042917", "minutes": "10"})
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("tongban.sms", logging.INFO, "SMS to 138****8000 [phone_code]: 您的验证码为042917，10分钟内有效。")
    ]


def test_T_M2_console_backend_outside_development_logs_neither_code_nor_phone(settings, caplog):
    settings.TONGBAN_SMS_BACKEND = CONSOLE
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="tongban.sms"):
        send_sms("13800138000", CODE, {"code": "042917", "minutes": "10"})
    assert "042917" not in caplog.text
    assert "13800138000" not in caplog.text
    assert [r.getMessage() for r in caplog.records] == [
        "SMS to 138****8000 [phone_code] not sent: the console backend sends nothing outside DEBUG"
    ]


def test_console_backend_reports_itself_unhealthy_outside_development(settings):
    settings.DEBUG = False
    status = ConsoleBackend().check()
    assert (status.ok, status.detail) == (False, "console backend outside DEBUG: no message is delivered")
    settings.DEBUG = True
    assert ConsoleBackend().check().ok is True


def test_the_setting_picks_the_backend(settings):
    settings.TONGBAN_SMS_BACKEND = LOCMEM
    assert type(get_backend()) is locmem.LocmemBackend
    assert get_backend().check().ok is True
    del settings.TONGBAN_SMS_BACKEND
    assert type(get_backend()) is ConsoleBackend


@pytest.mark.parametrize(
    ("phone", "masked"), [("13800138000", "138****8000"), ("1380013800", "***"), ("", "***")]
)
def test_phone_numbers_are_masked_to_their_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked
