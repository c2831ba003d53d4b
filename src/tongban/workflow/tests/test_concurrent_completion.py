"""Real concurrency on PostgreSQL: ten people complete one task at once (T-H2), and a withdraw races
the next person's claim; each time exactly one wins."""

import threading
from functools import partial

import pytest
from conftest import make_staff
from django.db import connection

from tongban.workflow import countersign, services
from tongban.workflow.errors import TaskConflict
from tongban.workflow.models import Signer, WorkTask
from tongban.workflow.tests.helpers import accept_intake, joint_decide


def _race(*attempts) -> list[str]:
    """Run the attempts at the same moment, each on its own connection; their outcomes in order."""
    barrier = threading.Barrier(len(attempts))
    outcomes = ["?"] * len(attempts)

    def run(index: int) -> None:
        try:
            barrier.wait()
            try:
                attempts[index]()
                outcomes[index] = "won"
            except TaskConflict:
                outcomes[index] = "conflict"
            except Exception as exc:  # anything else fails the caller's assertion, with its name
                outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_T_H2_ten_concurrent_completions_of_one_task_have_one_winner(department):
    clerks = [make_staff(f"clerk{n}", department, "clerk") for n in range(10)]
    started = services.start_instance(
        definition_key="standard", subject="case:race", department_id=department.pk, data={}
    )
    [accept] = started.opened
    complete = partial(
        services.complete_task,
        task_id=accept.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    )

    outcomes = _race(*(partial(complete, user_id=clerk.id) for clerk in clerks))

    assert sorted(outcomes) == ["conflict"] * 9 + ["won"]
    assert WorkTask.objects.filter(instance__subject="case:race", name="审查").count() == 1
    assert WorkTask.objects.get(pk=accept.id).status == "completed"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_withdraw_racing_the_next_claim_has_exactly_one_winner(department):
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    for round_number in range(5):
        started = services.start_instance(
            definition_key="standard", subject=f"case:w{round_number}", department_id=department.pk, data={}
        )
        [accept] = started.opened
        [review] = accept_intake(accept.id, clerk.id)
        outcomes = _race(
            partial(services.withdraw_task, task_id=accept.id, user_id=clerk.id),
            partial(services.claim_task, task_id=review.id, user_id=reviewer.id),
        )
        assert sorted(outcomes) == ["conflict", "won"], outcomes


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_or_sign_signatures_at_once_have_one_deciding_winner(department):
    """或签: four approvers sign at the same moment; the first decides, the others are told."""
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    approvers = [make_staff(f"approver{n}", department, "approver") for n in range(4)]
    services.upload_definition(key="joint", data=joint_decide("any"), uploaded_by_id=clerk.id)
    [accept] = services.start_instance(
        definition_key="joint", subject="case:or", department_id=department.pk, data={}
    ).opened
    [review] = accept_intake(accept.id, clerk.id)
    [decide] = services.complete_task(
        task_id=review.id, user_id=reviewer.id, action="pass", action_label="审查通过", opinion="", data={}
    ).opened

    outcomes = _race(
        *(
            partial(countersign.sign_task, task_id=decide.id, user_id=a.id, approve=True, opinion="同意")
            for a in approvers
        )
    )

    assert sorted(outcomes) == ["conflict"] * 3 + ["won"], outcomes
    assert WorkTask.objects.filter(instance__subject="case:or", name="办结").count() == 1
    assert sorted(Signer.objects.filter(task_id=decide.id).values_list("status", flat=True)) == [
        "approved",
        "void",
        "void",
        "void",
    ]
