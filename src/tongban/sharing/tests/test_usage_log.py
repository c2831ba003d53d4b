"""The usage log's hash chain and its verifier (T-E1, T-E2), and fail-closed logging (T-E4)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.sharing import services
from tongban.sharing.models import ExchangeRequest, UsageChainHead, UsageLogEntry
from tongban.sharing.usage_log import HASHED_FIELDS, genesis, row_hash

IN_GRANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def five_rows(c1, other_department):
    client_pk = c1.client_pk
    with time_machine.travel(IN_GRANT, tick=True):
        for n in range(5):
            services.query_resource(
                client_id=client_pk,
                resource_code="person.basic",
                subject=services.subject_from_identifier(CITIZEN_A_ID),
                purpose="marriage-registration",
                case_ref=f"HY2026-{n:04d}",
            )
    assert list(UsageLogEntry.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_usage_log")
    return str(failure.value)


def test_intact_chain_verifies(five_rows, capsys):
    call_command("verify_usage_log")
    assert "共 5 条" in capsys.readouterr().out


def test_rows_link_to_their_predecessor(five_rows):
    rows = list(UsageLogEntry.objects.order_by("seq"))
    assert rows[0].prev_hash == "0" * 64
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    head = UsageChainHead.objects.get()
    assert (head.seq, head.hash) == (5, rows[-1].hash)


def test_T_E1_edited_row_is_named_by_the_verifier(five_rows):
    with connection.cursor() as cursor:  # as a DB superuser would, around the application
        cursor.execute("UPDATE sharing_usagelogentry SET purpose = 'x' WHERE seq = 3")
    assert "第 3 条" in verify_fails()
    assert "被修改" in verify_fails()


def test_T_E1_edited_timestamp_or_items_is_detected(five_rows):
    UsageLogEntry.objects.filter(seq=2).update(item_names=["姓名"])
    assert "第 2 条" in verify_fails()


def test_T_E2_deleted_row_is_detected_at_the_next_one(five_rows):
    UsageLogEntry.objects.filter(seq=3).delete()
    assert "第 4 条" in verify_fails()


def test_T_E2_deleted_tail_is_detected_against_the_head(five_rows):
    UsageLogEntry.objects.filter(seq__gte=4).delete()
    assert "第 4 条" in verify_fails()


def test_T_E2_swapped_rows_are_detected(five_rows):
    two, three = UsageLogEntry.objects.get(seq=2), UsageLogEntry.objects.get(seq=3)
    UsageLogEntry.objects.filter(pk=two.pk).update(seq=-2)
    UsageLogEntry.objects.filter(pk=three.pk).update(seq=2)
    UsageLogEntry.objects.filter(pk=two.pk).update(seq=3)
    assert "第 2 条" in verify_fails()


def test_T_E2_inserted_row_is_detected(five_rows):
    last = UsageLogEntry.objects.get(seq=5)
    UsageLogEntry.objects.filter(seq=5).update(seq=6)
    forged = UsageLogEntry.objects.get(seq=6)
    forged.pk, forged.seq, forged.hash, forged.purpose = None, 5, "f" * 64, "forged"
    forged.save()
    assert last.seq == 5
    assert "第 5 条" in verify_fails()


@pytest.fixture
def broken_log_insert(db):
    """A trigger refuses every insert into the log, as a full disk or revoked grant would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_usage_log() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'usage log down'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_usage_log BEFORE INSERT ON sharing_usagelogentry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_usage_log()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_usage_log BEFORE INSERT ON sharing_usagelogentry "
                "BEGIN SELECT RAISE(ABORT, 'usage log down'); END"
            )


@time_machine.travel(IN_GRANT, tick=False)
def test_T_E4_query_answers_503_without_data_when_the_log_cannot_be_written(
    api, c1, broken_log_insert, caplog
):
    response = api(c1, subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 503
    assert "张三" not in response.content.decode()
    assert response.json()["code"] == "log_unavailable"
    assert "usage log append failed" in caplog.text
    assert not UsageLogEntry.objects.exists()
    assert UsageChainHead.objects.filter(seq__gt=0).count() == 0
    assert not ExchangeRequest.objects.exists()  # not kept: a retry with the same key may succeed


@pytest.fixture
def two_chains(five_rows):
    """Chain 1 from the five queries, and a chain 2 of three rows as a second writer would have added
    (built directly: on SQLite every append uses chain 1)."""
    prev = genesis(2)
    for seq, row in enumerate(UsageLogEntry.objects.filter(chain=1, seq__lte=3), start=1):
        row.pk, row.chain, row.seq, row.prev_hash = None, 2, seq, prev
        row.hash = row_hash(prev, {name: getattr(row, name) for name in HASHED_FIELDS})
        row.save()
        prev = row.hash
    UsageChainHead.objects.create(pk=2, seq=3, hash=prev)


def test_every_chain_is_verified(two_chains, capsys):
    call_command("verify_usage_log")
    assert "共 8 条" in capsys.readouterr().out


def test_T_E1_edited_row_in_a_second_chain_is_named_with_its_chain(two_chains):
    UsageLogEntry.objects.filter(chain=2, seq=2).update(purpose="x")
    assert "第 2 链第 2 条有问题：内容与哈希不符" in verify_fails()


def test_T_E2_deleted_row_or_tail_in_a_second_chain_is_detected(two_chains):
    UsageLogEntry.objects.filter(chain=2, seq=3).delete()
    assert "第 2 链第 3 条有问题：链头为第 3 条，记录只到第 2 条" in verify_fails()
    UsageLogEntry.objects.filter(chain=2).delete()
    assert "第 2 链第 1 条有问题：链头为第 3 条，记录只到第 0 条" in verify_fails()


def test_T_E2_row_moved_to_another_chain_breaks_both(two_chains):
    UsageLogEntry.objects.filter(chain=2, seq=3).update(chain=1, seq=6)
    assert "第 1 链第 6 条有问题：与上一条记录的哈希不衔接" in verify_fails()
