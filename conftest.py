"""Fixtures shared by every app's tests."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.catalog import selectors as catalog_selectors
from tongban.catalog import services as catalog_services
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory

PASSWORD = "Correct-horse-9-battery"
START_CLAMD = Path(__file__).resolve().parent / "deploy" / "clamav" / "start-test-clamd.sh"
CLAMD = "tongban.core.virus_scan.backends.clamd.ClamdScanner"
CLAMD_PORT = 13310
# The 68-byte EICAR test file: every scanner reports it, and it does nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def running_clamd():
    """A real clamd on loopback with the local EICAR signature (make test installs clamav-daemon)."""
    # Debian installs clamd in /usr/sbin, which is not on a normal user's PATH.
    search_path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    if shutil.which("clamd", path=search_path) is None:
        pytest.fail("clamd is not installed: apt-get install clamav-daemon (make test does it as root)")
    started = subprocess.run(  # noqa: S603 - fixed script from the repository
        [str(START_CLAMD)],
        env={**os.environ, "PATH": search_path},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    if started.returncode != 0:
        pytest.fail(f"test clamd did not start: {started.stdout}{started.stderr}")


@pytest.fixture
def clamd(settings, running_clamd):
    """Scan uploads with the real clamd for this test."""
    settings.TONGBAN_VIRUS_SCANNER = CLAMD
    settings.TONGBAN_CLAMD_SOCKET = ""
    settings.TONGBAN_CLAMD_HOST = "127.0.0.1"
    settings.TONGBAN_CLAMD_PORT = CLAMD_PORT
    settings.TONGBAN_CLAMD_TIMEOUT = 10
    return settings


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash with MD5: the production hasher (PBKDF2, about 0.35 s a password here) made the
    demo city's 47 accounts a third of every demo load. Production keeps Django's default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty per-process cache: rate-limit counters (accounts.limits) left by
    an earlier test in the same worker, e.g. 20 办件查询 from one address, would refuse its requests.
    A shared Redis cache is never flushed here (other processes use it)."""
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_snapshot_cache():
    """Every test's database numbers item versions from 1 again; a kept snapshot would be another's.
    The same for the search's synonym table and did-you-mean vocabulary (a rolled-back test never
    commits the change that would renew them)."""
    catalog_selectors.forget_version_snapshots()
    catalog_selectors.forget_search_caches()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes files under its own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "media")}},
        "public": {**settings.STORAGES["public"], "OPTIONS": {"location": str(tmp_path / "media/public")}},
        "materials": {
            **settings.STORAGES["materials"],
            "OPTIONS": {"location": str(tmp_path / "media/materials")},
        },
        "archives": {
            **settings.STORAGES["archives"],
            "OPTIONS": {"location": str(tmp_path / "media/archives")},
        },
    }


@pytest.fixture
def department(db):
    return DepartmentFactory(name="云州市锦江区市场监督管理局", short_name="锦江区市场监管局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="云州市锦江区民政局", short_name="锦江区民政局")


def make_staff(username: str, department, role: str = "catalog_editor"):
    user = ensure_user(username=username, full_name=username, kind="staff", password=PASSWORD)
    assign_role(user_id=user.id, department_id=department.pk, role=role)
    return user


@pytest.fixture
def editor(department):
    return make_staff("market_editor", department)


@pytest.fixture
def publish_item(db):
    """Create and publish an item: publish_item(department, basic_code=…, **draft overrides)."""
    counter = iter(range(10**6))

    def _publish(department, *, basic_code=None, **overrides):
        code = basic_code or f"0002{next(counter):08d}"
        ref = catalog_services.create_item(
            department_id=department.pk,
            basic_code=code,
            implementation_code=department.uscc + code,
            draft=ItemDraftFactory(**overrides),
            actor_id=None,
        )
        return catalog_services.publish_version(version_id=ref.version_id, actor_id=None)

    return _publish


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, with the staff second factor passed (T-A5)."""
    login_staff(client, admin_user)
    return client


@pytest.fixture
def citizen_client(client, db):
    """A client logged in as a citizen (portal accounts need no second factor)."""
    ensure_user(
        username="13800000009", full_name="王五", kind="citizen", password=PASSWORD, phone="13800000009"
    )
    client.login(username="13800000009", password=PASSWORD)
    return client
