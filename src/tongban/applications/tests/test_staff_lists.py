"""待办 and 已办 a page at a time (keyset), and the hot staff pages' query counts (issue 18)."""

import datetime as dt

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.selectors import list_rows_by_ids
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import submitted_applications
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.selectors import open_tasks_of

NOON = dt.datetime(2026, 11, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def submit(department, publish_item):
    """submit(n) → n applications waiting for 受理, all submitted at the same instant (ties)."""
    citizen = ensure_user(username="13800000009", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)

    def _submit(n: int) -> list[int]:
        with time_machine.travel(NOON, tick=False):
            return submitted_applications(applicant_id=citizen.id, item=item, count=n)

    return _submit


def _task(application_id: int):
    [task] = open_tasks_of(subject_of(application_id))
    return task


def _pages(selector, user_id: int) -> list[list]:
    pages, after = [], ""
    while True:
        page = selector(user_id, after=after)
        pages.append([t.pk for t in page])
        if not page.next_cursor:
            return pages
        after = page.next_cursor


def test_the_inbox_pages_through_tasks_with_equal_times_without_duplicates_or_gaps(
    clerk, submit, monkeypatch
):
    monkeypatch.setattr(workflow_selectors, "TASK_PAGE_SIZE", 2)
    task_ids = [_task(a).id for a in submit(5)]

    pages = _pages(workflow_selectors.inbox_tasks, clerk.id)

    # Same due date and arrival time: the id orders them, each exactly once.
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [t for p in pages for t in p] == sorted(task_ids)


def test_the_done_list_pages_newest_first_through_ties(clerk, submit, monkeypatch):
    monkeypatch.setattr(workflow_selectors, "TASK_PAGE_SIZE", 2)
    task_ids = [_task(a).id for a in submit(5)]
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        for task_id in task_ids:
            services.handle_task(task_id=task_id, staff_id=clerk.id, action="accept", opinion="予以受理")

    pages = _pages(workflow_selectors.done_tasks, clerk.id)

    assert [len(p) for p in pages] == [2, 2, 1]
    assert [t for p in pages for t in p] == sorted(task_ids, reverse=True)


def test_a_malformed_cursor_reads_the_first_page(clerk, submit):
    task_ids = [_task(a).id for a in submit(2)]
    assert [t.pk for t in workflow_selectors.inbox_tasks(clerk.id, after="nonsense~x~y")] == sorted(task_ids)
    assert list(workflow_selectors.done_tasks(clerk.id, after="2026-11-04~bad~1")) == []


def test_more_opens_the_next_rows_as_a_page_and_with_htmx_as_rows_only(client, clerk, submit, monkeypatch):
    monkeypatch.setattr(workflow_selectors, "TASK_PAGE_SIZE", 2)
    ids = submit(3)
    numbers = {pk: row.number for pk, row in list_rows_by_ids(set(ids)).items()}
    order = sorted(ids, key=lambda a: _task(a).id)  # the inbox order of tasks with equal times
    login_staff(client, clerk)

    first = client.get(reverse("applications:staff_inbox"))
    body = first.content.decode()
    assert [numbers[a] in body for a in order] == [True, True, False]
    more = first.context["more_url"]
    assert more
    assert f'href="{more.replace("&", "&amp;")}"' in body

    second = client.get(reverse("applications:staff_inbox") + more)
    assert [numbers[a] in second.content.decode() for a in order] == [False, False, True]
    assert second.context["more_url"] == ""
    assert 'href="?">回到列表开头' in second.content.decode()
    assert "<html" in second.content.decode()

    rows = client.get(reverse("applications:staff_inbox") + more, headers={"HX-Request": "true"})
    assert rows.templates[0].name == "core/_more_rows.html"
    assert numbers[order[2]] in rows.content.decode()
    assert "<html" not in rows.content.decode()


# Query counts, measured (before issue 18: 待办 19, 已办 14, task page 38, handling 36); each test
# renders several rows so that a query per row would exceed them. 待办: session, user, the page's
# principals and roles, the UNION of ids, the rows, their cases, departments, roles, what to sign,
# the calendar, and the navigation's counts (待办, 抄送, 待阅; issue 16 adds 信息待阅, 通知公告 and 会议).
# Issue 19: one more for the rows' 一件事 (applications.case_groups).
INBOX_QUERIES = 23
DONE_QUERIES = 18


def test_the_inbox_costs_the_same_queries_for_three_rows_as_for_six(
    client, clerk, submit, django_assert_max_num_queries
):
    login_staff(client, clerk)
    for n in (3, 3):
        submit(n)
        with django_assert_max_num_queries(INBOX_QUERIES):
            response = client.get(reverse("applications:staff_inbox"))
        assert len(response.context["rows"]) in (3, 6)


def test_the_done_list_costs_the_same_queries_for_three_rows_as_for_six(
    client, clerk, submit, django_assert_max_num_queries
):
    login_staff(client, clerk)
    for n in (3, 3):
        for application_id in submit(n):
            services.handle_task(
                task_id=_task(application_id).id, staff_id=clerk.id, action="accept", opinion="予以受理"
            )
        with django_assert_max_num_queries(DONE_QUERIES):
            response = client.get(reverse("applications:staff_inbox") + "?tab=done")
        assert len(response.context["rows"]) in (3, 6)
        assert all(row.can_withdraw for row in response.context["rows"])


@pytest.fixture
def reviewed(department, submit):
    """A case at 决定 after 受理 and 审查 (its process record has lines), and its approver."""
    clerk = make_staff("clerk_a", department, role="clerk")
    reviewer = make_staff("reviewer_a", department, role="reviewer")
    approver = make_staff("approver_a", department, role="approver")
    [application_id] = submit(1)
    services.handle_task(
        task_id=_task(application_id).id, staff_id=clerk.id, action="accept", opinion="予以受理"
    )
    services.handle_task(
        task_id=_task(application_id).id, staff_id=reviewer.id, action="pass", opinion="符合条件"
    )
    return application_id, approver


TASK_PAGE_QUERIES = 39  # issue 16: the navigation's 信息待阅, 通知公告 and 会议 counts; issue 19: the 一件事
HANDLE_TASK_QUERIES = (
    34  # issue 20: each audit row is a link of a hash chain (lock the head, insert, move it)
)


def test_the_task_page_queries_are_pinned(client, reviewed, django_assert_max_num_queries):
    application_id, approver = reviewed
    login_staff(client, approver)
    task = _task(application_id)
    client.get(reverse("applications:staff_task", args=[task.id]))  # caches (snapshot, outline) warm
    with django_assert_max_num_queries(TASK_PAGE_QUERIES):
        response = client.get(reverse("applications:staff_task", args=[task.id]))
    assert response.status_code == 200
    assert len(response.context["record"]) >= 3


def test_handling_a_task_through_the_page_has_its_queries_pinned(
    client, reviewed, django_assert_max_num_queries
):
    application_id, approver = reviewed
    login_staff(client, approver)
    task = _task(application_id)
    client.get(reverse("applications:staff_task", args=[task.id]))
    with django_assert_max_num_queries(HANDLE_TASK_QUERIES):
        response = client.post(
            reverse("applications:staff_task", args=[task.id]), {"action": "approve", "opinion": "同意"}
        )
    assert response.status_code == 302
    assert _task(application_id).step == "close"
