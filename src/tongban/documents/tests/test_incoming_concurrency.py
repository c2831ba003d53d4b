"""登记 under concurrency (PostgreSQL): ten clerks registering at once get ten consecutive 收文号."""

import threading

import pytest
from django.db import connection

from tongban.documents.models import ReceivedDocument
from tongban.documents.tests.incoming_helpers import office, register, signed_for


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_numbers():
    o = office()
    copies = [signed_for(o) for _ in range(10)]
    barrier = threading.Barrier(len(copies))
    failures: list[BaseException] = []

    def job(received) -> None:
        try:
            barrier.wait()
            register(o, received)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job, args=(r,)) for r in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    numbers = ReceivedDocument.objects.filter(pk__in=[r.pk for r in copies]).values_list(
        "registration_number", flat=True
    )
    sequences = sorted(int(n.split("〕")[1].removesuffix("号")) for n in numbers)
    assert sequences == list(range(1, 11))
