"""套红 and 用印 of a 发文 (documents.services.output): who, when, once (THREATS T-G1, T-G2)."""

import hashlib

import pytest
from conftest import make_staff
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from tongban.core.models import AuditEvent
from tongban.documents import sealing
from tongban.documents.errors import DocumentPermissionError, DocumentStateError
from tongban.documents.roles import DOCUMENT_CLERK, SEAL_KEEPER
from tongban.documents.services import output
from tongban.documents.tests.factories import OfficialDocumentFactory
from tongban.documents.tests.output_helpers import numbered_document
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _sealed():
    document, clerk, keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    output.seal_document(document_id=document.pk, user_id=keeper.id)
    document.refresh_from_db()
    return document, clerk, keeper


def test_layout_of_takes_the_latest_clean_body_recipients_and_labels():
    document, _clerk, _keeper = numbered_document(
        urgency="extra_urgent", secrecy="secret", secrecy_period="1年"
    )
    layout = output.layout_of(document.pk)

    assert layout.document_number == "云州府办〔2026〕12号"
    assert layout.head_text.endswith("文件")
    assert layout.main_recipients == ("各区县人民政府",)
    assert layout.copy_recipients == ("市委办公室",)
    assert layout.urgency == "特急"
    assert layout.secrecy == "秘密"
    assert layout.secrecy_period == "1年"
    assert layout.issued_on == document.issued_on
    assert "<h2>" in layout.body_html
    assert layout.signer_name == ""  # a 通知 is not an upward document


def test_typeset_stores_the_red_headed_pdf_with_its_page_count_and_the_empty_seal_field():
    document, clerk, _keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    document.refresh_from_db()

    pdf = document.typeset_pdf.read()
    assert document.page_count == 5 == len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert "公文印章" in str(PdfReader(__import__("io").BytesIO(pdf)).get_fields() or {})
    assert not document.sealed_pdf
    assert AuditEvent.objects.filter(event="document.typeset", object_id=str(document.pk)).exists()


def test_typeset_needs_the_sign_off_and_the_number():
    unsigned = OfficialDocumentFactory()
    clerk = make_staff("clerk_u", unsigned.issuing_body.department, DOCUMENT_CLERK)
    with pytest.raises(DocumentStateError, match="尚未签发"):
        output.typeset_document(document_id=unsigned.pk, user_id=clerk.id)

    unnumbered, clerk2, _keeper = numbered_document(number=None)
    with pytest.raises(DocumentStateError, match="尚未编号"):
        output.typeset_document(document_id=unnumbered.pk, user_id=clerk2.id)


def test_typeset_is_for_the_issuing_bodys_clerk():
    document, _clerk, keeper = numbered_document()
    other_clerk = make_staff("other_clerk", DepartmentFactory(), DOCUMENT_CLERK)
    for user in (keeper, other_clerk, document.drafter):
        with pytest.raises(DocumentPermissionError):
            output.typeset_document(document_id=document.pk, user_id=user.id)


def test_seal_stores_the_sealed_pdf_its_digest_the_time_and_the_keeper_and_audits_it():
    document, _clerk, keeper = _sealed()

    data = document.sealed_pdf.read()
    assert document.sealed_sha256 == hashlib.sha256(data).hexdigest()
    assert document.sealed_by_id == keeper.id
    assert document.sealed_at is not None
    assert sealing.verify_pdf_seal(data).valid
    event = AuditEvent.objects.get(event="document.seal", object_id=str(document.pk), result="ok")
    assert event.actor_id == keeper.id


def test_T_G1_only_the_seal_keeper_of_the_issuing_department_may_seal():
    document, clerk, _keeper = numbered_document()
    output.typeset_document(document_id=document.pk, user_id=clerk.id)
    other_keeper = make_staff("other_keeper", DepartmentFactory(), SEAL_KEEPER)

    for user in (document.drafter, clerk, other_keeper):
        with pytest.raises(DocumentPermissionError) as refused:
            output.seal_document(document_id=document.pk, user_id=user.id)
        assert refused.value.status == 403
    document.refresh_from_db()
    assert not document.sealed_pdf
    assert AuditEvent.objects.filter(event="document.seal", result="denied").count() == 3


def test_T_G1_a_document_not_yet_signed_off_is_not_sealed():
    document = OfficialDocumentFactory(document_number="云州府办〔2026〕3号")
    keeper = make_staff("keeper_u", document.issuing_body.department, SEAL_KEEPER)

    with pytest.raises(DocumentStateError, match="尚未签发") as refused:
        output.seal_document(document_id=document.pk, user_id=keeper.id)
    assert refused.value.status == 409


def test_T_G1_a_document_not_yet_typeset_is_not_sealed():
    document, _clerk, keeper = numbered_document()

    with pytest.raises(DocumentStateError, match="尚未套红"):
        output.seal_document(document_id=document.pk, user_id=keeper.id)


def test_T_G2_sealing_again_keeps_the_first_seal_and_the_stored_file_verifies():
    document, clerk, keeper = _sealed()
    first = (document.sealed_pdf.name, document.sealed_sha256, document.sealed_at)

    output.seal_document(document_id=document.pk, user_id=keeper.id)
    document.refresh_from_db()
    assert (document.sealed_pdf.name, document.sealed_sha256, document.sealed_at) == first
    assert sealing.verify_pdf_seal(document.sealed_pdf.read()).valid
    assert AuditEvent.objects.filter(event="document.seal", result="ok").count() == 1
    with pytest.raises(DocumentStateError, match="已用印"):
        output.typeset_document(document_id=document.pk, user_id=clerk.id)


def test_T_G2_the_stored_sealed_file_with_one_byte_changed_is_invalid():
    document, _clerk, _keeper = _sealed()
    data = bytearray(document.sealed_pdf.read())
    data[len(data) // 2] ^= 0x20

    check = sealing.verify_pdf_seal(bytes(data))
    assert not check.valid
    assert "改动" in check.reason


def test_the_verify_command_exits_0_for_a_sealed_file_and_1_for_a_changed_one(tmp_path, capsys):
    document, _clerk, _keeper = _sealed()
    good = tmp_path / "good.pdf"
    good.write_bytes(document.sealed_pdf.read())
    call_command("verify_document", str(good))
    assert "印章有效" in capsys.readouterr().out

    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    with pytest.raises(CommandError) as failed:
        call_command("verify_document", str(bad))
    assert failed.value.returncode == 1
    assert "印章签名无效" in capsys.readouterr().out


def test_the_tongban_verify_document_spelling_runs_the_command(tmp_path, capsys, monkeypatch):
    from tongban import manage

    document, _clerk, _keeper = _sealed()
    path = tmp_path / "sealed.pdf"
    path.write_bytes(document.sealed_pdf.read())
    monkeypatch.setattr("sys.argv", ["tongban", "verify-document", str(path)])
    manage.main()

    assert "印章有效" in capsys.readouterr().out
