"""The authenticator binding page shows the otpauth:// link as a QR code, and the secret as text."""

import re

import pytest
import time_machine

from tongban.accounts.tests.factories import StaffFactory
from tongban.accounts.tests.test_staff_login import START, VERIFY, log_in, secret_on_page
from tongban.core.qr import qr_modules
from tongban.core.tests.test_qr import drawn_modules


@pytest.fixture
def staff(db):
    return StaffFactory(username="staff_a1")


def test_the_binding_page_shows_the_link_as_a_qr_code(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
        body = client.get(VERIFY).content.decode()
    secret = secret_on_page(body)
    uri = f"otpauth://totp/%E9%80%9A%E5%8A%9E:staff_a1?secret={secret}&issuer=%E9%80%9A%E5%8A%9E"
    [svg] = re.findall(r"<svg .*?</svg>", body)
    assert 'role="img" aria-label="绑定身份验证器的二维码"' in svg
    drawn = drawn_modules(svg)
    assert [row[4:-4] for row in drawn[4:-4]] == qr_modules(uri)
    assert re.search(r'<code class="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', body)


def test_the_code_page_of_an_enrolled_account_shows_no_qr_code(client, staff):
    from tongban.accounts import services
    from tongban.accounts.tests.test_staff_login import ENROLLED_AT, IP, code

    with time_machine.travel(ENROLLED_AT, tick=False):
        secret = services.start_totp_enrolment(user_id=staff.pk).secret
        services.confirm_totp_enrolment(user_id=staff.pk, code=code(secret, ENROLLED_AT), client_ip=IP)
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
        body = client.get(VERIFY).content.decode()
    assert "<svg" not in body
