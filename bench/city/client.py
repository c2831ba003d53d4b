"""One benchmark client: a browser's cookie jar over urllib, loopback only, redirects read not followed.

Each request may be timed (``timed=True``): its milliseconds and the server's query count
(X-Bench-Queries) go to the client's samples. Each client names its own address in X-Forwarded-For
(the servers trust one proxy hop), so per-address limits see many visitors, as in a real city.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from city.querycount import HEADER

TIMEOUT_S = 120.0
_addresses = itertools.count(1)


class _NoRedirects(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response

    https_response = http_response


@dataclass
class Response:
    status: int
    location: str
    body: bytes
    queries: int | None


@dataclass
class Samples:
    ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )


class Client:
    def __init__(self, base: str, *, session: str = "", samples: Samples | None = None) -> None:
        self.base = base
        self.samples = samples if samples is not None else Samples()
        self.jar = http.cookiejar.CookieJar()
        if session:
            self.jar.set_cookie(_cookie("sessionid", session))
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects
        )
        self.new_address()

    def new_address(self) -> None:
        n = next(_addresses)
        self.address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self,
        path: str,
        *,
        data: bytes | None = None,
        content_type: str = "",
        timed: bool = True,
        headers=None,
    ) -> Response:
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        if data is not None:
            sent["X-CSRFToken"] = self.csrf()
        if content_type:
            sent["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=sent)  # noqa: S310 - loopback
        t0 = time.perf_counter()
        with self.opener.open(request, timeout=TIMEOUT_S) as response:
            body = response.read()
            header = response.headers.get(HEADER)
            result = Response(
                response.status, response.headers.get("Location", ""), body, int(header) if header else None
            )
        if timed:
            self.samples.ms.append((time.perf_counter() - t0) * 1000)
            if result.queries is not None:
                self.samples.queries.append(result.queries)
        return result

    def get(self, path: str, *, timed: bool = True) -> Response:
        return self.request(path, timed=timed)

    def post_form(self, path: str, fields: dict[str, str], *, timed: bool = True) -> Response:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}, doseq=True).encode()
        return self.request(path, data=data, content_type="application/x-www-form-urlencoded", timed=timed)

    def post_json(self, path: str, body: bytes, *, headers: dict[str, str], timed: bool = True) -> Response:
        return self.request(path, data=body, content_type="application/json", headers=headers, timed=timed)

    def post_file(
        self, path: str, fields: dict[str, str], *, name: str, content: bytes, mime: str, timed: bool = True
    ) -> Response:
        body, content_type = multipart_body(
            {**fields, "csrfmiddlewaretoken": self.csrf()}, name=name, content=content, mime=mime
        )
        return self.request(path, data=body, content_type=content_type, timed=timed)


class Unexpected(Exception):
    """An answer other than the one the path expects."""


def expect(response: Response, statuses: tuple[int, ...], what: str) -> Response:
    if response.status not in statuses:
        raise Unexpected(f"{what}: {response.status} {response.location}".strip())
    return response


def multipart_body(fields: dict[str, str], *, name: str, content: bytes, mime: str) -> tuple[bytes, str]:
    """A multipart/form-data body of ``fields`` and one file (field ``file``), and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {mime}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
