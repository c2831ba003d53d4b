"""Two app nodes appending at once: the chain-head row lock keeps one gap-free chain (PostgreSQL)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.sharing import services
from tongban.sharing.models import UsageLogEntry


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_T_E2_concurrent_queries_append_one_gap_free_chain(resources, c2):
    subject = services.subject_from_identifier(CITIZEN_A_ID)
    workers, per_worker = 8, 5
    start = threading.Barrier(workers)
    failures: list[str] = []
    record = threading.Lock()

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_worker):
                try:
                    services.query_resource(
                        client_id=c2.client_pk,
                        resource_code="person.credit",
                        subject=subject,
                        purpose="并发测试",
                    )
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
    assert list(UsageLogEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, workers * per_worker + 1)
    )
    call_command("verify_usage_log")
