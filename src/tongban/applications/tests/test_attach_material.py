"""Uploading materials to an application: checks, virus scan, replacement, and when it is allowed."""

import hashlib

import pytest
from conftest import EICAR, make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import MaterialFile
from tongban.applications.tests.factories import pdf_bytes
from tongban.catalog.selectors import version_snapshot
from tongban.catalog.types import MaterialData
from tongban.core.tests import scan_payloads
from tongban.core.uploads import UploadError
from tongban.core.virus_scan import ScannerUnavailable

FORM = MaterialData(
    name="申请书",
    material_type="form",
    form="electronic",
    necessity="required",
    source="applicant",
    max_size_mb=1,
)
PHOTO = MaterialData(
    name="照片",
    material_type="other",
    form="electronic",
    necessity="deferrable",
    source="applicant",
    allowed_types=("jpg", "png"),
)
ELECTRONIC = MaterialData(
    name="电子文件",
    material_type="other",
    form="electronic",
    necessity="deferrable",
    source="applicant",
    allowed_types=("pdf", "ofd"),
    max_size_mb=50,
)


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Every upload here goes through the real clamd."""


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password="x-Unused-Pass-1")


@pytest.fixture
def application(citizen, department, publish_item):
    item = publish_item(department, materials=(FORM, PHOTO, ELECTRONIC))
    application_id = services.start_application(
        applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
    )
    services.save_answers(
        application_id=application_id, applicant_id=citizen.id, answers={"address": "滨江路1号"}
    )
    materials = {m.name: m.id for m in version_snapshot(item.version_id).materials}
    return application_id, materials


def attach(citizen, application, material="申请书", *, name="申请书.pdf", data=None):
    application_id, materials = application
    return services.attach_material(
        application_id=application_id,
        applicant_id=citizen.id,
        requirement_id=materials[material],
        name=name,
        data=pdf_bytes() if data is None else data,
    )


def test_pdf_is_kept_under_a_generated_key(citizen, application):
    material_id = attach(citizen, application, name="../../settings.py.pdf")
    stored = MaterialFile.objects.get(pk=material_id)
    assert stored.display_name == "settings.py.pdf"
    assert "settings" not in stored.file.name  # T-C4: the storage key is ours, not the person's
    assert stored.file.read().startswith(b"%PDF-")
    assert stored.kind == "pdf"


def test_T_C1_program_renamed_to_pdf_is_refused_and_nothing_is_kept(citizen, application):
    with pytest.raises(UploadError, match="文件类型与扩展名不符"):
        attach(citizen, application, data=b"MZ\x90\x00" + b"\x00" * 200)
    assert MaterialFile.objects.count() == 0


def test_T_C5_file_over_the_materials_limit_is_refused(citizen, application):
    with pytest.raises(UploadError, match=r"^所选文件须小于 1MB$"):
        attach(citizen, application, data=pdf_bytes() + b"0" * (1024 * 1024))
    assert MaterialFile.objects.count() == 0


def test_type_not_allowed_for_the_material_is_refused(citizen, application):
    with pytest.raises(UploadError, match="所选文件须为 JPG 或 PNG 格式"):
        attach(citizen, application, "照片", name="照片.pdf")
    assert MaterialFile.objects.count() == 0


def test_T_C6_file_with_a_virus_is_refused(citizen, application, caplog):
    infected = pdf_bytes()[:-6] + EICAR + b"\n%%EOF\n"
    with pytest.raises(UploadError, match="所选文件含有病毒"):
        attach(citizen, application, data=infected)
    assert MaterialFile.objects.count() == 0
    [alert] = [r for r in caplog.records if r.name == "tongban.core.uploads"]
    assert (alert.levelname, alert.fields["event"], alert.fields["signature"]) == (
        "WARNING",
        "upload.malware",
        "Eicar-Test-Signature.UNOFFICIAL",
    )


def test_T_C6_eicar_after_70_mib_of_zeros_in_an_ofd_is_refused_and_nothing_is_kept(citizen, application):
    ofd = scan_payloads.eicar_after_zeros_ofd(70)
    with pytest.raises(UploadError, match=r"^所选文件解压后过大，请检查后重新选择$"):
        attach(citizen, application, "电子文件", name="营业执照.ofd", data=ofd)
    assert MaterialFile.objects.count() == 0


def test_T_C6_ofd_holding_nested_archives_is_refused_and_nothing_is_kept(citizen, application):
    ofd = scan_payloads.ofd_of({"Doc_0/Attachs/附件.zip": scan_payloads.nested_zips(20)})
    with pytest.raises(
        UploadError, match=r"^所选文件中含有压缩包，无法完成病毒检查，请去掉压缩包后重新上传$"
    ):
        attach(citizen, application, "电子文件", name="营业执照.ofd", data=ofd)
    assert MaterialFile.objects.count() == 0


def test_T_C6_pdf_that_clamd_cannot_scan_to_the_end_is_refused_and_alerted(citizen, application, caplog):
    # The app does not look inside PDF streams; clamd does, and stops at MaxRecursion before the EICAR
    # at the bottom of 20 zips: a limit alert, refused like a virus.
    pdf = scan_payloads.pdf_with_stream(scan_payloads.nested_zips(20))
    with pytest.raises(UploadError) as refused:
        attach(citizen, application, "电子文件", name="申请书.pdf", data=pdf)

    assert (refused.value.status, refused.value.message) == (
        400,
        "所选文件内容过多或嵌套层数过多，无法完成病毒检查，请拆分成较小的文件后重新上传",
    )
    assert MaterialFile.objects.count() == 0
    [alert] = [r for r in caplog.records if r.name == "tongban.core.uploads"]
    assert (alert.levelname, alert.getMessage()) == ("WARNING", "upload refused: scanner limit reached")
    assert alert.fields == {
        "event": "upload.scan_limit",
        "signature": "Heuristics.Limits.Exceeded.MaxRecursion",
        "kind": "pdf",
        "size": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "uploader_id": citizen.id,
    }


def test_T_C6_scanner_down_keeps_nothing(citizen, application, settings):
    settings.TONGBAN_CLAMD_PORT = 9  # nothing listens: the scanner gives no verdict
    with pytest.raises(ScannerUnavailable):
        attach(citizen, application)
    assert MaterialFile.objects.count() == 0


def test_T_M6_replaced_upload_leaves_no_residual_file(
    citizen, application, django_capture_on_commit_callbacks
):
    first = MaterialFile.objects.get(pk=attach(citizen, application))
    storage, old_name = first.file.storage, first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = attach(citizen, application, data=pdf_bytes("second"))
    assert list(MaterialFile.objects.values_list("pk", flat=True)) == [second]
    assert not storage.exists(old_name)  # T-M6: no residual file


def test_unknown_material_is_refused(citizen, application):
    application_id, _ = application
    with pytest.raises(ApplicationError, match="所选材料不属于该事项"):
        services.attach_material(
            application_id=application_id,
            applicant_id=citizen.id,
            requirement_id=999999,
            name="a.pdf",
            data=pdf_bytes(),
        )


def test_T_H4_material_cannot_be_swapped_after_submission(citizen, application):
    attach(citizen, application)
    application_id, _ = application
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    with pytest.raises(ApplicationStateError):
        attach(citizen, application, data=pdf_bytes("swapped"))
    assert MaterialFile.objects.count() == 1


def test_during_correction_only_the_listed_material_can_be_replaced(citizen, application, department):
    clerk = make_staff("market_clerk", department, role="clerk")
    attach(citizen, application)
    application_id, materials = application
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="申请书未签字",
        fields=[],
        material_ids=[materials["申请书"]],
    )
    attach(citizen, application, data=pdf_bytes("signed"))
    with pytest.raises(ApplicationStateError):
        attach(citizen, application, "照片", name="照片.png", data=b"\x89PNG\r\n\x1a\n")
    assert MaterialFile.objects.count() == 1
