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
from tongban.core.virus_scan import CLEAN, ScannerUnavailable, ScanResult

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


def test_file_of_several_chunks_is_scanned_whole(clamd):
    assert virus_scan.scan(os.urandom(3 * 1024 * 1024 + 17)) == CLEAN


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
