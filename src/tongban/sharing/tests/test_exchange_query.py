"""The exchange API: deny by default, only granted items, purpose required, grants expire (T-D2, T-D3)."""

import datetime as dt

import time_machine
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID
from tongban.sharing import services
from tongban.sharing.models import UsageLogEntry
from tongban.sharing.tests.conftest import fetch_token, query

IN_GRANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D2_department_without_grant_gets_403_and_nothing(api, c2):
    response = api(c2, subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 403
    body = response.content.decode()
    assert "张三" not in body
    assert "items" not in response.json()
    assert response.json()["code"] == "not_granted"
    [row] = UsageLogEntry.objects.all()
    assert (row.outcome, row.department_name, row.item_names) == ("refused", "云州市文化广电旅游局", [])


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D2_conditional_grant_returns_only_granted_items(api, c1):
    response = api(c1, subject=CITIZEN_A_ID, purpose="marriage-registration", case_ref="HY2026-0001")
    assert response.status_code == 200
    assert response.json() == {
        "resource": "person.basic",
        "subject": "1101**********4514",
        "items": {"full_name": "张三", "gender": "男"},
        "usage_seq": 1,
    }
    assert "滨江路" not in response.content.decode()  # household_address was not granted
    [row] = UsageLogEntry.objects.all()
    assert (row.outcome, row.item_names, row.purpose, row.case_ref) == (
        "served",
        ["姓名", "性别"],
        "marriage-registration",
        "HY2026-0001",
    )


def test_T_D2_expired_grant_stops_working(client, c1):
    with time_machine.travel(dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC), tick=False):  # 23:00 in Beijing
        token = fetch_token(client, c1)
        assert query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration").status_code == 200
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 1, tzinfo=dt.UTC), tick=False):  # 2027-01-01 00:01
        token = fetch_token(client, c1)
        response = query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 403
    assert "张三" not in response.content.decode()
    assert list(UsageLogEntry.objects.values_list("outcome", flat=True)) == ["served", "refused"]


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D2_query_without_purpose_is_refused(api, c1):
    for body in ({"subject": CITIZEN_A_ID}, {"subject": CITIZEN_A_ID, "purpose": "  "}):
        response = api(c1, **body)
        assert response.status_code == 400
        assert response.json()["detail"] == "请说明数据用途（purpose）"
        assert "张三" not in response.content.decode()
    assert list(UsageLogEntry.objects.values_list("outcome", "purpose")) == [("refused", "")] * 2


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D2_purpose_outside_the_grant_is_refused(api, c1):
    response = api(c1, subject=CITIZEN_A_ID, purpose="tax-audit")
    assert response.status_code == 403
    assert "张三" not in response.content.decode()
    assert UsageLogEntry.objects.get().purpose == "tax-audit"


@time_machine.travel(IN_GRANT, tick=False)
def test_open_resource_serves_every_item_to_any_client(api, c2):
    response = api(c2, "person.credit", subject=CITIZEN_B_ID, purpose="文旅活动报名资格审查")
    assert response.status_code == 200
    assert response.json()["items"] == {
        "full_name": "李梅",
        "credit_records": [
            {
                "kind": "红名单",
                "title": "诚信纳税个人",
                "authority": "云州市税务局",
                "document_number": "云税红〔2026〕3号",
                "decided_on": "2026-03-01",
                "valid_until": "",
            }
        ],
    }


@time_machine.travel(IN_GRANT, tick=False)
def test_not_shared_resource_is_refused_with_its_legal_basis(api, c1):
    response = api(c1, "person.medical", subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 403
    assert "基本医疗卫生与健康促进法" in response.json()["detail"]


@time_machine.travel(IN_GRANT, tick=False)
def test_unknown_fields_and_bad_subjects_are_400(api, c1):
    assert api(c1, subject=CITIZEN_A_ID, purpose="marriage-registration", items=["all"]).status_code == 400
    response = api(c1, subject="110101199003074515", purpose="marriage-registration")  # wrong check digit
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_subject"


def test_T_D3_no_token_or_a_session_is_401(client, c1, admin_client):
    url = reverse("exchange-query", args=["person.basic"])
    assert client.post(url, {"subject": CITIZEN_A_ID}, content_type="application/json").status_code == 401
    assert (
        admin_client.post(url, {"subject": CITIZEN_A_ID}, content_type="application/json").status_code == 401
    )
    assert not UsageLogEntry.objects.exists()


def test_T_D3_token_past_its_expiry_is_refused(client, c1):
    with time_machine.travel(IN_GRANT, tick=False):
        token = fetch_token(client, c1)
    with time_machine.travel(IN_GRANT + dt.timedelta(seconds=601), tick=False):
        response = query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 401
    assert not UsageLogEntry.objects.exists()


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D3_disabled_client_token_stops_on_the_next_call(client, c1):
    token = fetch_token(client, c1)
    assert query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration").status_code == 200
    services.disable_client(client_id=c1.client_pk)
    assert query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration").status_code == 401
    bad = {"grant_type": "client_credentials"}
    assert client.post(reverse("exchange-token"), bad, HTTP_AUTHORIZATION="Basic eDp5").status_code == 401


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D5_client_past_its_rate_gets_429(client, c1, settings):
    settings.TONGBAN_EXCHANGE_RATE = "3/min"
    token = fetch_token(client, c1)
    statuses = [
        query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration").status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert UsageLogEntry.objects.count() == 3
