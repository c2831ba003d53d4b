"""印发 under real concurrency: ten issues of one publication published at once get ten distinct
consecutive 期号 and 总期号 (PostgreSQL: the publication's row lock)."""

import threading

import pytest
from django.db import connection

from tongban.briefings.models import Issue
from tongban.briefings.services import issues
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_publications_get_ten_distinct_consecutive_numbers(
    reporter, market, editor, publication
):
    issue_ids = []
    for n in range(10):
        issue_ids.append(
            adopt_into_new_issue(editor, submit(reporter, market, publication, title=f"信息{n}"), publication)
        )
    start = threading.Barrier(len(issue_ids))
    failures: list[str] = []
    record = threading.Lock()

    def publish(issue_id: int) -> None:
        try:
            start.wait()
            try:
                issues.publish_issue(user_id=editor.id, issue_id=issue_id)
            except Exception as exc:  # anything fails the test below, with its name
                with record:
                    failures.append(repr(exc))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=publish, args=(issue_id,)) for issue_id in issue_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    numbers = list(Issue.objects.filter(pk__in=issue_ids).values_list("number", "total_number"))
    assert sorted(n for n, _total in numbers) == list(range(1, 11))
    assert sorted(total for _n, total in numbers) == list(range(1, 11))
