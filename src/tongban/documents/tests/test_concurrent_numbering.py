"""编号 under real concurrency (issue 15 "Must show"): 20 documents of one body numbered at once get 20
distinct consecutive numbers (PostgreSQL: the counter's row lock)."""

import threading

import pytest
from conftest import make_staff
from django.db import connection

from tongban.documents.models import DocumentNumber
from tongban.documents.services.numbering import assign_number
from tongban.documents.tests.factories import IssuingBodyFactory, OfficialDocumentFactory


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_sign_offs_get_twenty_distinct_consecutive_numbers():
    body = IssuingBodyFactory()
    # A built-in role (an administrator may number too): a flushed database (transactional tests) has
    # lost the seeded 文书人员 row.
    clerk = make_staff("doc_admin", body.department, "department_admin")
    document_ids = [OfficialDocumentFactory(signed_off=True, issuing_body=body).pk for _ in range(20)]
    start = threading.Barrier(len(document_ids))
    outcomes: list[str] = []
    record = threading.Lock()

    def number(document_id: int) -> None:
        try:
            start.wait()
            try:
                outcome = assign_number(document_id=document_id, user_id=clerk.id)
            except Exception as exc:  # anything fails the test below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=number, args=(document_id,)) for document_id in document_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=lambda n: int(n[len("云州府办〔2026〕") : -1])) == [
        f"云州府办〔2026〕{n}号" for n in range(1, 21)
    ]
    assert sorted(DocumentNumber.objects.values_list("sequence", flat=True)) == list(range(1, 21))
    assert DocumentNumber.objects.values("document_id").distinct().count() == 20
