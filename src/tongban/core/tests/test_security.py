"""Site-wide security defaults (shared/THREATS.md rows that concern every page)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.urls import reverse

PROJECT = Path(__file__).resolve().parents[4]


def clean_environment(**env: str) -> dict[str, str]:
    """A clean production-like environment: no project settings, no test-only switches; then ``env``."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TONGBAN_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    } | env


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(PROJECT / "manage.py"), *args],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "TONGBAN_DEBUG": "false",
    "TONGBAN_SECRET_KEY": secrets.token_urlsafe(60),
    "TONGBAN_ALLOWED_HOSTS": "zwfw.yunzhou.gov.cn",
    "DATABASE_URL": "sqlite:////tmp/tongban-deploy-check.sqlite3",
    "TONGBAN_VIRUS_SCANNER": "tongban.core.virus_scan.backends.clamd.ClamdScanner",
    "TONGBAN_SMS_BACKEND": "tongban.core.sms.backends.locmem.LocmemBackend",
    "TONGBAN_RESIDENT_ID_HMAC_KEY": secrets.token_urlsafe(40),
    "TONGBAN_TOTP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "TONGBAN_SIGNING_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "TONGBAN_ANSWER_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "TONGBAN_PUBLIC_BASE_URL": "https://zwfw.yunzhou.gov.cn",
    "TONGBAN_REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("catalog:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_T_N2_no_vcs_metadata_or_trace(client, db):
    assert client.get("/.git/HEAD").status_code == 404
    assert client.get("/__debug__/").status_code == 404
    assert client.generic("TRACE", "/").status_code == 405


def test_T_N1_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_T_N4_production_refuses_to_start_without_a_secret_key():
    settings_without_key = {k: v for k, v in PRODUCTION.items() if k != "TONGBAN_SECRET_KEY"}
    result = run_manage("check", **settings_without_key)
    assert result.returncode != 0
    assert "TONGBAN_SECRET_KEY must be set" in result.stderr


def test_T_A1_production_refuses_to_start_without_a_shared_cache():
    # Login and SMS-code limits counted per process would multiply by the number of workers.
    settings_without_redis = {k: v for k, v in PRODUCTION.items() if k != "TONGBAN_REDIS_URL"}
    result = run_manage("check", **settings_without_redis)
    assert result.returncode != 0
    assert "TONGBAN_REDIS_URL must be set when TONGBAN_DEBUG is false" in result.stderr


def test_T_A8_production_cookies_are_secure_host_cookies():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE)",
        **PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "True",
        "True",
        "Lax",
        "True",
    ]


def test_T_M5_pages_for_a_logged_in_person_are_not_cached(citizen_client):
    client = citizen_client
    response = client.get(reverse("catalog:home"))
    assert "no-store" in response["Cache-Control"]


def test_health_check_reports_the_database(client, db):
    response = client.get(reverse("core:health"))
    assert response.json() == {"status": "ok"}


def test_T_N5_unknown_host_is_refused(client, db):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
