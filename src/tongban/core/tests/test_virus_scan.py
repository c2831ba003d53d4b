"""Virus scanning through the plugin point, against a real clamd on loopback (THREATS T-C6).

The clamd comes from deploy/clamav/start-test-clamd.sh: Debian's clamav-daemon with a one-signature
database that detects the EICAR test string.
"""

import io
import logging
import os
import socket

import pytest
from conftest import EICAR
from reportlab.pdfgen import canvas

from tongban.core import virus_scan
from tongban.core.tests import scan_payloads
from tongban.core.virus_scan import CLEAN, ScannerUnavailable, ScanResult
from tongban.core.virus_scan.backends.clamd import CHUNK

CLAMD_SOCKET = "/tmp/tongban-test-clamd/clamd.sock"  # noqa: S108 - as in deploy/clamav/clamd.conf
DISABLED = "tongban.core.virus_scan.backends.disabled.DisabledScanner"
UNAVAILABLE = "文件安全检查暂时不可用，请稍后重试"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "营业执照")
    page.save()
    return out.getvalue()


def test_T_C6_eicar_is_reported_with_its_signature(clamd):
    assert virus_scan.scan(EICAR) == ScanResult(is_infected=True, signature="Eicar-Test-Signature.UNOFFICIAL")


def test_clean_pdf_is_clean(clamd):
    assert virus_scan.scan(make_pdf()) == CLEAN


def test_T_C6_eicar_after_the_first_chunk_is_found(clamd):
    # Sent in 64 KiB chunks: EICAR sits in the 33rd, so a scanner that stopped early would say clean.
    data = os.urandom(2 * 1024 * 1024 + 5) + EICAR + os.urandom(1024 * 1024)
    assert data.index(EICAR) > CHUNK

    assert virus_scan.scan(data) == ScanResult(is_infected=True, signature="Eicar-Test-Signature.UNOFFICIAL")


def test_file_of_several_chunks_is_clean(clamd):
    assert virus_scan.scan(os.urandom(3 * 1024 * 1024 + 17)) == CLEAN


def test_T_C6_eicar_after_70_mib_of_zeros_in_an_ofd_is_found(clamd):
    # With a MaxFileSize under 70 MiB clamd would skip the member without a word (ClamAV issue 633) and
    # answer OK; deploy/clamav/clamd.conf reads it to the end (the app refuses such an OFD anyway).
    result = virus_scan.scan(scan_payloads.eicar_after_zeros_ofd(70))

    assert result == ScanResult(is_infected=True, signature="Eicar-Test-Signature.UNOFFICIAL")
    assert result.is_incomplete is False


def test_T_C6_archives_nested_past_max_recursion_are_a_limit_alert(clamd):
    # deploy/clamav/clamd.conf: MaxRecursion 16; EICAR at the bottom of 20 zips is never reached.
    result = virus_scan.scan(scan_payloads.nested_zips(20))

    assert result == ScanResult(is_infected=True, signature="Heuristics.Limits.Exceeded.MaxRecursion")
    assert result.is_incomplete is True


def test_T_C6_archive_within_max_recursion_is_scanned_to_the_end(clamd):
    assert virus_scan.scan(scan_payloads.nested_zips(3)).signature == "Eicar-Test-Signature.UNOFFICIAL"


@pytest.mark.enable_socket  # a Unix socket; pytest-socket's allow-hosts only knows IP addresses
def test_T_C6_eicar_is_reported_over_a_unix_socket(clamd):
    clamd.TONGBAN_CLAMD_SOCKET = CLAMD_SOCKET

    assert virus_scan.scan(EICAR).signature == "Eicar-Test-Signature.UNOFFICIAL"


def test_check_reports_engine_and_signature_version(clamd):
    assert virus_scan.check().startswith("ClamAV 1.")


def test_T_C6_unreachable_clamd_fails_closed(clamd, caplog):
    clamd.TONGBAN_CLAMD_PORT = closed_port()

    with pytest.raises(ScannerUnavailable) as unavailable:
        virus_scan.scan(EICAR)

    assert (unavailable.value.status, unavailable.value.message) == (503, UNAVAILABLE)
    assert "is unavailable" in caplog.text
    with pytest.raises(ScannerUnavailable):
        virus_scan.check()


def test_T_C6_silent_clamd_times_out_and_fails_closed(clamd):
    clamd.TONGBAN_CLAMD_TIMEOUT = 0.2
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        clamd.TONGBAN_CLAMD_PORT = silent.getsockname()[1]

        with pytest.raises(ScannerUnavailable):
            virus_scan.scan(b"%PDF-1.4 small")


@pytest.mark.enable_socket
def test_T_C6_missing_unix_socket_fails_closed(clamd, tmp_path):
    clamd.TONGBAN_CLAMD_SOCKET = str(tmp_path / "no-such.sock")

    with pytest.raises(ScannerUnavailable):
        virus_scan.scan(EICAR)


def test_T_C6_stream_over_clamd_limit_fails_closed(clamd):
    # deploy/clamav/clamd.conf: StreamMaxLength 64M; clamd answers "… size limit exceeded. ERROR"
    # or drops the connection, never "OK".
    with pytest.raises(ScannerUnavailable):
        virus_scan.scan(bytes(65 * 1024 * 1024))


def test_disabled_scanner_reports_clean_and_warns(settings, caplog):
    settings.TONGBAN_VIRUS_SCANNER = DISABLED

    with caplog.at_level(logging.WARNING):
        assert virus_scan.scan(EICAR) == CLEAN

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "virus scanning is disabled: 68 bytes passed unscanned")
    ]
    assert virus_scan.check() == "virus scanning is disabled"


def test_missing_setting_means_the_disabled_scanner(settings, caplog):
    if hasattr(settings, "TONGBAN_VIRUS_SCANNER"):
        del settings.TONGBAN_VIRUS_SCANNER

    assert virus_scan.scan(b"%PDF-1.4") == CLEAN
    assert "virus scanning is disabled" in caplog.text
