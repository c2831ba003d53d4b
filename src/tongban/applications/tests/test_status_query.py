"""办件查询 without login: number + the applicant's ID number; no enumeration; rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tongban.accounts.selectors import user_id_with_resident_id
from tongban.accounts.services import register_citizen, request_phone_code
from tongban.applications import services
from tongban.applications.tests.factories import draft_with_materials
from tongban.core.sms.backends import locmem

RESIDENT_ID = "110101199003074514"
URL = "/status/"


@pytest.fixture(autouse=True)
def _setup(clamd, settings):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    settings.TONGBAN_RESIDENT_ID_HMAC_KEY = "test-only-resident-id-key-0123456789abcdef"
    cache.clear()
    locmem.outbox.clear()


@pytest.fixture
def receipt(department, publish_item):
    request_phone_code(phone="13800138000", purpose="register", client_ip="127.0.0.1")
    code = locmem.outbox[-1].params["code"]
    register_citizen(
        full_name="张三",
        resident_id=RESIDENT_ID,
        phone="13800138000",
        code=code,
        password="Lotus-river-2026-q",
    )
    applicant_id = user_id_with_resident_id(RESIDENT_ID)
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=applicant_id, item=item)
    return services.submit_application(application_id=application_id, applicant_id=applicant_id)


def test_number_and_id_show_the_status(client, receipt):
    response = client.post(URL, {"number": receipt.number, "resident_id": RESIDENT_ID})
    body = response.content.decode()
    assert response.status_code == 200
    assert "待预审" in body
    assert RESIDENT_ID not in body


def test_T_A2_wrong_id_and_wrong_number_give_the_same_answer(client, receipt):
    wrong_id = client.post(URL, {"number": receipt.number, "resident_id": "441900198506151235"})
    wrong_number = client.post(URL, {"number": "YZ2026010100000000", "resident_id": RESIDENT_ID})
    assert wrong_id.status_code == wrong_number.status_code == 404
    assert "没有找到符合条件的办件" in wrong_id.content.decode()
    assert "没有找到符合条件的办件" in wrong_number.content.decode()


def test_T_M1_query_is_a_post_and_ids_never_go_in_the_url(client, receipt):
    page = client.get(URL).content.decode()
    assert 'method="post"' in page
    assert (
        client.get(URL, {"number": receipt.number, "resident_id": RESIDENT_ID})
        .content.decode()
        .count("待预审")
        == 0
    )


def test_queries_are_rate_limited_per_address(client, receipt):
    for _ in range(20):
        client.post(URL, {"number": "YZ0", "resident_id": RESIDENT_ID})
    response = client.post(URL, {"number": receipt.number, "resident_id": RESIDENT_ID})
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
    assert reverse("applications:status_query") == URL
