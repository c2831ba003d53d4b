"""TONGBAN_ZONE: the internet node routes no staff, admin or exchange path; the extranet node no portal
page (issue 20)."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver

from tongban.core.zones import INTERNET, SHARED_PREFIXES, staff_prefixes, zone_serves

pytestmark = pytest.mark.django_db


def _routes(resolver=None, prefix=""):
    """Every URL pattern as a path, each converter replaced by a sample value."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        else:
            yield "/" + re.sub(r"<[^>]+>", "1", route).lstrip("^").rstrip("$")


def _staff_routes():
    return [r for r in _routes() if r.lstrip("/").startswith(staff_prefixes())]


def test_the_staff_side_has_routes_to_refuse():
    staff = _staff_routes()
    assert any(r.startswith("/staff/tasks/") for r in staff)
    assert any(r.startswith("/api/exchange/v1/") for r in staff)
    assert any(r.startswith("/admin/") for r in staff)


@override_settings(TONGBAN_ZONE=INTERNET)
def test_T_N2_the_internet_node_answers_404_on_every_staff_admin_and_exchange_route():
    client = Client()
    answered = {path: client.get(path) for path in _staff_routes()}
    assert {path: r.status_code for path, r in answered.items() if r.status_code != 404} == {}
    assert {r.content for r in answered.values()} == {b"Not Found"}
    assert (
        client.post("/api/exchange/v1/oauth/token/", {"grant_type": "client_credentials"}).status_code == 404
    )


@override_settings(TONGBAN_ZONE=INTERNET)
def test_the_internet_node_serves_the_portal_and_the_citizens_login():
    client = Client()
    assert client.get("/").status_code == 200
    assert client.get("/account/login/").status_code == 200
    assert client.get("/status/").status_code == 200


@override_settings(TONGBAN_ZONE="extranet")
def test_the_extranet_node_serves_the_staff_side_only():
    client = Client()
    assert client.get("/").status_code == 404
    assert client.get("/services/1/").status_code == 404
    assert client.get("/staff/login/").status_code == 200
    assert client.get("/staff/").status_code == 302  # to the staff login, not a 404


def test_shared_paths_are_served_by_both_zones():
    for prefix in SHARED_PREFIXES:
        assert zone_serves("internet", "/" + prefix)
        assert zone_serves("extranet", "/" + prefix)


@override_settings(TONGBAN_ZONE="intranet")
def test_an_unknown_zone_stops_the_node():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Client().get("/")
