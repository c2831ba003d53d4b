"""The deployment tests' stack: Debian's nginx with a profile of deploy/nginx/ in front of gunicorn
(deploy/gunicorn.conf.py, two sync workers) serving the app on the test database."""

from __future__ import annotations

import http.client
import os
import sqlite3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy import stack

STATIC_MARKER = "nginx-served-marker.txt"
DISABLED_SCANNER = "tongban.core.virus_scan.backends.disabled.DisabledScanner"


@dataclass
class Stack:
    port: int
    gunicorn_port: int
    work: Path

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=stack.tls_context())
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def from_nginx(body: bytes) -> bool:
    """nginx's own error page (the app's zone 404 is plain "Not Found")."""
    return b"<center>nginx</center>" in body


@pytest.fixture(scope="module")
def database_url(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """A URL another process can open: the PostgreSQL test database, or a copy of SQLite's in-memory one."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            target = tmp_path_factory.mktemp("db") / "app.sqlite3"
            copy = sqlite3.connect(target)
            connection.connection.backup(copy)
            copy.close()
            return f"sqlite:///{target}"
        s = connection.settings_dict
        auth = urllib.parse.quote(s["USER"] or "", safe="")
        if s["PASSWORD"]:
            auth += ":" + urllib.parse.quote(s["PASSWORD"], safe="")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def app_env(database_url: str, media: Path, zone: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongban.settings",
        "DATABASE_URL": database_url,
        "TONGBAN_ZONE": zone,
        "TONGBAN_NUM_PROXIES": "1",
        "TONGBAN_SECURE_PROXY": "true",
        "TONGBAN_SSL_REDIRECT": "false",
        "TONGBAN_VIRUS_SCANNER": DISABLED_SCANNER,
        "TONGBAN_MEDIA_ROOT": str(media),
        "TONGBAN_REDIS_URL": "",
    }
    env.pop("WEB_CONCURRENCY", None)
    return env


def start_stack(profile: str, database_url: str, work: Path):
    static = work / "static"
    static.mkdir(parents=True)
    (static / STATIC_MARKER).write_text("served by nginx\n")
    app_port, port = stack.free_port(), stack.free_port()
    log = work / "gunicorn.log"
    env = app_env(database_url, work / "media", profile)
    app = stack.start_gunicorn(env=env, port=app_port, workers=2, log=log)
    nginx = None
    try:
        stack.wait_for_port(app_port, app, seconds=60, log=log)
        stack.warm_up(app_port)
        main = stack.render(
            profile,
            work / "nginx",
            port=port,
            http_port=stack.free_port(),
            upstreams=[f"127.0.0.1:{app_port}"],
            static_root=static,
        )
        nginx = stack.start_nginx(main, port=port)
    except BaseException:
        stack.stop(app)
        raise
    return Stack(port=port, gunicorn_port=app_port, work=work), (nginx, app)


def running(profile: str, database_url: str, tmp_path_factory):
    started, processes = start_stack(profile, database_url, tmp_path_factory.mktemp(profile))
    yield started
    for process in processes:
        stack.stop(process)


@pytest.fixture(scope="module")
def internet_stack(database_url, tmp_path_factory):
    yield from running("internet", database_url, tmp_path_factory)


@pytest.fixture(scope="module")
def extranet_stack(database_url, tmp_path_factory):
    yield from running("extranet", database_url, tmp_path_factory)
