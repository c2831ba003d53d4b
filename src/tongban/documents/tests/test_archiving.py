"""归档 of a 发文 and a 收文 (issue 15, STANDARDS §12): one 件 with a DA/T 22 档号 and a fixed snapshot."""

import importlib
import io
import json
import zipfile

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.core.files.base import ContentFile

from tongban.archives.integrity import check_integrity
from tongban.archives.models import ArchiveRecord
from tongban.archives.packages import export_package
from tongban.archives.roles import ARCHIVIST
from tongban.core.models import AuditEvent
from tongban.documents.errors import DocumentPermissionError, DocumentStateError
from tongban.documents.models import OfficialDocument
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.services.archiving import archive_document, archive_received
from tongban.documents.tests.factories import (
    BLANK_PDF,
    BodyVersionFactory,
    DistributedDocumentFactory,
    DocumentRecipientFactory,
    OfficialDocumentFactory,
    ReceivedDocumentFactory,
)
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention_schedule(db):
    """The 保管期限表 as its migration seeds it (a browser test's flush may have emptied the table)."""
    seeded = importlib.import_module("tongban.archives.migrations.0002_seed_archivist_and_retention_schedule")
    seeded.seed(django_apps, None)


@pytest.fixture
def document():
    document = DistributedDocumentFactory(title="云州市人民政府办公室关于做好冬季安全生产工作的通知")
    BodyVersionFactory(document=document, number=1, html="<p>第一稿。</p>")
    BodyVersionFactory(document=document, number=2, html="<p>核稿后的正文。</p>")
    DocumentRecipientFactory(document=document, state="received")
    return document


@pytest.fixture
def clerk(document):
    return make_staff("doc_clerk", document.issuing_body.department, DOCUMENT_CLERK)


def package_entries(record_id: int) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(export_package(record_id))) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_distributed_document_becomes_one_archived_item_with_its_files(document, clerk):
    code = archive_document(document_id=document.pk, user_id=clerk.id)

    assert code == "Z001-WS·2026-D30-BGS-0001"
    record = ArchiveRecord.objects.get(archival_code=code)
    assert (record.title, record.document_number, record.responsible, str(record.date), record.kind) == (
        document.title,
        document.document_number,
        "云州市人民政府办公室",
        "2026-12-07",
        "通知",
    )
    assert list(record.files.values_list("name", flat=True)) == [
        "sealed.pdf",
        "form.json",
        "form.html",
        "body-v1.html",
        "body-v2.html",
    ]
    assert [v["number"] for v in record.metadata["versions"]] == [1, 2]
    assert record.metadata["distribution"][0]["state"] == "received"
    assert OfficialDocument.objects.get(pk=document.pk).status == "archived"
    assert AuditEvent.objects.filter(event="document.archived", object_id=str(document.pk)).exists()
    [report] = check_integrity()
    assert report.passed, report.failed_checks


def test_archiving_twice_returns_the_same_archival_code(document, clerk):
    first = archive_document(document_id=document.pk, user_id=clerk.id)

    assert archive_document(document_id=document.pk, user_id=clerk.id) == first
    assert ArchiveRecord.objects.count() == 1


def test_an_archivist_of_the_issuing_department_may_archive_and_a_stranger_may_not(document):
    archivist = make_staff("archivist", document.issuing_body.department, ARCHIVIST)
    stranger = make_staff("stranger", DepartmentFactory(), DOCUMENT_CLERK)

    with pytest.raises(DocumentPermissionError):
        archive_document(document_id=document.pk, user_id=stranger.id)
    assert not ArchiveRecord.objects.exists()

    assert archive_document(document_id=document.pk, user_id=archivist.id).endswith("-0001")


def test_a_document_is_not_archived_before_distribution():
    document = OfficialDocumentFactory(signed_off=True, status="sealing")
    clerk = make_staff("doc_clerk", document.issuing_body.department, DOCUMENT_CLERK)

    with pytest.raises(DocumentStateError) as refused:
        archive_document(document_id=document.pk, user_id=clerk.id)

    assert refused.value.status == 409
    assert OfficialDocument.objects.get(pk=document.pk).status == "sealing"
    assert not ArchiveRecord.objects.exists()


def test_a_later_edit_of_the_live_document_does_not_change_the_archive_snapshot(document, clerk):
    code = archive_document(document_id=document.pk, user_id=clerk.id)
    record = ArchiveRecord.objects.get(archival_code=code)
    before = package_entries(record.pk)

    document.versions.filter(number=2).update(html="<p>归档后被改动的正文。</p>")
    OfficialDocument.objects.filter(pk=document.pk).update(title="改过的标题")
    document.sealed_pdf.storage.delete(document.sealed_pdf.name)
    document.sealed_pdf.storage.save(document.sealed_pdf.name, ContentFile(b"%PDF-1.7 other"))

    assert package_entries(record.pk) == before
    assert before["files/body-v2.html"].decode().count("核稿后的正文。") == 1
    assert before["files/sealed.pdf"] == BLANK_PDF
    assert (
        json.loads(before["metadata.json"])["title"] == "云州市人民政府办公室关于做好冬季安全生产工作的通知"
    )
    [report] = check_integrity()
    assert report.passed


def test_the_retention_comes_from_the_schedule_by_kind():
    request = DistributedDocumentFactory(kind="request", title="关于申请专项资金的请示")
    clerk = make_staff("doc_clerk", request.issuing_body.department, DOCUMENT_CLERK)

    assert archive_document(document_id=request.pk, user_id=clerk.id) == "Z001-WS·2026-Y-BGS-0001"


def test_a_finished_received_document_is_archived_with_its_handling_sheet():
    received = ReceivedDocumentFactory(
        handling_status="done",
        state="received",
        registration_number="收〔2026〕8号",
        pdf=ContentFile(BLANK_PDF, name="received.pdf"),
        delivered_at="2026-12-08T09:00:00+08:00",
    )
    clerk = make_staff("receiving_clerk", received.department, DOCUMENT_CLERK)

    code = archive_received(received_id=received.pk, user_id=clerk.id)

    assert code == "Z001-WS·2026-D30-BGS-0001"
    record = ArchiveRecord.objects.get()
    assert (record.source, record.department_id, record.responsible) == (
        f"received:{received.pk}",
        received.department_id,
        "云州市人民政府办公室",
    )
    assert list(record.files.values_list("name", flat=True)) == ["received.pdf", "form.json", "form.html"]
    assert record.metadata["form"]["registration_number"] == "收〔2026〕8号"
    assert archive_received(received_id=received.pk, user_id=clerk.id) == code


def test_a_received_document_is_not_archived_before_it_is_finished():
    received = ReceivedDocumentFactory(handling_status="handling", pdf=ContentFile(BLANK_PDF, name="r.pdf"))
    clerk = make_staff("receiving_clerk", received.department, DOCUMENT_CLERK)

    with pytest.raises(DocumentStateError):
        archive_received(received_id=received.pk, user_id=clerk.id)

    assert not ArchiveRecord.objects.exists()


def test_the_archive_check_verifies_the_seal_of_a_really_sealed_document_and_refuses_a_stand_in():
    """check_archive's default verifier is the platform's PAdES seal check (TONGBAN_ARCHIVE_SEAL_VERIFIER):
    a document sealed at 用印 passes; a 件 whose sealed.pdf carries no seal fails 真实性."""
    from tongban.archives.integrity import seal_verifier_from_settings
    from tongban.documents.services import output
    from tongban.documents.tests.output_helpers import numbered_document

    sealed, clerk, keeper = numbered_document()
    output.typeset_document(document_id=sealed.pk, user_id=clerk.id)
    output.seal_document(document_id=sealed.pk, user_id=keeper.id)
    OfficialDocument.objects.filter(pk=sealed.pk).update(status="distributed")
    stand_in = DistributedDocumentFactory(issuing_body=sealed.issuing_body)
    sealed_code = archive_document(document_id=sealed.pk, user_id=clerk.id)
    stand_in_code = archive_document(document_id=stand_in.pk, user_id=clerk.id)

    reports = {r.archival_code: r for r in check_integrity(seal_verifier=seal_verifier_from_settings())}

    assert reports[sealed_code].passed, reports[sealed_code].failed_checks
    [failed] = reports[stand_in_code].failed_checks
    assert failed.check == "authenticity"
    assert "电子印章验证未通过：sealed.pdf" in failed.problems


def test_the_clerk_archives_from_the_document_page_and_a_stranger_gets_404(document, clerk, client):
    from django.urls import reverse

    from tongban.accounts.tests.helpers import login_staff

    stranger = make_staff("stranger_clerk", DepartmentFactory(), DOCUMENT_CLERK)
    login_staff(client, stranger)
    assert client.post(reverse("documents:archive", args=[document.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        event="document.archive", object_id=str(document.pk), result="denied"
    ).exists()

    login_staff(client, clerk)
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert reverse("documents:archive", args=[document.pk]) in page
    response = client.post(reverse("documents:archive", args=[document.pk]), follow=True)

    assert "已归档，档号：Z001-WS·2026-D30-BGS-0001" in response.content.decode()
    assert OfficialDocument.objects.get(pk=document.pk).status == "archived"
    again = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert reverse("documents:archive", args=[document.pk]) not in again


def test_the_receiving_clerk_archives_a_finished_received_document_from_its_handling_sheet(client):
    from django.urls import reverse

    from tongban.accounts.tests.helpers import login_staff

    received = ReceivedDocumentFactory(
        handling_status="done",
        state="received",
        registration_number="收〔2026〕9号",
        pdf=ContentFile(BLANK_PDF, name="received.pdf"),
    )
    clerk = make_staff("receiving_clerk", received.department, DOCUMENT_CLERK)
    login_staff(client, clerk)
    sheet = reverse("documents:received_handling", args=[received.pk])
    assert reverse("documents:received_archive", args=[received.pk]) in client.get(sheet).content.decode()

    response = client.post(reverse("documents:received_archive", args=[received.pk]), follow=True)

    page = response.content.decode()
    assert "已归档，档号：Z001-WS·2026-D30-BGS-0001" in page
    assert reverse("documents:received_archive", args=[received.pk]) not in page
