"""Exchange packages: export, and import refusing anything tampered with or unsafe (issue 15)."""

import hashlib
import io
import json
import stat
import zipfile

import pytest
from conftest import make_staff
from django.core.management import call_command
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.documents.errors import DocumentNotFound
from tongban.documents.exchange_package import PackageError
from tongban.documents.models import ExchangeKey, IncomingState, ReceivedDocument
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.services import exchange
from tongban.documents.tests.exchange_helpers import sealed_exchange
from tongban.documents.tests.factories import SMALL_PDF
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported():
    given = sealed_exchange()
    given.package = exchange.export_package(given.document.pk)
    given.department = DepartmentFactory(name="邻州市人民政府办公室")
    given.importer = make_staff("importer", given.department, DOCUMENT_CLERK)
    return given


def _files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(files: dict[str, bytes], *, symlink: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            if name == symlink:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _import(given, data: bytes) -> int:
    return exchange.import_package(data=data, department_id=given.department.pk, user_id=given.importer.id)


def _refused(given, data: bytes) -> str:
    with pytest.raises(PackageError) as refused:
        _import(given, data)
    assert ReceivedDocument.objects.count() == 0
    return refused.value.message


def test_the_package_holds_the_pdf_the_metadata_and_a_signed_manifest(exported):
    files = _files(exported.package)

    assert sorted(files) == [
        "document.pdf",
        "manifest.json",
        "metadata.json",
        "metadata.xml",
        "signature.json",
    ]
    assert files["document.pdf"] == SMALL_PDF
    metadata = json.loads(files["metadata.json"])
    assert metadata["title"] == exported.document.title
    assert metadata["document_number"] == exported.document.document_number
    assert metadata["issuer"] == "云州市人民政府办公室"
    assert metadata["main_recipients"] == ["云州市财政局", "云州市民政局"]
    assert metadata["copy_recipients"] == ["云州市教育局", "邻州市人民政府办公室"]
    assert metadata["issued_on"] == "2026-12-07"
    assert metadata["sender_platform_id"] == "9901000001"
    assert '<title label="标题">' + exported.document.title + "</title>" in files["metadata.xml"].decode()
    manifest = json.loads(files["manifest.json"])
    assert {row["path"]: row["sha256"] for row in manifest["files"]} == {
        name: hashlib.sha256(files[name]).hexdigest()
        for name in ("document.pdf", "metadata.json", "metadata.xml")
    }
    assert json.loads(files["signature.json"])["key_id"] == ExchangeKey.objects.get(is_own=True).key_id


def test_a_valid_package_is_imported_once(exported):
    received_id = _import(exported, exported.package)

    received = ReceivedDocument.objects.get(pk=received_id)
    assert (received.department_id, received.state) == (exported.department.pk, IncomingState.PENDING)
    assert (received.title, received.sender_name) == (exported.document.title, "云州市人民政府办公室")
    assert received.document_number == exported.document.document_number
    assert received.kind == "notice"
    assert received.source_document_id is None
    with received.pdf.open("rb") as pdf:
        assert pdf.read() == SMALL_PDF
    with pytest.raises(PackageError) as again:
        _import(exported, exported.package)
    assert again.value.message == "该交换包已导入本部门，不能重复导入"
    assert ReceivedDocument.objects.count() == 1


def test_a_package_with_one_pdf_byte_changed_is_refused(exported):
    files = _files(exported.package)
    files["document.pdf"] = files["document.pdf"].replace(b"595 842", b"595 843")

    message = _refused(exported, _zip(files))

    assert message == "交换包中的文件“document.pdf”与清单中的校验值不符，可能已被篡改，已拒绝导入"


def test_a_package_with_a_changed_manifest_is_refused(exported):
    # The PDF and its checksum changed together: only the signature tells.
    files = _files(exported.package)
    files["document.pdf"] = files["document.pdf"].replace(b"595 842", b"595 843")
    manifest = json.loads(files["manifest.json"])
    for row in manifest["files"]:
        if row["path"] == "document.pdf":
            row["sha256"] = hashlib.sha256(files["document.pdf"]).hexdigest()
    files["manifest.json"] = (
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"
    )

    message = _refused(exported, _zip(files))

    assert message == "交换包的签名验证未通过（包被改动过，或来自未受信任的平台），已拒绝导入"


def test_a_package_without_its_signature_is_refused(exported):
    files = _files(exported.package)
    del files["signature.json"]

    assert _refused(exported, _zip(files)) == "交换包缺少文件：signature.json，已拒绝导入"


def test_a_package_whose_signature_was_replaced_is_refused(exported):
    files = _files(exported.package)
    signed = json.loads(files["signature.json"])
    signed["signature"] = "00" * 70
    files["signature.json"] = json.dumps(signed).encode()

    assert _refused(exported, _zip(files)).startswith("交换包的签名验证未通过")


def test_a_package_signed_by_an_untrusted_key_is_refused(exported):
    files = _files(exported.package)
    ExchangeKey.objects.all().delete()  # the importing platform does not know the sender's key

    assert _refused(exported, _zip(files)).startswith("交换包的签名验证未通过")


@pytest.mark.parametrize(
    "name", ["../document.pdf", "/etc/document.pdf", "sub/document.pdf", "C:document.pdf", "a\\b.pdf"]
)
def test_a_package_with_an_unsafe_path_is_refused(exported, name):
    files = _files(exported.package) | {name: b"x"}

    assert _refused(exported, _zip(files)).startswith("交换包中有不安全的文件路径")


def test_a_package_with_a_symlink_is_refused(exported):
    files = _files(exported.package)

    assert _refused(exported, _zip(files, symlink="metadata.xml")).startswith("交换包中有不安全的文件路径")


def test_a_package_with_an_extra_file_is_refused(exported):
    files = _files(exported.package) | {"readme.txt": b"hello"}

    assert _refused(exported, _zip(files)) == "交换包中有多余的文件：readme.txt，已拒绝导入"


def test_a_package_with_too_many_entries_is_refused(exported):
    files = _files(exported.package) | {f"extra{n}.txt": b"" for n in range(20)}

    assert _refused(exported, _zip(files)) == "交换包中的文件过多，已拒绝导入"


def test_a_package_over_the_size_limit_is_refused(exported, monkeypatch):
    monkeypatch.setattr("tongban.documents.exchange_package.MAX_PACKAGE_BYTES", 100)

    assert _refused(exported, exported.package) == "交换包须小于 50MB"


def test_a_package_that_inflates_too_far_is_refused(exported, monkeypatch):
    monkeypatch.setattr("tongban.documents.exchange_package.MAX_UNPACKED_BYTES", 100)

    assert _refused(exported, exported.package) == "交换包解压后过大，已拒绝导入"


def test_something_that_is_not_a_zip_is_refused(exported):
    assert _refused(exported, SMALL_PDF) == "交换包无法打开，请确认所选文件是公文交换包"


def test_only_a_clerk_of_the_department_imports(exported):
    with pytest.raises(DocumentNotFound):
        exchange.import_package(
            data=exported.package, department_id=exported.department.pk, user_id=exported.clerks[0].id
        )


def test_a_peer_platforms_key_is_trusted_once_added(exported, tmp_path):
    files = _files(exported.package)
    public = exchange.own_exchange_key()
    ExchangeKey.objects.all().delete()
    key_file = tmp_path / "peer.json"
    key_file.write_text(json.dumps(public), encoding="utf-8")

    call_command("trust_exchange_key", str(key_file))

    assert ReceivedDocument.objects.get(pk=_import(exported, _zip(files))).title == exported.document.title


def test_the_commands_export_and_import_a_package(exported, tmp_path):
    target = tmp_path / "package.zip"

    call_command("export_document_package", str(exported.document.pk), str(target))
    call_command(
        "import_document_package", str(target), department=exported.department.uscc, operator="importer"
    )

    assert ReceivedDocument.objects.get().department_id == exported.department.pk


def test_the_clerk_uploads_a_package_on_the_import_page(client, exported):
    login_staff(client, exported.importer)

    empty = client.post(reverse("documents:import_package"), {})
    upload = io.BytesIO(exported.package)
    upload.name = "package.zip"
    done = client.post(reverse("documents:import_package"), {"package": upload})

    assert empty.status_code == 400
    assert '<li><a href="#package">请选择交换包</a></li>' in empty.content.decode()
    received = ReceivedDocument.objects.get()
    assert done["Location"] == reverse("documents:received", args=[received.pk])


def test_a_tampered_upload_shows_the_refusal_on_the_import_page(client, exported):
    files = _files(exported.package)
    files["document.pdf"] = files["document.pdf"].replace(b"595 842", b"595 843")
    upload = io.BytesIO(_zip(files))
    upload.name = "package.zip"
    login_staff(client, exported.importer)

    response = client.post(reverse("documents:import_package"), {"package": upload})

    assert response.status_code == 400
    assert "可能已被篡改，已拒绝导入" in response.content.decode()
    assert ReceivedDocument.objects.count() == 0


def test_the_sender_clerk_downloads_the_package(client, exported):
    login_staff(client, exported.sender_clerk)

    response = client.get(reverse("documents:package", args=[exported.document.pk]))

    assert response["Content-Type"] == "application/zip"
    assert sorted(_files(response.content)) == sorted(_files(exported.package))
