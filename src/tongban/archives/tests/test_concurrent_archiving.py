"""件号 under real concurrency: ten 件 archived at once in one group get 件号 1 to 10 (PostgreSQL: the
counter's row lock)."""

import threading

import pytest
from conftest import make_staff
from django.db import connection

from tongban.archives.models import ArchiveRecord
from tongban.archives.tests.helpers import archive
from tongban.organizations.tests.factories import DepartmentFactory


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_archivings_get_item_numbers_one_to_ten():
    department = DepartmentFactory()
    # A built-in role: a flushed database (transactional tests) has lost the seeded 档案管理员 row, and
    # archive_record leaves who may archive to its caller.
    archivist = make_staff("archivist", department, "department_admin")
    start = threading.Barrier(10)
    outcomes: list[str] = []
    record = threading.Lock()

    def archive_one(n: int) -> None:
        try:
            start.wait()
            try:
                outcome = archive(department, archivist, source=f"document:{n}")
            except Exception as exc:  # anything fails the test below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=archive_one, args=(n,)) for n in range(1, 11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [f"Z001-WS·2026-D30-BGS-{n:04d}" for n in range(1, 11)]
    assert sorted(ArchiveRecord.objects.values_list("item_number", flat=True)) == list(range(1, 11))
