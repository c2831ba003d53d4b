"""档案 pages: archivists read their departments' 件; anyone else gets a 404 and an audit row; the
retention schedule is edited by administrators only."""

import io
import zipfile

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.archives.models import ArchiveRecord, RetentionRule
from tongban.archives.roles import ARCHIVIST
from tongban.archives.tests.helpers import archive
from tongban.core.models import AuditEvent
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archivist(department):
    return make_staff("archivist", department, ARCHIVIST)


@pytest.fixture
def record(department, archivist):
    return ArchiveRecord.objects.get(archival_code=archive(department, archivist))


def test_the_archivist_lists_opens_and_downloads_the_departments_items(client, archivist, record):
    login_staff(client, archivist)

    listing = client.get("/staff/archives/")
    page = client.get(f"/staff/archives/{record.pk}/")
    package = client.get(f"/staff/archives/{record.pk}/package/")

    assert record.archival_code in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    assert "Z001-WS·2026-D30-BGS-0001" in html
    assert html.count("通过") >= 4
    assert package["Content-Type"] == "application/zip"
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    events = list(AuditEvent.objects.filter(actor_id=archivist.id).values_list("event", "result"))
    assert ("archive.list", "ok") in events
    assert ("archive.view", "ok") in events
    assert ("archive.export", "ok") in events


def test_an_archivist_of_another_department_gets_404_and_an_audit_row(client, record):
    stranger = make_staff("other_archivist", DepartmentFactory(), ARCHIVIST)
    login_staff(client, stranger)

    page = client.get(f"/staff/archives/{record.pk}/")
    package = client.get(f"/staff/archives/{record.pk}/package/")
    listing = client.get("/staff/archives/")

    assert (page.status_code, package.status_code) == (404, 404)
    assert record.archival_code not in listing.content.decode()
    assert AuditEvent.objects.filter(
        actor_id=stranger.id, event="archive.view", object_id=str(record.pk), result="denied"
    ).exists()
    assert AuditEvent.objects.filter(actor_id=stranger.id, event="archive.export", result="denied").exists()


def test_staff_without_the_archivist_role_get_404_on_the_archive(client, department, record):
    clerk = make_staff("doc_clerk", department, "document_clerk")
    login_staff(client, clerk)

    assert client.get("/staff/archives/").status_code == 404
    assert client.get(f"/staff/archives/{record.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor_id=clerk.id, event="archive.list", result="denied").exists()


def test_an_administrator_adds_and_changes_a_retention_rule(client, department):
    admin = make_staff("dept_admin", department, "department_admin")
    login_staff(client, admin)
    count = RetentionRule.objects.count()

    added = client.post(
        "/staff/archives/retention/",
        {
            "position": "5",
            "kind": "通报",
            "source": "",
            "title_contains": "表彰",
            "retention": "Y",
            "note": "本机关表彰",
        },
    )
    rule = RetentionRule.objects.get(title_contains="表彰")
    changed = client.post(
        f"/staff/archives/retention/{rule.pk}/",
        {
            "position": "5",
            "kind": "通报",
            "source": "",
            "title_contains": "表彰",
            "retention": "D30",
            "note": "",
        },
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    assert RetentionRule.objects.count() == count + 1
    rule.refresh_from_db()
    assert (rule.kind, rule.retention) == ("通报", "D30")
    assert AuditEvent.objects.filter(actor_id=admin.id, event="archive.retention_rule_saved").count() == 2


def test_a_rule_without_a_retention_is_refused_with_the_error_summary(client, department):
    admin = make_staff("dept_admin", department, "department_admin")
    login_staff(client, admin)
    count = RetentionRule.objects.count()

    response = client.post("/staff/archives/retention/", {"position": "5", "kind": "通报", "retention": ""})

    assert response.status_code == 400
    assert summary_errors(response) == ["请选择保管期限"]
    assert "<title>错误：" in response.content.decode()
    assert RetentionRule.objects.count() == count


def test_an_archivist_reads_the_schedule_but_may_not_change_it(client, archivist):
    login_staff(client, archivist)
    count = RetentionRule.objects.count()

    page = client.get("/staff/archives/retention/")
    refused = client.post("/staff/archives/retention/", {"position": "1", "retention": "Y"})

    assert page.status_code == 200
    assert "添加规则" not in page.content.decode()
    assert refused.status_code == 404
    assert RetentionRule.objects.count() == count


def test_an_administrator_sets_the_departments_organisation_code_used_by_later_items(client, department):
    admin = make_staff("dept_admin", department, "department_admin")
    archivist = make_staff("archivist", department, ARCHIVIST)
    login_staff(client, admin)

    lower = client.post(
        "/staff/archives/organisation-codes/", {"department": str(department.pk), "code": "zc-1"}
    )
    saved = client.post(
        "/staff/archives/organisation-codes/", {"department": str(department.pk), "code": "zcb"}
    )

    assert lower.status_code == 400
    assert summary_errors(lower) == ["机构代码应为1到8位大写字母或数字"]
    assert saved.status_code == 302
    assert archive(department, archivist) == "Z001-WS·2026-D30-ZCB-0001"
    assert AuditEvent.objects.filter(actor_id=admin.id, event="archive.organisation_code_set").exists()


def test_an_administrator_may_not_set_another_departments_code(client, department, other_department):
    admin = make_staff("dept_admin", department, "department_admin")
    login_staff(client, admin)

    response = client.post(
        "/staff/archives/organisation-codes/", {"department": str(other_department.pk), "code": "ZCB"}
    )

    assert response.status_code == 400
    assert archive(other_department, admin, source="document:9").endswith("-BGS-0001")
