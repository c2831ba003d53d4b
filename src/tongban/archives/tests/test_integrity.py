"""四性检测 (DA/T 70) and archive packages: a changed archived file is found by `check_archive`, which names
the 档号 (issue 15 "Must show")."""

import hashlib
import io
import json
import os
import zipfile

import pytest
from conftest import make_staff
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from tongban.archives.errors import ArchiveError
from tongban.archives.integrity import check_integrity
from tongban.archives.manifest import canonical_json
from tongban.archives.models import ArchiveFile, ArchiveRecord
from tongban.archives.packages import export_package, export_year
from tongban.archives.roles import ARCHIVIST
from tongban.archives.tests.helpers import BLANK_PDF, archive
from tongban.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def archivist(department):
    return make_staff("archivist", department, ARCHIVIST)


def checks_failed(report):
    return {c.check: list(c.problems) for c in report.failed_checks}


def test_archiving_gives_consecutive_item_numbers_and_audits(department, archivist):
    codes = [archive(department, archivist, source=f"document:{n}") for n in range(1, 4)]

    assert codes == [f"Z001-WS·2026-D30-BGS-000{n}" for n in range(1, 4)]
    assert AuditEvent.objects.filter(event="archive.archived", actor_id=archivist.id).count() == 3


def test_the_fonds_code_is_the_setting_and_each_retention_counts_on_its_own(settings, department, archivist):
    settings.TONGBAN_ARCHIVE_FONDS_CODE = "J042"

    assert archive(department, archivist, source="document:1", retention="Y") == "J042-WS·2026-Y-BGS-0001"
    assert archive(department, archivist, source="document:2", retention="D10") == "J042-WS·2026-D10-BGS-0001"


def test_a_clean_archive_passes_every_check(department, archivist):
    archive(department, archivist)

    call_command("check_archive", stdout=(out := io.StringIO()))

    assert "Z001-WS·2026-D30-BGS-0001 通过" in out.getvalue()


def test_a_changed_archived_file_fails_the_check_command_naming_the_archival_code(department, archivist):
    archive(department, archivist, source="document:1")
    code = archive(department, archivist, source="document:2")
    changed = ArchiveFile.objects.get(record__archival_code=code, name="body-v1.html")
    storage = storages["archives"]
    storage.delete(changed.path)
    storage.save(changed.path, ContentFile("<p>被改动的正文</p>".encode()))

    with pytest.raises(CommandError) as failed:
        call_command("check_archive", stdout=(out := io.StringIO()))

    assert str(failed.value) == "四性检测未通过：Z001-WS·2026-D30-BGS-0002"
    assert "Z001-WS·2026-D30-BGS-0002 真实性未通过：文件已被修改：body-v1.html" in out.getvalue()
    assert "Z001-WS·2026-D30-BGS-0001 通过" in out.getvalue()


def test_changed_metadata_a_missing_file_and_a_gap_are_each_found(department, archivist):
    first, second, third = (archive(department, archivist, source=f"document:{n}") for n in range(1, 4))
    ArchiveRecord.objects.filter(archival_code=first).update(title="改过的题名")
    missing = ArchiveFile.objects.get(record__archival_code=second, name="form.json")
    storages["archives"].delete(missing.path)
    # A 件 withdrawn from the database leaves a gap in the 件号 run.
    gone = ArchiveRecord.objects.get(archival_code=third)
    ArchiveRecord.objects.filter(pk=gone.pk).update(item_number=4, archival_code="Z001-WS·2026-D30-BGS-0004")

    reports = {r.archival_code: checks_failed(r) for r in check_integrity()}

    assert reports == {
        first: {"authenticity": ["元数据或文件清单与归档时不一致"]},
        second: {"integrity": ["文件缺失：form.json"]},
        "Z001-WS·2026-D30-BGS-0004": {
            "authenticity": ["元数据或文件清单与归档时不一致"],
            "integrity": ["件号 3 缺失"],
        },
    }


def test_a_file_that_no_longer_opens_fails_usability_and_a_world_writable_file_fails_security(
    department, archivist
):
    code = archive(department, archivist)
    record = ArchiveRecord.objects.get(archival_code=code)
    form = record.files.get(name="form.json")
    storage = storages["archives"]
    storage.delete(form.path)
    storage.save(form.path, ContentFile(b"{not json"))
    sealed = record.files.get(name="sealed.pdf")
    os.chmod(storage.path(sealed.path), 0o666)  # noqa: S103 - the permission under test

    [report] = check_integrity()

    failed = checks_failed(report)
    assert failed["usability"] == ["文件无法打开：form.json（JSONDecodeError）"]
    assert failed["security"] == ["文件可被任何人修改：sealed.pdf"]


def test_a_seal_verifier_that_rejects_the_pdf_fails_authenticity(department, archivist):
    archive(department, archivist)

    [report] = check_integrity(seal_verifier=lambda data: False)
    [passed] = check_integrity(seal_verifier=lambda data: data == BLANK_PDF)

    assert checks_failed(report) == {"authenticity": ["电子印章验证未通过：sealed.pdf"]}
    assert passed.passed


def test_an_executable_is_not_archived(department, archivist):
    with pytest.raises(ArchiveError):
        archive(department, archivist, files=[("sealed.pdf", b"MZ\x90\x00")])

    assert not ArchiveRecord.objects.exists()
    assert not ArchiveFile.objects.exists()


def test_the_package_holds_the_files_the_metadata_and_their_hashes(department, archivist):
    code = archive(department, archivist)
    record = ArchiveRecord.objects.get(archival_code=code)

    with zipfile.ZipFile(io.BytesIO(export_package(record.pk))) as package:
        names = sorted(package.namelist())
        manifest = json.loads(package.read("manifest.json"))
        metadata = json.loads(package.read("metadata.json"))
        sealed = package.read("files/sealed.pdf")

    assert names == [
        "files/body-v1.html",
        "files/form.json",
        "files/sealed.pdf",
        "manifest.json",
        "metadata.json",
    ]
    assert sealed == BLANK_PDF
    assert manifest["archival_code"] == code
    assert manifest["manifest_sha256"] == record.manifest_sha256
    assert hashlib.sha256(canonical_json(metadata)).hexdigest() == record.manifest_sha256
    assert {f["name"]: f["sha256"] for f in manifest["files"]}["sealed.pdf"] == hashlib.sha256(
        BLANK_PDF
    ).hexdigest()


def test_the_year_export_has_a_folder_per_item_and_an_index(department, archivist, tmp_path):
    codes = [archive(department, archivist, source=f"document:{n}") for n in (1, 2)]

    with zipfile.ZipFile(io.BytesIO(export_year("Z001", 2026))) as package:
        index = json.loads(package.read("index.json"))
        assert f"{codes[1]}/files/sealed.pdf" in package.namelist()

    assert [r["archival_code"] for r in index["records"]] == codes
    call_command("archive_export", year=2026, output=str(tmp_path / "2026.zip"), stdout=io.StringIO())
    assert (
        zipfile.ZipFile(tmp_path / "2026.zip").read("index.json")
        == json.dumps(index, ensure_ascii=False, indent=2, sort_keys=True).encode()
    )
