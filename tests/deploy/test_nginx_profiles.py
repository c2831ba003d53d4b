"""The nginx profiles of deploy/nginx/ running for real (Debian's nginx, a self-signed certificate) in
front of gunicorn with the app: what each zone's proxy lets through (THREATS T-N2, T-C5, T-C7, T-N7)."""

import socket
import ssl

import pytest

from tests.deploy import stack
from tests.deploy.conftest import STATIC_MARKER, from_nginx
from tongban.core import zones

# django_db: the test database exists (gunicorn reads it; the tests themselves write nothing).
pytestmark = [pytest.mark.deploy, pytest.mark.django_db]

GOVERNMENT_PATHS = [
    "/staff/",
    "/staff/login/",
    "/admin/",
    "/admin/login/",
    "/api/exchange/v1/",
    "/api/v1/catalog/staff/items/",
    "/meetings/feed/1/abc.ics",
]


def test_internet_profile_answers_404_itself_on_every_staff_admin_and_exchange_path(internet_stack):
    paths = [*GOVERNMENT_PATHS, *(f"/{prefix}" for prefix in zones.staff_prefixes())]
    for path in paths:
        status, _, body = internet_stack.request("GET", path)
        assert (status, from_nginx(body)) == (404, True), path
        status, _, body = internet_stack.request("POST", path, body=b"x=1")
        assert (status, from_nginx(body)) == (404, True), path


def test_internet_profile_serves_the_portal_through_the_app(internet_stack):
    status, headers, body = internet_stack.request("GET", "/")
    assert status == 200
    assert b"<html" in body.lower()
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "nginx"  # server_tokens off: no version


def test_static_files_are_served_by_nginx(internet_stack):
    # The marker exists only in the static root nginx serves, not among the app's static files.
    status, headers, body = internet_stack.request("GET", f"/static/{STATIC_MARKER}")
    assert (status, body) == (200, b"served by nginx\n")
    assert "max-age=" in headers["Cache-Control"]


def test_T_C7_media_root_is_never_served(internet_stack, extranet_stack):
    for running in (internet_stack, extranet_stack):
        for path in ("/media/materials/1/a.pdf", "/media/public/form.docx", "/media/archives/x.pdf"):
            status, _, body = running.request("GET", path)
            assert (status, from_nginx(body)) == (404, True), path


def test_T_C5_a_body_over_the_upload_limit_is_refused_by_nginx(internet_stack):
    conn = socket.create_connection(("127.0.0.1", internet_stack.port), timeout=10)
    with stack.tls_context().wrap_socket(conn, server_hostname="localhost") as tls:
        tls.sendall(
            b"POST /applications/1/materials/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 60000000\r\n\r\n" + b"x" * 1024
        )
        answer = tls.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_T_N7_content_length_with_transfer_encoding_is_refused_by_nginx(internet_stack):
    conn = socket.create_connection(("127.0.0.1", internet_stack.port), timeout=10)
    with stack.tls_context().wrap_socket(conn, server_hostname="localhost") as tls:
        tls.sendall(
            b"POST /account/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /staff/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        answer = tls.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400")


def test_trace_and_unknown_methods_are_refused(internet_stack):
    for method in ("TRACE", "CONNECT", "PROPFIND"):
        status, _, _ = internet_stack.request(method, "/")
        assert status in (400, 405), method


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")
def test_tls_below_1_2_is_refused(internet_stack):
    context = stack.tls_context()
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("ALL:@SECLEVEL=0")
    conn = socket.create_connection(("127.0.0.1", internet_stack.port), timeout=10)
    with conn, pytest.raises(ssl.SSLError):
        context.wrap_socket(conn, server_hostname="localhost")


def test_extranet_profile_serves_the_staff_side_and_no_portal_page(extranet_stack):
    status, _, body = extranet_stack.request("GET", "/staff/login/")
    assert status == 200
    assert not from_nginx(body)
    for path in ("/", "/services/", "/account/"):
        status, _, body = extranet_stack.request("GET", path)
        assert (status, from_nginx(body)) == (404, True), path
