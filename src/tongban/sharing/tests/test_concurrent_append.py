"""Several app nodes appending at once (PostgreSQL): each writer locks a free chain head, so writers do
not queue on one row, and every chain stays gap-free and verifiable (T-E2)."""

import threading
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.sharing import services
from tongban.sharing.models import UsageChainHead, UsageLogEntry

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _query(client_pk: int) -> int:
    return services.query_resource(
        client_id=client_pk,
        resource_code="person.credit",
        subject=services.subject_from_identifier(CITIZEN_A_ID),
        purpose="并发测试",
    ).usage_seq


@pytest.mark.django_db(transaction=True)
def test_T_E2_concurrent_queries_append_gap_free_chains_that_verify(resources, c2):
    workers, per_worker = 8, 5
    start = threading.Barrier(workers)
    failures: list[str] = []
    record = threading.Lock()

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_worker):
                try:
                    _query(c2.client_pk)
                except Exception as exc:  # anything fails the test below, with its name
                    with record:
                        failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    seqs: dict[int, list[int]] = defaultdict(list)
    for chain, seq in UsageLogEntry.objects.order_by("chain", "seq").values_list("chain", "seq"):
        seqs[chain].append(seq)
    assert sum(len(chain_seqs) for chain_seqs in seqs.values()) == workers * per_worker
    assert all(chain_seqs == list(range(1, len(chain_seqs) + 1)) for chain_seqs in seqs.values())
    call_command("verify_usage_log")


@pytest.mark.django_db(transaction=True)
def test_a_writer_skips_a_chain_head_another_holds_and_a_forgery_there_is_named(resources, c2):
    assert _query(c2.client_pk) == 1  # chain 1, nobody else writing
    holding, release = threading.Event(), threading.Event()

    def hold_chain_1() -> None:
        try:
            with transaction.atomic():
                UsageChainHead.objects.select_for_update().get(pk=1)
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_chain_1)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        assert _query(c2.client_pk) == 1  # did not wait: first row of chain 2
        assert _query(c2.client_pk) == 2
    finally:
        release.set()
        holder.join()
    assert list(UsageLogEntry.objects.values_list("chain", "seq")) == [(1, 1), (2, 1), (2, 2)]
    call_command("verify_usage_log")

    UsageLogEntry.objects.filter(chain=2, seq=1).update(purpose="x")
    with pytest.raises(Exception, match="第 2 链第 1 条有问题：内容与哈希不符"):
        call_command("verify_usage_log")
