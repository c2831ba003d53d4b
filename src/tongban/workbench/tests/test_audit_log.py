"""The 审计管理员's audit log page (issue 20): search, keyset pages, CSV export, each itself audited;
nobody else reads it."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core import audit
from tongban.core.models import AuditEvent

PAGE = reverse("workbench:audit_log")


@pytest.fixture(autouse=True)
def _seeded(db):
    importlib.import_module("tongban.organizations.migrations.0007_seed_security_and_audit_admins").seed(
        django_apps, None
    )


@pytest.fixture
def auditor(department):
    user = make_staff("auditor", department, role="audit_admin")
    client = Client()
    login_staff(client, user)
    return user, client


def _rows(events):
    for n, (event, actor_id) in enumerate(events):
        audit.record(event=event, actor_id=actor_id, object_type="user", object_id=n)


def test_the_auditor_finds_rows_by_who_and_what_and_the_search_is_audited(auditor, department):
    user, client = auditor
    clerk = make_staff("clerk_a", department, role="clerk")
    _rows([("login", clerk.id), ("role.granted", clerk.id), ("role.revoked", user.id), ("login", user.id)])
    response = client.get(PAGE, {"actor": "clerk_a", "event": "role."})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<tr><td>") == 1
    assert "role.granted" in page
    searched = AuditEvent.objects.filter(event="audit.searched").get()
    assert (searched.actor_id, searched.reason) == (user.id, "actor=clerk_a&event=role.")


def test_pages_follow_each_other_without_gaps(auditor, department, settings):
    user, client = auditor
    _rows([("login", user.id)] * 55)
    first = client.get(PAGE, {"event": "login"}).content.decode()
    assert first.count("<tr><td>") == 50
    more = first.split('<a href="?')[-1].split('"')[0].replace("&amp;", "&")
    second = client.get(PAGE + "?" + more).content.decode()
    assert second.count("<tr><td>") == 5


def test_a_bad_search_shows_its_errors(auditor):
    _user, client = auditor
    response = client.get(PAGE, {"actor": "nobody_here", "since": "2026-12-07", "until": "2026-12-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "没有用户名为“nobody_here”的账户" in page
    assert "截止日期不能早于起始日期" in page


def test_the_export_is_a_csv_of_what_was_found_and_is_audited(auditor, department):
    user, client = auditor
    _rows([("login", user.id), ("role.granted", user.id)])
    response = client.get(reverse("workbench:audit_export"), {"event": "role."})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("时间,操作人,")
    assert len(lines) == 2
    assert ",role.granted," in lines[1]
    assert AuditEvent.objects.filter(event="audit.exported", object_id="1").exists()


@pytest.mark.parametrize("role", ["city_admin", "security_admin", "department_admin"])
def test_T_B4_nobody_but_the_audit_admin_reads_the_log(department, role):
    user = make_staff("someone", department, role=role)
    client = Client()
    login_staff(client, user)
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("workbench:audit_export")).status_code == 404
    assert AuditEvent.objects.filter(event="audit_log", actor_id=user.id, result="denied").count() == 2
