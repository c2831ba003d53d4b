"""Verification: signature first (file and data), then status (STANDARDS §8; THREATS T-F1–T-F3)."""

import datetime as dt
import json

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tongban.licenses import pdf as license_pdf
from tongban.licenses import services
from tongban.licenses.models import License


def _envelope(license_row: License) -> dict:
    return {
        "payload": json.loads(license_row.signed_payload),
        "alg": license_row.seal.algorithm,
        "key_id": license_row.seal.key_id,
        "signature": license_row.signature,
    }


def _revoke(license_row, department):
    from conftest import make_staff

    approver = make_staff("market_approver", department, role="approver")
    services.revoke_license(license_pk=license_row.pk, staff_id=approver.id, reason="以欺骗手段取得登记")


def test_a_genuine_license_pdf_verifies_as_valid(issued):
    result = services.verify_pdf(bytes(issued.pdf))

    assert result.signature_ok
    assert result.status == "valid"
    assert result.status_source == "online"
    assert result.license_id == issued.license_id
    assert result.message == "签名有效；证照状态：有效"


def test_one_changed_byte_anywhere_in_the_pdf_fails(issued):
    data = bytearray(bytes(issued.pdf))
    signed_part = data.rfind(b"\n%TONGBAN-LICENSE-SIGNATURE ")
    for position in (10, signed_part // 2, signed_part - 3):
        tampered = bytearray(data)
        tampered[position] ^= 0x01

        result = services.verify_pdf(bytes(tampered))

        assert not result.signature_ok
        assert result.message == "验证失败：文件已被修改，签名无效"


def test_T_F1_a_changed_field_with_the_signature_kept_fails(issued):
    envelope = _envelope(issued)
    assert services.verify_envelope(envelope).signature_ok
    envelope["payload"]["holder"]["name"] = "云州市假冒餐饮有限公司"

    result = services.verify_envelope(envelope)

    assert not result.signature_ok
    assert result.message == "验证失败：签名无效"


def test_T_F1_a_changed_field_inside_a_re_assembled_pdf_fails(issued):
    signed, trailer = license_pdf.split_trailer(bytes(issued.pdf))
    envelope = license_pdf.attached_data(signed)
    envelope["payload"]["face"][4]["value"] = "餐饮服务；烟草零售"
    # The attacker rebuilds the PDF with the edited data and keeps the issuer's file signature.
    forged = license_pdf.append_trailer(license_pdf.attach_data(signed, envelope), trailer)

    assert not services.verify_pdf(forged).signature_ok
    assert not services.verify_envelope(envelope).signature_ok


def test_T_F2_stripped_foreign_or_downgraded_signatures_are_refused(issued):
    signed, trailer = license_pdf.split_trailer(bytes(issued.pdf))

    stripped = services.verify_pdf(signed)
    attacker_key = ec.generate_private_key(ec.SECP256R1())
    foreign = license_pdf.append_trailer(
        signed,
        license_pdf.Trailer(
            algorithm="ES256",
            key_id="attacker",
            signature=attacker_key.sign(signed, ec.ECDSA(hashes.SHA256())),
        ),
    )
    downgraded = license_pdf.append_trailer(
        signed, license_pdf.Trailer(algorithm="none", key_id=trailer.key_id, signature=b"")
    )
    envelope = _envelope(issued)
    del envelope["signature"]

    assert stripped.message == "验证失败：文件没有证照签名"
    assert services.verify_pdf(foreign).message == "验证失败：签发机关证书不受信任"
    assert services.verify_pdf(downgraded).message == "验证失败：签名算法不受支持"
    assert services.verify_envelope(envelope).message == "验证失败：缺少签名"
    assert (
        services.verify_envelope({**_envelope(issued), "alg": "none"}).message == "验证失败：签名算法不受支持"
    )


def test_T_F3_a_revoked_license_verifies_as_revoked_with_the_date(issued, department):
    _revoke(issued, department)

    result = services.verify_pdf(bytes(issued.pdf))

    today = timezone.localdate()
    assert result.signature_ok
    assert result.status == "revoked"
    assert result.message == f"签名有效；该证照已于{today.year}年{today.month}月{today.day}日注销"


def test_T_F3_an_expired_license_verifies_as_expired(issued):
    day_after = dt.datetime.combine(issued.valid_until + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)

    with time_machine.travel(day_after, tick=False):
        result = services.verify_pdf(bytes(issued.pdf))

    assert result.signature_ok
    assert result.status == "expired"
    assert result.message == "签名有效；该证照已过期"


def test_offline_status_comes_from_the_signed_validity_period(issued):
    # A license this register does not hold (e.g. a copy checked on another installation).
    License.objects.filter(pk=issued.pk).update(license_id="elsewhere")

    result = services.verify_pdf(bytes(issued.pdf))

    assert result.status_source == "offline"
    assert result.status == "valid"


def test_the_command_prints_the_result_and_exits_by_status(issued, department, tmp_path, capsys):
    path = tmp_path / "license.pdf"
    path.write_bytes(bytes(issued.pdf))

    call_command("verify_license", str(path))
    output = capsys.readouterr().out
    assert "签名有效；证照状态：有效" in output
    assert "状态：有效（在线（证照库））" in output
    assert "云州市青禾餐饮管理有限公司" in output

    _revoke(issued, department)

    with pytest.raises(CommandError) as revoked:
        call_command("verify_license", str(path))
    assert revoked.value.returncode == 2
    assert "注销" in capsys.readouterr().out

    tampered = bytearray(path.read_bytes())
    tampered[200] ^= 0x20
    path.write_bytes(bytes(tampered))
    with pytest.raises(CommandError) as broken:
        call_command("verify_license", str(path))
    assert broken.value.returncode == 1
    assert "验证失败" in capsys.readouterr().out


def test_a_trailer_that_is_not_base64_is_not_a_signature(issued):
    signed, _trailer = license_pdf.split_trailer(bytes(issued.pdf))

    result = services.verify_pdf(signed + b"\n%TONGBAN-LICENSE-SIGNATURE !!!\n")

    assert result.message == "验证失败：文件没有证照签名"


@pytest.mark.parametrize("signer", ["LocalEd25519Signer", "LocalSm2Signer"], ids=["Ed25519", "SM2-SM3"])
def test_licenses_signed_with_each_signer_verify_and_detect_tampering(
    settings, signer, department, publish_item, holder
):
    from tongban.licenses.tests.factories import (
        business_license_type,
        close_application,
        submitted_application,
    )

    settings.TONGBAN_SIGNER = f"tongban.core.signing.backends.local.{signer}"
    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    application_id = submitted_application(item, applicant_id=holder.id)
    close_application(application_id)
    services.issue_license_for_application(application_id=application_id)
    license_row = License.objects.get()
    tampered = bytearray(bytes(license_row.pdf))
    tampered[100] ^= 0x01

    assert (
        license_row.seal.algorithm == {"LocalEd25519Signer": "Ed25519", "LocalSm2Signer": "SM2-SM3"}[signer]
    )
    assert services.verify_pdf(bytes(license_row.pdf)).is_valid
    assert not services.verify_pdf(bytes(tampered)).signature_ok


def test_tongban_verify_license_runs_the_command(issued, tmp_path, capsys, monkeypatch):
    from tongban import manage

    path = tmp_path / "license.pdf"
    path.write_bytes(bytes(issued.pdf))
    monkeypatch.setattr("sys.argv", ["tongban", "verify-license", str(path)])

    manage.main()

    assert "签名有效；证照状态：有效" in capsys.readouterr().out
