"""``/readyz``: 200 when every configured dependency answers, 503 naming the one that does not, with no
internals in the body; ``/healthz`` stays the cheap liveness check."""

import json
import socket

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from tongban.operations import readiness

REDIS_DB14 = "redis://127.0.0.1:6379/14"
EXPECTED = {"database", "cache", "broker", "clamd", "storage"}


def _free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ready_in_development_with_broker_and_scanner_not_configured(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    settings.TONGBAN_VIRUS_SCANNER = ""
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "not configured",
            "clamd": "not configured",
            "storage": "ok",
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_real_redis_broker_and_clamd(client, db, clamd, settings):
    settings.CELERY_BROKER_URL = REDIS_DB14
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 200
    assert set(response.json()["checks"].values()) == {"ok"}


def test_unreachable_clamd_makes_the_node_unready_without_naming_its_address(client, db, clamd, settings):
    port = _free_port()
    settings.TONGBAN_CLAMD_PORT = port
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["clamd"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert set(body["checks"]) == EXPECTED
    text = response.content.decode()
    assert str(port) not in text
    assert "127.0.0.1" not in text
    assert "Error" not in text


def test_unreachable_broker_makes_the_node_unready(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_free_port()}/14"
    settings.TONGBAN_VIRUS_SCANNER = ""
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"
    assert "redis://" not in response.content.decode()


def test_storage_probe_is_written_and_deleted(client, db, tmp_path, monkeypatch, settings):
    settings.TONGBAN_VIRUS_SCANNER = ""
    media = tmp_path / "media"
    monkeypatch.setattr(readiness, "default_storage", FileSystemStorage(location=media))
    response = client.get(reverse("operations:readiness"))
    assert response.json()["checks"]["storage"] == "ok"
    assert list((media / "readyz").iterdir()) == []


def test_unwritable_storage_makes_the_node_unready(client, db, tmp_path, monkeypatch, settings):
    settings.TONGBAN_VIRUS_SCANNER = ""
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("a file where MEDIA_ROOT should be")
    monkeypatch.setattr(readiness, "default_storage", FileSystemStorage(location=not_a_directory))
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "unavailable"


def test_a_failing_database_is_reported(client, db, monkeypatch, settings):
    settings.TONGBAN_VIRUS_SCANNER = ""

    def broken() -> str:
        raise ConnectionError("connection refused by db.internal:5432")

    monkeypatch.setitem(readiness.CHECKS, "database", broken)
    response = client.get(reverse("operations:readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert "db.internal" not in response.content.decode()


@pytest.mark.parametrize("zone", ["internet", "extranet"])
def test_both_zones_serve_readiness_and_liveness(client, db, settings, zone):
    settings.TONGBAN_ZONE = zone
    settings.TONGBAN_VIRUS_SCANNER = ""
    assert client.get(reverse("operations:readiness")).status_code == 200
    assert json.loads(client.get(reverse("core:health")).content) == {"status": "ok"}
