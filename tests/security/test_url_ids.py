"""Every id in a URL is bounded by the database's id range: beyond it the URL answers 404, never a 500
(PostgreSQL refuses an out-of-range integer with DataError, SQLite with OverflowError). One walk over
the URLconf: a route added with Django's unbounded ``<int:…>`` fails the first test."""

import uuid

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tests.security.routes import routes
from tongban.accounts.tests.helpers import login_staff
from tongban.core.converters import MAX_ID
from tongban.organizations.services import assign_role

# Placeholders for a route's other parameters; the id under test is the only one out of range.
OTHER_VALUES = {"str": "x", "slug": "x", "path": "x", "uuid": uuid.UUID(int=1)}


ID_ROUTES = sorted(name for name, route in routes().items() if "id" in route.params.values())


def url(name: str, id_value: int) -> str:
    return reverse(
        name,
        kwargs={
            param: id_value if kind == "id" else OTHER_VALUES[kind]
            for param, kind in routes()[name].params.items()
        },
    )


def test_no_route_takes_an_unbounded_integer():
    unbounded = sorted(name for name, route in routes().items() if "int" in route.params.values())
    assert unbounded == [], "use <id:…> (tongban.core.converters.IdConverter), not <int:…>"
    # The walk found the routes with ids (a broken walk would make the test below vacuous).
    assert {"applications:detail", "applications:staff_material", "licenses:staff_detail"} <= set(ID_ROUTES)


@pytest.fixture
def clients(db, department, citizen_client):
    staff = make_staff("every_role", department, role="clerk")
    for role in (
        "reviewer",
        "approver",
        "supervisor",
        "department_admin",
        "catalog_editor",
        "city_supervisor",
    ):
        assign_role(user_id=staff.id, department_id=department.pk, role=role)
    staff_client = Client()
    login_staff(staff_client, staff)
    return {"anonymous": Client(), "citizen": citizen_client, "staff": staff_client}


@pytest.mark.parametrize("name", ID_ROUTES)
def test_T_D7_an_id_beyond_the_database_range_answers_404(name, clients):
    for who, client in clients.items():
        for too_big in (MAX_ID + 1, 10**20, 0):
            assert client.get(url(name, too_big)).status_code == 404, (who, too_big)
            assert client.post(url(name, too_big)).status_code == 404, (who, too_big)
        # The largest id reaches the view and its query, which finds nothing: refused, never a 500
        # (the test client raises the view's exception if there is one).
        for method in (client.get, client.post):
            assert method(url(name, MAX_ID)).status_code in (200, 302, 400, 403, 404, 405), (who, method)


def test_the_api_schema_gives_an_id_in_a_path_its_range(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    [parameter] = schema["paths"]["/api/v1/catalog/staff/items/{item_id}/draft/"]["post"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}
