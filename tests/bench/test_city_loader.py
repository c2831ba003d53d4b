"""The city benchmark's loader (bench/city/loader.py) at a tiny size: counts and states it produces.

Guards the loader against schema changes: a new column, table or constraint that the cloning breaks
fails here rather than on the next `make bench`.
"""

import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.models import Application
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.catalog.models import ServiceItem
from tongban.sharing import usage_log
from tongban.workflow.models import ProcessInstance, WorkTask
from tongban.workflow.selectors import open_tasks_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from city import loader
from city.sizes import Sizes

PHONE_BASE = 13900000000


def _submitted(citizen_id: int, item) -> int:
    application_id = draft_with_materials(
        applicant_id=citizen_id, item=item, answers={"address": "滨江路1号"}
    )
    services.submit_application(application_id=application_id, applicant_id=citizen_id)
    return application_id


def _step(application_id: int, staff, step: str, action: str, **extra) -> None:
    [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
    services.handle_task(task_id=task.id, staff_id=staff.id, action=action, opinion="同意", **extra)


@pytest.fixture
def templates(department, publish_item):
    """Two cases waiting for 受理 (open) and one closed as approved (done), by the services."""
    item = publish_item(department)
    staff = {
        role: make_staff(f"bench_{role}", department, role=role) for role in ("clerk", "reviewer", "approver")
    }
    citizen = ensure_user(
        username=str(PHONE_BASE),
        phone=str(PHONE_BASE),
        full_name="压测市民",
        kind="citizen",
        password="x" * 12,
    )
    open_ids = [_submitted(citizen.id, item) for _ in range(2)]
    done = _submitted(citizen.id, item)
    _step(done, staff["clerk"], "accept", "accept")
    _step(done, staff["reviewer"], "review", "pass")
    _step(done, staff["approver"], "decide", "approve")
    _step(done, staff["clerk"], "close", "close")
    _step(done, staff["clerk"], "deliver", "deliver", delivery_method="electronic")
    return SimpleNamespace(open_ids=open_ids, done_ids=[done], citizens=[citizen.id])


@pytest.mark.django_db
def test_the_loader_clones_cases_items_citizens_and_a_valid_usage_log(templates):
    sizes = Sizes("test", applications=12, open_tasks=4, citizens=3, catalogue_items=3, usage_log=30)
    before_tasks = WorkTask.objects.filter(status="open").count()

    rounds = loader.load_city(
        sizes=sizes, templates=templates, timings=loader.Timings(), phone_base=PHONE_BASE
    )

    # 2 open templates × 2 rounds + 1 done template × 8 rounds, on top of the 3 templates.
    assert rounds == {"open_rounds": 2, "done_rounds": 8, "item_rounds": 2}
    states = Counter(Application.objects.values_list("status", "result"))
    assert states == {("submitted", ""): 2 + 4, ("closed", "approved"): 1 + 8}
    assert WorkTask.objects.filter(status="open").count() == before_tasks + 4
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 15
    assert all(n and n[:-8] == numbers[0][:-8] for n in numbers)
    # Round r moved r days back (done cases: rounds 3-10), each case's dates together.
    first = Application.objects.get(pk=templates.done_ids[0])
    cases = Application.objects.filter(status="closed")
    days = sorted(round((first.submitted_at - a.submitted_at).total_seconds() / 86400) for a in cases)
    assert days == [0, *range(3, 11)]
    # (SQLite keeps the moved times to the millisecond.)
    lengths = {round((a.closed_at - a.submitted_at).total_seconds(), 2) for a in cases}
    assert lengths == {round((first.closed_at - first.submitted_at).total_seconds(), 2)}
    # Each case has its own workflow instance, named after the cloned application.
    subjects = set(ProcessInstance.objects.values_list("subject", flat=True))
    assert subjects == {subject_of(pk) for pk in Application.objects.values_list("pk", flat=True)}
    # The cloned cases belong to the cloned citizens, who log in with the template's password.
    applicants = set(
        Application.objects.exclude(pk__in=[*templates.open_ids, *templates.done_ids]).values_list(
            "applicant__username", flat=True
        )
    )
    assert applicants <= {str(PHONE_BASE + loader.CITIZEN_CLONE_OFFSET + n) for n in (1, 2, 3)}
    assert ServiceItem.objects.count() == 3
    assert len(set(ServiceItem.objects.values_list("implementation_code", flat=True))) == 3
    assert usage_log.verify() == (30, None)
