"""The login and SMS-code limits hold across processes (THREATS T-A1, T-A3): two real gunicorn sync
workers count in the real Redis on 127.0.0.1:6379, as production does with ``TONGBAN_REDIS_URL``.

Which worker serves a request is the kernel's choice, so the test makes it certain: it first opens a
connection and sends nothing on it, which keeps the worker that accepted it waiting, then sends a request
on a new connection, which only the other worker can take, and then finishes the request on the parked
connection. Every pair of requests is thus served by two processes, which the access log (worker pid per
request) confirms. The workers run in development mode (production mode needs collected static files);
what is under test is where they count. Redis runs on every development machine and in CI: if it does
not answer, this test fails.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from conftest import PASSWORD
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tongban.accounts.tests.factories import CitizenFactory

PROJECT = Path(__file__).resolve().parents[4]
REDIS_URL = "redis://127.0.0.1:6379/0"
PHONE = "13800138000"
WRONG = "Wrong-password-1"
GENERIC = "手机号码或密码不正确"
LOCKED = "该手机号码登录失败次数过多，请15分钟后再试，或使用短信验证码登录"
CODE_TOO_SOON = "获取验证码过于频繁，请60秒后再试"
PID_AND_MARK = re.compile(r"^pid=<?(\d+)>? .*[?&]mark=(\d+)", re.MULTILINE)


@dataclass
class Answer:
    status: int
    body: str
    mark: int


class TwoWorkers:
    """A gunicorn with two sync workers on a free loopback port, and a client that controls which worker
    serves which request."""

    def __init__(self, port: int, access_log: Path) -> None:
        self.port = port
        self.access_log = access_log
        self.cookies: dict[str, str] = {}
        self.marks = 0

    def _connection(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        return conn

    def _send(self, conn: http.client.HTTPConnection, method: str, path: str, form: dict | None) -> Answer:
        self.marks += 1
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf_token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, f"{path}?mark={self.marks}", body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
                if name == "csrftoken":  # a login rotates it; the plain secret is a valid form token
                    self.csrf_token = self.cookies[name]
        answer = Answer(response.status, response.read().decode(), self.marks)
        conn.close()
        return answer

    def get_form(self, path: str) -> None:
        answer = self._send(self._connection(), "GET", path, None)
        assert answer.status == 200, answer.body[:500]
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)[1]

    def post_pair(self, path: str, first: dict, second: dict) -> tuple[Answer, Answer]:
        """POST ``first`` then ``second``, served by different workers (see the module docstring)."""
        parked = self._connection()  # the worker that accepts it waits for the request
        try:
            one = self._send(self._connection(), "POST", path, first)
            two = self._send(parked, "POST", path, second)
        finally:
            parked.close()
        return one, two

    def worker_pids(self) -> dict[int, int]:
        """The pid of the worker that served each mark, from the access log (a worker writes its line
        just after the response)."""
        deadline = time.monotonic() + 10
        while True:
            served_by = {
                int(mark): int(pid) for pid, mark in PID_AND_MARK.findall(self.access_log.read_text())
            }
            if len(served_by) == self.marks or time.monotonic() > deadline:
                return served_by
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_workers(tmp_path: Path) -> str:
    """The test database as the workers can open it: PostgreSQL's as it is (the data is committed), an
    SQLite test database (in memory) copied to a file."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(settings["USER"] or "")
        password = urllib.parse.quote(settings["PASSWORD"] or "")
        credentials = f"{user}:{password}@" if password else f"{user}@"
        return f"postgres://{credentials}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    assert connection.vendor == "sqlite"
    path = tmp_path / "workers.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return f"sqlite:///{path}"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # no Redis is a failure, never a skip
    prefix = f"test-limits-{secrets.token_hex(8)}"
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def two_workers(transactional_db, tmp_path, redis_prefix) -> Iterator[TwoWorkers]:
    # A hasher the workers know (not the faster one of the other account tests), with few iterations:
    # the password is checked at the cost its hash states, and hashing cost is not under test here.
    citizen = CitizenFactory(username=PHONE)
    citizen.password = PBKDF2PasswordHasher().encode(PASSWORD, "limits", iterations=1000)
    citizen.save(update_fields=["password"])
    port = free_port()
    access_log = tmp_path / "access.log"
    server_log = tmp_path / "gunicorn.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TONGBAN_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "tongban.settings",
        "PYTHONPATH": str(PROJECT / "src"),
        "DATABASE_URL": database_url_for_workers(tmp_path),
        "TONGBAN_REDIS_URL": REDIS_URL,
        "TONGBAN_CACHE_KEY_PREFIX": redis_prefix,
        "TONGBAN_MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "tongban.wsgi",
            "--workers=2",
            "--worker-class=sync",
            "--preload",  # the app loads once, before the fork
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={access_log}",
            "--access-logformat=pid=%(p)s %(r)s %(s)s",
            f"--error-logfile={server_log}",
        ],
        cwd=PROJECT / "src",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while server_log.exists() is False or server_log.read_text().count("Booting worker") < 2:
            assert server.poll() is None, server_log.read_text() if server_log.exists() else "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start two workers within 60 s"
            time.sleep(0.1)
        yield TwoWorkers(port, access_log)
    finally:
        server.send_signal(signal.SIGINT)  # quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_T_A1_login_and_code_limits_hold_across_two_gunicorn_workers(two_workers):
    client = two_workers
    client.get_form("/account/login/")
    right = {"phone": PHONE, "password": PASSWORD}
    wrong = {"phone": PHONE, "password": WRONG}

    answers = [
        *client.post_pair("/account/login/", right, wrong),  # a success clears the count: wrong is the 1st
        *client.post_pair("/account/login/", wrong, wrong),
        *client.post_pair("/account/login/", wrong, wrong),
        *client.post_pair("/account/login/", wrong, right),  # the 6th wrong password, then the right one
    ]

    assert [a.status for a in answers] == [302, 400, 400, 400, 400, 400, 429, 429]
    assert [GENERIC in a.body for a in answers] == [False] + [True] * 5 + [False] * 2
    assert [LOCKED in a.body for a in answers] == [False] * 6 + [True] * 2

    # T-A3: one SMS code a minute per phone, whichever worker is asked.
    client.get_form("/account/register/citizen/")
    request_code = {"page": "citizen", "phone": "13900139000"}
    first, second = client.post_pair("/account/code/", request_code, request_code)

    assert (first.status, "验证码已发送至139****9000，10分钟内有效。" in first.body) == (200, True)
    assert (second.status, CODE_TOO_SOON in second.body) == (429, True)
    served_by = client.worker_pids()
    pairs = [
        (served_by[a.mark], served_by[b.mark])
        for a, b in [*zip(answers[::2], answers[1::2], strict=True), (first, second)]
    ]
    assert all(one != other for one, other in pairs), pairs
    assert len(set(served_by.values())) == 2
