"""`make run`: what it tells a new user (where staff log in, whether uploads are scanned) and the address
e-license QR codes carry, taken from the HOST and PORT it serves on."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.PROJECT_DIR)


def dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    environment = {
        k: v for k, v in os.environ.items() if k not in ("TONGBAN_PUBLIC_BASE_URL", "TONGBAN_VIRUS_SCANNER")
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments, the repository's own Makefile
        ["make", "-n", "run", *args],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_qr_codes_and_the_banner_use_the_port_it_serves_on():
    commands = dry_run("HOST=127.0.0.1", "PORT=8123")
    assert (
        "TONGBAN_PUBLIC_BASE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py load_demo_city" in commands
    )
    assert "exec env TONGBAN_PUBLIC_BASE_URL=http://127.0.0.1:8123 .venv/bin/gunicorn" in commands
    assert "-b 127.0.0.1:8123" in commands


def test_the_banner_and_the_readme_send_staff_to_the_same_login_page():
    login = reverse("accounts:staff_login")
    banner = re.search(r"\(staff: http://127\.0\.0\.1:8000(\S+)\)", dry_run())
    assert banner is not None
    assert banner[1] == login == "/staff/login/"
    assert f"staff at `{login}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def dev_scanning(**environment: str) -> dict[str, str]:
    """What deploy/clamav/dev-scanning.sh decides: the variables it exports and the banner's line."""
    script = ROOT / "deploy" / "clamav" / "dev-scanning.sh"
    base = {k: v for k, v in os.environ.items() if k != "TONGBAN_VIRUS_SCANNER"}
    done = subprocess.run(  # noqa: S603 - the repository's own script
        ["bash", "-c", f'eval "$({script})"; env | grep "^TONGBAN_"; echo "scanning=$scanning"'],  # noqa: S607
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    decided = dict(line.split("=", 1) for line in done.stdout.splitlines())
    return {k: v for k, v in decided.items() if k not in base or base[k] != v}


def test_make_run_scans_uploads_with_clamd_when_it_is_installed(running_clamd):
    assert "dev-scanning.sh" in dry_run()
    decided = dev_scanning()
    assert decided["TONGBAN_VIRUS_SCANNER"] == "tongban.core.virus_scan.backends.clamd.ClamdScanner"
    assert (decided["TONGBAN_CLAMD_HOST"], decided["TONGBAN_CLAMD_PORT"]) == ("127.0.0.1", "13310")


def test_without_clamd_the_banner_says_plainly_that_scanning_is_off(tmp_path):
    decided = dev_scanning(CLAMD_SEARCH_PATH=str(tmp_path))
    assert decided["TONGBAN_VIRUS_SCANNER"] == "tongban.core.virus_scan.backends.disabled.DisabledScanner"
    assert decided["scanning"].startswith("OFF - uploads are stored UNSCANNED: clamd is not installed")


def test_a_scanner_chosen_in_the_environment_is_kept():
    decided = dev_scanning(TONGBAN_VIRUS_SCANNER="example.Scanner")
    assert decided == {
        "TONGBAN_VIRUS_SCANNER": "example.Scanner",
        "scanning": "uploads are scanned by example.Scanner (set in the environment)",
    }
