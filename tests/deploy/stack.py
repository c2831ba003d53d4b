"""The real nginx of deploy/nginx/ and gunicorn with deploy/gunicorn.conf.py, started on loopback for a
test or a benchmark (tests/deploy/, bench/slow_client.py, bench/scale_out.py).

The profile files are copied as they are; only what names this machine changes: the include folder,
the certificate (a self-signed one made here), the static root, the listening ports and the upstream
nodes. ``overrides`` replaces further text (a benchmark's many clients share one address, so it raises
the per-address limits).
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX_DIR = ROOT / "deploy" / "nginx"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))

MAIN_CONF = """\
daemon off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    include {work}/{profile};
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(folder: Path) -> None:
    """fullchain.pem and privkey.pem for 127.0.0.1 / localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def render(
    profile: str,
    work: Path,
    *,
    port: int,
    http_port: int,
    upstreams: list[str],
    static_root: Path,
    overrides: dict[str, str] | None = None,
) -> Path:
    """Copy deploy/nginx/ into ``work`` with this machine's names; returns the main nginx.conf."""
    work.mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    self_signed(work / "tls")
    for source in NGINX_DIR.glob("*.conf"):
        text = source.read_text(encoding="utf-8")
        text = text.replace("/etc/nginx/tongban/", f"{work}/").replace("/etc/tongban/tls/", f"{work}/tls/")
        text = text.replace("/srv/tongban/static/", f"{static_root}/")
        text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.MULTILINE)
        text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{port} ssl")
        nodes = "".join(f"    server {node} max_fails=3 fail_timeout=10s;\n" for node in upstreams)
        text = re.sub(r"(upstream \w+ \{\n(?:\s*#.*\n)*)(?:\s*server .*\n)+", rf"\g<1>{nodes}", text)
        for old, new in (overrides or {}).items():
            text = text.replace(old, new)
        (work / source.name).write_text(text, encoding="utf-8")
    user = "user root;" if os.geteuid() == 0 else ""
    main = work / "nginx.conf"
    main.write_text(
        MAIN_CONF.format(work=work, user=user, profile=f"tongban-{profile}.conf"), encoding="utf-8"
    )
    return main


def wait_for_port(port: int, process: subprocess.Popen, *, seconds: float, log: Path) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError(f"exited ({process.returncode}): {log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(
        f"nothing listens on {port} after {seconds:.0f} s: {log.read_text(errors='replace')[-3000:]}"
    )


def start_nginx(main: Path, *, port: int) -> subprocess.Popen:
    if NGINX is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx-light (make system-deps)")
    work = main.parent
    check = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(work), "-c", str(main), "-e", str(work / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    log = work / "error.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(main), "-e", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(port, process, seconds=15, log=log)
    return process


def start_gunicorn(
    *, env: dict[str, str], port: int, workers: int, log: Path, own_group: bool = True
) -> subprocess.Popen:
    """An app node as deploy/systemd/tongban-web@.service starts it, from this checkout."""
    args = [GUNICORN, "-c", str(GUNICORN_CONF), "--chdir", str(ROOT / "src"), "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", str(workers), "--access-logfile", "/dev/null"]
    env = {**env, "TONGBAN_APP_DIR": str(ROOT / "src")}
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=own_group
        )


def warm_up(port: int, *, seconds: float = 90, path: str = "/healthz") -> None:
    """Until ``path`` answers straight from gunicorn (every worker's first request builds the URLconf)."""
    until = time.monotonic() + seconds
    answered = 0
    while answered < 4:
        if time.monotonic() > until:
            raise RuntimeError(f"gunicorn on {port} did not answer {path} within {seconds:.0f} s")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            answered += 1
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tls_context() -> ssl.SSLContext:
    """A client context that accepts the self-signed certificate (loopback only)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
