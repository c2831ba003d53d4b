"""用印 as a PAdES signature (documents.sealing): readers verify it, one changed byte breaks it (T-G2)."""

import io
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tongban.documents import sealing
from tongban.documents.errors import DocumentError
from tongban.documents.layout import render_layout
from tongban.documents.models import SealAuthority, SealCertificate
from tongban.documents.tests.output_helpers import sample_layout
from tongban.documents.tests.raster import count, is_red, rasterise, region
from tongban.licenses.models import Seal
from tongban.licenses.services import create_seal, ensure_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def seal(department):
    return Seal.objects.get(key_id=ensure_seal(department_id=department.pk))


@pytest.fixture
def rendered():
    return render_layout(sample_layout())


@pytest.fixture
def sealed(rendered, seal):
    return sealing.seal_pdf(sealing.add_seal_field(rendered), seal=seal, issuer_name="云州市人民政府办公室")


def test_a_sealed_document_verifies_against_the_platform_seal_ca(sealed, seal):
    check = sealing.verify_pdf_seal(sealed)

    assert check.valid
    assert check.intact
    assert check.trusted
    assert check.seal_name == seal.name
    assert check.signer == "云州市人民政府办公室"
    assert check.signed_at is not None
    assert "有效" in check.reason


def test_the_seal_certificate_is_issued_once_per_seal_and_the_keys_stay_with_the_signer(sealed, seal):
    certificate = SealCertificate.objects.get(seal=seal)
    authority = SealAuthority.objects.get(is_active=True)
    assert "PRIVATE KEY" not in certificate.certificate_pem
    assert "PRIVATE KEY" not in authority.certificate_pem
    x509 = sealing.load_certificate(certificate.certificate_pem)
    assert x509.issuer == sealing.load_certificate(authority.certificate_pem).subject
    assert x509.public_key.dump() == sealing._public_key(seal.public_key_pem).dump()
    assert sealing.certificate_for(seal, organization="x").pk == certificate.pk


def test_the_visible_seal_is_red_over_the_date_on_the_last_page(rendered, sealed):
    box = rendered.seal_box
    last = rasterise(sealed)[box.page_index]
    assert count(last, region(box.left, box.bottom, box.right, box.top), is_red) > 300
    date = rendered.date_box
    assert count(last, region(date.left, date.bottom, date.right, date.top), is_red) > 10


def test_T_G2_one_changed_byte_makes_the_seal_invalid(sealed):
    for position in (len(sealed) // 3, 1000, len(sealed) - 300):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        check = sealing.verify_pdf_seal(bytes(tampered))
        assert not check.valid, position
        assert check.reason


def test_T_G2_a_changed_byte_in_the_signature_padding_makes_the_seal_invalid(sealed):
    start = sealed.index(b"/Contents <") + len(b"/Contents <")
    end = sealed.index(b">", start)
    tampered = bytearray(sealed)
    tampered[end - 2] = ord("1")  # inside the zero padding after the CMS

    assert not sealing.verify_pdf_seal(bytes(tampered)).valid


def test_T_G2_a_revision_appended_after_sealing_makes_the_seal_invalid(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Lang"] = __import__("pyhanko.pdf_utils.generic", fromlist=["x"]).pdf_string("zh-CN")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)

    check = sealing.verify_pdf_seal(out.getvalue())
    assert not check.valid
    assert "追加" in check.reason


def test_a_document_without_a_seal_is_invalid(rendered):
    sealing.ensure_authority()
    check = sealing.verify_pdf_seal(sealing.add_seal_field(rendered))
    assert not check.valid
    assert "没有电子印章" in check.reason
    assert not sealing.verify_pdf_seal(b"not a pdf").valid


def test_a_seal_from_another_ca_is_not_trusted(sealed):
    # Another deployment's CA: the same document checked against a root that did not issue its seal.
    other_root = sealing.load_certificate(SealAuthority.objects.get().certificate_pem)
    SealAuthority.objects.update(is_active=False)
    new_authority = sealing.ensure_authority()
    assert new_authority.certificate_pem != other_root.dump()

    check = sealing.verify_pdf_seal(sealed, roots=[sealing.load_certificate(new_authority.certificate_pem)])
    assert not check.valid
    assert not check.trusted
    assert check.intact
    assert "不可信" in check.reason
    assert sealing.verify_pdf_seal(sealed).valid  # the retired CA is still a root of this platform


def test_a_retired_seal_keeps_its_documents_valid(sealed, department):
    create_seal(department_id=department.pk)  # the old seal is retired

    assert sealing.verify_pdf_seal(sealed).valid


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils")
def test_pdfsig_reports_a_valid_signature_and_an_untrusted_issuer(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607

    assert "Signature Field Name: 公文印章" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "Total document signed" in report
    tampered = bytearray(sealed)
    tampered[len(sealed) // 3] ^= 0x01
    path.write_bytes(bytes(tampered))
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    assert "Signature is Valid." not in report


def test_an_ed25519_seal_is_a_valid_pades_signature_too(settings, department):
    settings.TONGBAN_SIGNER = "tongban.core.signing.backends.local.LocalEd25519Signer"
    seal = Seal.objects.get(key_id=create_seal(department_id=department.pk))
    assert seal.algorithm == "Ed25519"

    sealed = sealing.seal_pdf(
        sealing.add_seal_field(render_layout(sample_layout(body_html="<p>通知。</p>"))),
        seal=seal,
        issuer_name="云州市人民政府办公室",
    )
    assert sealing.verify_pdf_seal(sealed).valid


def test_an_sm2_seal_is_refused_with_a_reason(settings, department):
    settings.TONGBAN_SIGNER = "tongban.core.signing.backends.local.LocalSm2Signer"
    seal = Seal.objects.get(key_id=create_seal(department_id=department.pk))
    prepared = sealing.add_seal_field(render_layout(sample_layout(body_html="<p>通知。</p>")))

    with pytest.raises(DocumentError, match="SM2"):
        sealing.seal_pdf(prepared, seal=seal, issuer_name="云州市人民政府办公室")


def test_the_validation_coroutine_also_completes_inside_a_running_event_loop():
    """verify_pdf_seal runs pyHanko's coroutine; a caller already inside an event loop (an async view,
    a browser test's driver) must get its answer, not the 数据损坏 of a failed asyncio.run."""
    import asyncio

    async def answer() -> int:
        return 42

    async def caller_in_a_loop() -> int:
        return sealing._run_to_completion(answer())

    assert sealing._run_to_completion(answer()) == 42
    assert asyncio.run(caller_in_a_loop()) == 42
