"""Enterprise (legal person) registration: the service and the page."""

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from tongban.accounts.errors import InvalidDetailsError
from tongban.accounts.models import PhoneCode, User
from tongban.accounts.services import register_enterprise, request_phone_code
from tongban.accounts.tests.factories import ENTERPRISE_USCC, EnterpriseFactory

PHONE = "13700137000"
GOOD_PASSWORD = "Lantern-river-42"


def code_for(outbox, phone=PHONE):
    request_phone_code(phone=phone, purpose="register", client_ip="203.0.113.7")
    return outbox[-1].params["code"]


def answers(**overrides):
    return {
        "name": "云州市锦江区示例科技有限公司",
        "uscc": ENTERPRISE_USCC,
        "legal_representative": "李四",
        "phone": PHONE,
        "password": GOOD_PASSWORD,
        **overrides,
    }


def test_registration_creates_an_enterprise_account(db, outbox):
    assert register_enterprise(**answers(code=code_for(outbox))) is None
    user = User.objects.get()
    assert (user.kind, user.username, user.phone) == ("enterprise", PHONE, PHONE)
    assert (user.full_name, user.uscc, user.legal_representative) == (
        "云州市锦江区示例科技有限公司",
        "91990100MA5D123409",
        "李四",
    )
    assert (user.resident_id_hmac, user.resident_id_masked) == ("", "")
    assert check_password(GOOD_PASSWORD, user.password)


def test_a_uscc_typed_in_small_letters_is_stored_in_capitals(db, outbox):
    register_enterprise(**answers(uscc=ENTERPRISE_USCC.lower(), code=code_for(outbox)))
    assert User.objects.get().uscc == "91990100MA5D123409"


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91990100MA5D123408", "统一社会信用代码的校验位不正确，请核对"),
        ("91990100MA5D12340", "统一社会信用代码应为18位"),
        ("91990100MA5D1234O9", "统一社会信用代码只能包含数字和大写字母，不含I、O、S、V、Z"),
        ("", "请输入统一社会信用代码"),
        ("9" * 100_000, "统一社会信用代码应为18位"),
    ],
    ids=["check character", "17 characters", "letter O", "empty", "100 KB"],
)
def test_a_wrong_uscc_is_refused_with_its_message_and_nothing_is_written(db, outbox, uscc, message):
    code = code_for(outbox)
    with pytest.raises(InvalidDetailsError) as refused:
        register_enterprise(**answers(uscc=uscc, code=code))
    assert refused.value.field_errors == {"uscc": message}
    assert User.objects.count() == 0
    assert PhoneCode.objects.get().used_at is None


def test_every_missing_answer_gets_its_instruction(db):
    with pytest.raises(InvalidDetailsError) as refused:
        register_enterprise(name="", uscc="", legal_representative="", phone="", code="", password="")
    assert refused.value.field_errors == {
        "name": "请输入单位名称",
        "uscc": "请输入统一社会信用代码",
        "legal_representative": "请输入法定代表人姓名",
        "phone": "请输入手机号码",
        "code": "请输入短信验证码",
        "password": "请设置密码",
    }


def test_a_password_containing_the_uscc_is_refused(db, outbox):
    with pytest.raises(InvalidDetailsError) as refused:
        register_enterprise(**answers(password=f"a{ENTERPRISE_USCC}", code=code_for(outbox)))
    assert refused.value.field_errors == {"password": "密码不能包含“通办”、城市名称、手机号码或证件号码"}


def test_T_A2_a_registered_uscc_is_not_revealed_and_the_enterprise_is_told_by_sms(db, outbox):
    existing = EnterpriseFactory(username="13600136000")
    assert register_enterprise(**answers(code=code_for(outbox))) is None
    assert list(User.objects.values_list("pk", flat=True)) == [existing.pk]
    assert [(m.phone, m.template) for m in outbox] == [(PHONE, "phone_code"), ("13600136000", "uscc_reused")]


def test_registration_journey_without_javascript(client, db, outbox):
    sent = client.post(reverse("accounts:send_code"), {**answers(), "page": "enterprise"})
    assert sent.status_code == 200
    assert 'value="云州市锦江区示例科技有限公司"' in sent.content.decode()
    response = client.post(
        reverse("accounts:register_enterprise"), {**answers(), "code": outbox[-1].params["code"]}
    )
    assert (response.status_code, response["Location"]) == (302, "/account/login/")
    login_page = client.get(response["Location"]).content.decode()
    assert "注册信息已提交。如果贵单位是首次注册，现在可以用手机号码和密码登录" in login_page
    assert User.objects.get().kind == "enterprise"


def test_a_wrong_uscc_on_the_page_is_shown_next_to_its_field(client, db):
    response = client.post(
        reverse("accounts:register_enterprise"), {**answers(uscc="91990100MA5D123408"), "code": "123456"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert '<li><a href="#id_uscc">统一社会信用代码的校验位不正确，请核对</a></li>' in body
    assert (
        '<p class="error-message" id="id_uscc_error"><span class="visually-hidden">错误：</span>'
        "统一社会信用代码的校验位不正确，请核对</p>"
    ) in body


def test_choosing_the_account_kind(client, db):
    page = client.get(reverse("accounts:register")).content.decode()
    assert '<legend class="fieldset-legend"><h1>您要注册哪类账户</h1></legend>' in page
    assert (
        client.post(reverse("accounts:register"), {"kind": "citizen"})["Location"]
        == "/account/register/citizen/"
    )
    assert (
        client.post(reverse("accounts:register"), {"kind": "enterprise"})["Location"]
        == "/account/register/enterprise/"
    )
    refused = client.post(reverse("accounts:register"), {"kind": "staff"})
    assert refused.status_code == 400
    assert '<li><a href="#id_kind">请选择账户类型</a></li>' in refused.content.decode()
