"""Production mode serves pages: collectstatic succeeds with the production static storage, and pages
link hashed static files that are served (T-N1: production must work with DEBUG off)."""

import json
import re
from urllib.parse import urljoin

from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import reverse

from tongban.core.tests.test_security import PRODUCTION, run_manage

STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
FONT_URL = re.compile(r"""url\(["']([^"'?#]+)""")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_T_N1_production_collects_the_static_files_and_serves_pages_with_them(tmp_path, settings, db):
    # Given collectstatic run as in production (TONGBAN_DEBUG=false, its static storage).
    static_root = tmp_path / "static"
    env = PRODUCTION | {
        "TONGBAN_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    collected = run_manage("collectstatic", "--noinput", **env)
    assert collected.returncode == 0, collected.stderr
    shown = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['staticfiles'], s.WHITENOISE_USE_FINDERS]))",
        **env,
    )
    storage, use_finders = json.loads(shown.stdout.strip().splitlines()[-1])
    assert (storage, use_finders) == (
        {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        False,
    )
    # When the app runs with those settings.
    settings.DEBUG = False
    settings.STATIC_ROOT = str(static_root)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": storage}
    settings.WHITENOISE_USE_FINDERS = use_finders
    client = Client()
    # Then the home page and the staff login answer, and every static file they link is hashed and served.
    for page in (reverse("catalog:home"), reverse("accounts:staff_login")):
        response = client.get(page)
        assert response.status_code == 200, page
        links = STATIC_LINK.findall(response.content.decode())
        assert "/static/core/css/" in " ".join(links), page
        for link in links:
            assert HASHED.search(link), link
            served = client.get(link)
            assert served.status_code == 200, link
            assert _body(served) == (static_root / link.removeprefix("/static/")).read_bytes()
    # And bpmn.css, whose missing font made collectstatic fail, names every font by its hashed name.
    stylesheet = staticfiles_storage.url("vendor/bpmn-js/bpmn-font/css/bpmn.css")
    fonts = FONT_URL.findall(_body(client.get(stylesheet)).decode())
    assert sorted(font.rsplit(".", 1)[1] for font in set(fonts)) == ["eot", "svg", "ttf", "woff", "woff2"]
    for font in fonts:
        assert HASHED.search(font), font
        assert client.get(urljoin(stylesheet, font)).status_code == 200, font
