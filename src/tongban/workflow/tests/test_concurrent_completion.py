"""T-H2 under real concurrency: ten people complete one task at once; exactly one wins (PostgreSQL)."""

import threading

import pytest
from conftest import make_staff
from django.db import connection

from tongban.workflow import services
from tongban.workflow.errors import TaskConflict
from tongban.workflow.models import WorkTask


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_T_H2_ten_concurrent_completions_of_one_task_have_one_winner(department):
    clerks = [make_staff(f"clerk{n}", department, "clerk") for n in range(10)]
    started = services.start_instance(
        definition_key="standard", subject="case:race", department_id=department.pk, data={}
    )
    [accept] = started.opened
    barrier = threading.Barrier(len(clerks))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(user_id: int) -> None:
        try:
            barrier.wait()
            try:
                services.complete_task(
                    task_id=accept.id,
                    user_id=user_id,
                    action="accept",
                    action_label="受理",
                    opinion="",
                    data={"accepted": True},
                )
                outcome = "done"
            except TaskConflict:
                outcome = "conflict"
            except Exception as exc:  # anything else fails the assertion below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(clerk.id,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 9 + ["done"]
    assert WorkTask.objects.filter(instance__subject="case:race", name="审查").count() == 1
    assert WorkTask.objects.get(pk=accept.id).status == "completed"
