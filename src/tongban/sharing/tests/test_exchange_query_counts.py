"""SQL statements per exchange API call, pinned so a per-item, per-grant or per-row lookup cannot creep
in: the resource has five items, the department two grants, the log rows from earlier queries."""

import datetime as dt

import time_machine
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID
from tongban.sharing import services
from tongban.sharing.tests.conftest import GRANT_FROM, GRANT_UNTIL, fetch_token, query

IN_GRANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(IN_GRANT, tick=False)
def test_exchange_query_runs_a_fixed_number_of_statements(
    client, c1, other_department, django_assert_num_queries
):
    services.grant_access(
        resource_code="person.basic",
        department_id=other_department.pk,
        purpose="marriage-registration",
        item_keys=["birth_date", "ethnicity"],
        valid_from=GRANT_FROM,
        valid_until=GRANT_UNTIL,
    )
    token = fetch_token(client, c1)
    for subject in (CITIZEN_A_ID, CITIZEN_B_ID):
        assert query(client, token, subject=subject, purpose="marriage-registration").status_code == 200

    # Measured: the token with its client and department, savepoint (the request's BEGIN inside the
    # test's transaction), claim, resource with items, grants, person record, chain head lock, log
    # insert, head update, answer update, release.
    with django_assert_num_queries(11):
        response = query(client, token, subject=CITIZEN_A_ID, purpose="marriage-registration")
    assert response.status_code == 200
    assert set(response.json()["items"]) == {"full_name", "gender", "birth_date", "ethnicity"}


def test_resource_list_reads_every_resource_and_its_items_in_two_statements(
    client, c1, django_assert_max_num_queries
):
    token = fetch_token(client, c1)
    with django_assert_max_num_queries(4):  # measured: token with its client, count, resources, items
        response = client.get(reverse("exchange-resources"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 3
