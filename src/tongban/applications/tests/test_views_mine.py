"""我的办件: the applicant's applications a page at a time (keyset), with "more" for htmx and without
JavaScript, in a fixed number of queries."""

import datetime as dt
import itertools
import re

import pytest
from conftest import PASSWORD
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.applications.models import Application, ApplicationStatus
from tongban.applications.selectors import MINE_PAGE_SIZE, applications_page_of
from tongban.catalog.selectors import version_snapshot

MINE = reverse("applications:mine")
NUMBERS = itertools.count(1)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


@pytest.fixture
def citizen_client(client, citizen):
    client.login(username="citizen_a", password=PASSWORD)
    return client


@pytest.fixture
def items(department, publish_item):
    return [publish_item(department, name=f"事项{n}") for n in range(3)]


def make_applications(applicant_id, items, count, *, created_at=None):
    department_id = version_snapshot(items[0].version_id).department_id
    """``count`` applications of the applicant over the items, drafts and finished ones mixed; all
    created at ``created_at`` when given (rows sharing a timestamp)."""
    statuses = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.CLOSED]
    rows = []
    for n in range(count):
        item = items[n % len(items)]
        status = statuses[n % len(statuses)]
        rows.append(
            Application(
                item_id=item.item_id,
                item_version_id=item.version_id,
                department_id=department_id,
                applicant_id=applicant_id,
                applicant_name="张三",
                status=status,
                number=None if status == ApplicationStatus.DRAFT else f"YZ{next(NUMBERS):08d}",
                submitted_at=None if status == ApplicationStatus.DRAFT else timezone.now(),
            )
        )
    created = Application.objects.bulk_create(rows)
    ids = [a.pk for a in created]
    if created_at is not None:
        Application.objects.filter(pk__in=ids).update(created_at=created_at)
    return ids


def listed_ids(html: str) -> list[int]:
    """The applications a page lists, in order (each row links to its form or progress page)."""
    return [int(i) for i in re.findall(r'href="/applications/(\d+)/(?:form/|correction/)?"', html)]


def more_url(html: str) -> str | None:
    found = re.search(r'<p id="mine-more"><a href="([^"]+)"', html)
    return found[1].replace("&amp;", "&") if found else None


def newest_first(applicant_id):
    return list(
        Application.objects.filter(applicant_id=applicant_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )


def test_pages_follow_each_other_without_gaps_or_repeats(citizen_client, citizen, items):
    make_applications(citizen.id, items, MINE_PAGE_SIZE + 5)
    first = citizen_client.get(MINE).content.decode()
    assert len(listed_ids(first)) == MINE_PAGE_SIZE
    next_url = more_url(first)
    assert next_url is not None

    second = citizen_client.get(MINE + next_url).content.decode()  # without JavaScript: a whole page

    assert "<html" in second
    assert "回到最新的办件" in second
    assert more_url(second) is None  # the last page
    assert listed_ids(first) + listed_ids(second) == newest_first(citizen.id)


def test_rows_sharing_a_timestamp_are_neither_repeated_nor_skipped(citizen, items):
    """The order is (created_at, id) descending: a page boundary inside a run of equal timestamps
    continues by id."""
    same = timezone.now() - dt.timedelta(days=1)
    make_applications(citizen.id, items, 7, created_at=same)
    make_applications(citizen.id, items, 2)  # newer ones before them

    seen, after = [], ""
    while True:
        page = applications_page_of(citizen.id, after=after, size=3)
        seen += [a.pk for a in page.applications]
        if not page.next_cursor:
            break
        after = page.next_cursor

    assert seen == newest_first(citizen.id)
    assert len(seen) == 9


def test_more_with_htmx_answers_the_next_rows_only(citizen_client, citizen, items):
    make_applications(citizen.id, items, MINE_PAGE_SIZE + 2)
    next_url = more_url(citizen_client.get(MINE).content.decode())

    partial = citizen_client.get(MINE + next_url, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in partial
    assert '<tbody id="mine-rows">' in partial
    assert listed_ids(partial) == newest_first(citizen.id)[MINE_PAGE_SIZE:]
    assert '<p id="mine-more"></p>' in partial  # replaces the link: nothing more to show


def test_a_malformed_cursor_shows_the_first_page(citizen_client, citizen, items):
    make_applications(citizen.id, items, 3)
    for bad in ("x", "12-", "-3", "9" * 40 + "-1", "1796646618405938-" + "9" * 40):
        page = citizen_client.get(MINE, {"after": bad})
        assert page.status_code == 200, bad
        assert listed_ids(page.content.decode()) == newest_first(citizen.id), bad


def test_T_B1_only_the_applicants_own_applications_are_listed(citizen_client, citizen, items):
    other = ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)
    make_applications(other.id, items, 4)
    mine = make_applications(citizen.id, items, 2)

    assert sorted(listed_ids(citizen_client.get(MINE).content.decode())) == sorted(mine)


def test_list_names_each_item_and_offers_rating_once_finished(citizen_client, citizen, items):
    make_applications(citizen.id, items, 3)
    page = citizen_client.get(MINE).content.decode()
    assert all(f"事项{n}" in page for n in range(3))
    assert page.count("评价</a>") == 1  # the closed one


def test_a_page_of_my_applications_takes_a_fixed_number_of_queries(
    citizen_client, citizen, items, django_assert_max_num_queries
):
    """Session, user, the page of rows, the item names, the ratings: 5, whatever the rows; an N+1 on
    the rows of a full page would need 20 more."""
    make_applications(citizen.id, items, MINE_PAGE_SIZE * 2)
    next_url = more_url(citizen_client.get(MINE).content.decode())

    with django_assert_max_num_queries(5):
        first = citizen_client.get(MINE)
    with django_assert_max_num_queries(5):
        second = citizen_client.get(MINE + next_url, headers={"HX-Request": "true"})

    assert (
        len(listed_ids(first.content.decode())) == len(listed_ids(second.content.decode())) == MINE_PAGE_SIZE
    )
