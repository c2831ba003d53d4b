"""Replayed exchange writes (T-D4): an Idempotency-Key unique per client and a request-time window;
a duplicate gets the first answer and has no second effect."""

import datetime as dt

import time_machine
from django.core.management import call_command

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.sharing import services, tasks
from tongban.sharing.models import ExchangeRequest, UsageLogEntry
from tongban.sharing.tests.conftest import fetch_token, query

IN_GRANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
BODY = {"subject": CITIZEN_A_ID, "purpose": "marriage-registration", "case_ref": "HY2026-0001"}
KEY = "c1-HY2026-0001-query-1"


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_same_key_and_body_twice_gives_the_same_answer_and_one_row(client, c1):
    token = fetch_token(client, c1)
    first = query(client, token, key=KEY, **BODY)
    second = query(client, token, key=KEY, **BODY)
    assert first.status_code == second.status_code == 200
    assert (
        second.json()
        == first.json()
        == {
            "resource": "person.basic",
            "subject": "1101**********4514",
            "items": {"full_name": "张三", "gender": "男"},
            "usage_seq": 1,
        }
    )
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert UsageLogEntry.objects.count() == 1
    assert ExchangeRequest.objects.count() == 1


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_replayed_refusal_is_the_first_refusal_without_a_second_row(client, c2):
    token = fetch_token(client, c2)
    first = query(client, token, key=KEY, **BODY)
    second = query(client, token, key=KEY, **BODY)
    assert (first.status_code, second.status_code) == (403, 403)
    assert second.json() == first.json()
    assert first.json()["code"] == "not_granted"
    assert list(UsageLogEntry.objects.values_list("outcome", flat=True)) == ["refused"]


def test_T_D4_timestamp_older_than_five_minutes_is_400_with_no_effect(client, c1):
    with time_machine.travel(IN_GRANT, tick=False):
        token = fetch_token(client, c1)
        sent = int(IN_GRANT.timestamp())
        assert query(client, token, key=KEY, timestamp=sent, **BODY).status_code == 200
    with time_machine.travel(IN_GRANT + dt.timedelta(minutes=5, seconds=1), tick=False):
        replayed = query(client, token, key=KEY, timestamp=sent, **BODY)
        fresh_key = query(client, token, key="another-key-1", timestamp=sent, **BODY)
    for response in (replayed, fresh_key):
        assert response.status_code == 400
        assert response.json()["code"] == "stale_request"
        assert response.json()["detail"] == "请求时间与服务器时间相差超过 300 秒，请求已拒绝（防重放）"
        assert "张三" not in response.content.decode()
    assert UsageLogEntry.objects.count() == 1
    assert ExchangeRequest.objects.count() == 1


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_timestamp_from_the_future_or_missing_is_400(client, c1):
    token = fetch_token(client, c1)
    future = query(client, token, key=KEY, timestamp=int(IN_GRANT.timestamp()) + 301, **BODY)
    missing = query(client, token, key="another-key-1", timestamp="", **BODY)
    assert (future.status_code, future.json()["code"]) == (400, "stale_request")
    assert (missing.status_code, missing.json()["code"]) == (400, "timestamp_required")
    assert not UsageLogEntry.objects.exists()


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_write_without_an_idempotency_key_is_400(client, c1):
    token = fetch_token(client, c1)
    for key in ("", "short", "has space in it", "k" * 65):
        response = client.post(
            "/api/exchange/v1/resources/person.basic/query/",
            BODY,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_X_TIMESTAMP=str(int(IN_GRANT.timestamp())),
            **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}),
        )
        assert response.status_code == 400
        assert response.json()["code"] == "idempotency_key_required"
    assert not UsageLogEntry.objects.exists()
    assert not ExchangeRequest.objects.exists()


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_same_key_with_another_body_is_409_and_changes_nothing(client, c1):
    token = fetch_token(client, c1)
    assert query(client, token, key=KEY, **BODY).status_code == 200
    response = query(client, token, key=KEY, **{**BODY, "case_ref": "HY2026-0002"})
    assert response.status_code == 409
    assert response.json()["detail"] == "该 Idempotency-Key 已用于另一个请求，请为新请求使用新的标识"
    assert "张三" not in response.content.decode()
    assert list(UsageLogEntry.objects.values_list("case_ref", flat=True)) == ["HY2026-0001"]


@time_machine.travel(IN_GRANT, tick=False)
def test_T_D4_keys_are_unique_per_client_not_across_clients(client, c1, c2):
    first = query(client, fetch_token(client, c1), key=KEY, **BODY)
    other = query(client, fetch_token(client, c2), key=KEY, subject=CITIZEN_A_ID, purpose="文旅", case_ref="")
    assert (first.status_code, other.status_code) == (200, 403)
    assert UsageLogEntry.objects.count() == 2


def test_stored_answers_are_deleted_after_a_day_by_the_periodic_job(client, c1, settings):
    with time_machine.travel(IN_GRANT, tick=False):
        assert query(client, fetch_token(client, c1), key=KEY, **BODY).status_code == 200
    with time_machine.travel(IN_GRANT + dt.timedelta(hours=23, minutes=59), tick=False):
        assert services.purge_exchange_requests() == 0
    with time_machine.travel(IN_GRANT + dt.timedelta(hours=24, minutes=1), tick=False):
        assert tasks.purge_exchange_requests.delay().get() == 1
        assert services.purge_exchange_requests() == 0
    assert not ExchangeRequest.objects.exists()
    assert UsageLogEntry.objects.count() == 1
    assert (
        settings.CELERY_BEAT_SCHEDULE["purge-exchange-requests"]["task"] == tasks.purge_exchange_requests.name
    )
    call_command("verify_usage_log")
