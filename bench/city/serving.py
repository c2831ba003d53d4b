"""Start and stop gunicorn the way production runs it, and the test clamd the journey scans with.

Production-like: sync workers (2 by default), persistent database connections (the settings' own
``CONN_MAX_AGE``), ``TONGBAN_DEBUG=false`` with the shared Redis cache, static files from a
collected manifest. Used by the city benchmark (``bench/city/run.py``) and by
``bench/submit_applications.py`` and ``bench/crash_submit.py``, which keep their development
settings (``debug=True``) so their numbers stay comparable with the earlier ones.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CELERY = str(Path(sys.executable).with_name("celery"))
# Production runs a Celery worker on a Redis broker: work moved off the request path (messages to the
# applicant, PDFs …) is queued, not run inside the request as under `make run`.
BENCH_BROKER_URL = "redis://127.0.0.1:6379/1"
CLAMD_PORT = 13310
CLAMD_CONF = ROOT / "deploy/clamav/clamd.conf"
CLAMD_SCANNER = "tongban.core.virus_scan.backends.clamd.ClamdScanner"
DISABLED_SCANNER = "tongban.core.virus_scan.backends.disabled.DisabledScanner"
# Throw-away keys of a benchmark database (production refuses to start without them).
FERNET_KEY = "q8Yk2mC5pJm3o0bU9d9w3o3Zq3mF6nUe7D2n9lq4m0Y="
BENCH_SECRETS = {
    "TONGBAN_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TONGBAN_ANSWER_ENCRYPTION_KEY": FERNET_KEY,
    "TONGBAN_SIGNING_KEY_ENCRYPTION_KEY": FERNET_KEY,
    "TONGBAN_TOTP_ENCRYPTION_KEY": FERNET_KEY,
    "TONGBAN_RESIDENT_ID_HMAC_KEY": "bench-only-resident-id-hmac-key-0123456789",
}


def base_env(*, database_url: str, media: Path, scanning: bool, debug: bool) -> dict[str, str]:
    """The environment of every process of one benchmark: server, loader and in-process replays.

    ``debug=False`` is the production-like configuration: secrets set to throw-away values, the Redis
    cache on loopback (its own key prefix), plain HTTP on loopback (no TLS redirect, no Secure cookies),
    one proxy hop so each client may name its address in X-Forwarded-For (the per-address limits of
    login and 办件查询 would otherwise count every benchmark client as one visitor).
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongban.settings",
        "DATABASE_URL": database_url,
        "TONGBAN_DEBUG": "true" if debug else "false",
        "TONGBAN_MEDIA_ROOT": str(media),
        "TONGBAN_VIRUS_SCANNER": CLAMD_SCANNER if scanning else DISABLED_SCANNER,
        "TONGBAN_CLAMD_PORT": str(CLAMD_PORT),
        "TONGBAN_EXCHANGE_RATE": "10000000/min",
        "TONGBAN_API_ANON_RATE": "10000000/min",
        "TONGBAN_API_USER_RATE": "10000000/min",
    }
    env.pop("TONGBAN_CLAMD_SOCKET", None)  # the socket would win over the test clamd's port
    if not debug:
        env.update(BENCH_SECRETS)
        env.update(
            {
                "TONGBAN_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "TONGBAN_REDIS_URL": os.environ.get("TONGBAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
                "TONGBAN_CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
                "TONGBAN_PUBLIC_BASE_URL": "http://127.0.0.1",
                "TONGBAN_SMS_BACKEND": "tongban.core.sms.backends.locmem.LocmemBackend",
                "TONGBAN_SECURE_COOKIES": "false",
                "TONGBAN_SSL_REDIRECT": "false",
                "TONGBAN_NUM_PROXIES": "1",
                "TONGBAN_STATIC_ROOT": str(media.parent / "static"),
            }
        )
    return env


def collect_static(env: dict[str, str]) -> None:
    """The manifest the production static storage needs (skipped when it is already there)."""
    if env.get("TONGBAN_DEBUG") == "true":
        return
    if (Path(env["TONGBAN_STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True
    )


def start_server(
    *,
    env: dict[str, str],
    port: int,
    workers: int,
    log: Path,
    own_group: bool = False,
    app: str = "tongban.wsgi",
    chdir: Path = ROOT / "src",
) -> subprocess.Popen:
    """gunicorn with sync workers on loopback; ``own_group``: in a new session, so its process group
    can be killed at once (crash_submit.py)."""
    args = [GUNICORN, "--chdir", str(chdir), "--worker-class", "sync", "--workers", str(workers)]
    args += ["--bind", f"127.0.0.1:{port}", "--error-logfile", "-", "--timeout", "120", app]
    with log.open("wb") as out:
        return subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=own_group
        )


def start_worker(*, env: dict[str, str], log: Path) -> subprocess.Popen:
    """One Celery worker process on the benchmark's broker (``env`` must name it), discarding what an
    earlier run left queued."""
    args = [CELERY, "-A", "tongban", "worker", "--concurrency", "1", "--purge", "--loglevel", "warning"]
    args += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, cwd=ROOT / "src", stdout=out, stderr=subprocess.STDOUT)


def wait_for_server(
    base: str, server: subprocess.Popen, *, log: Path, probe: str = "/account/login/", seconds: float = 60
) -> None:
    """Until ``probe`` answers (any status below 500); exits the benchmark when gunicorn dies or never answers."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            with opener.open(base + probe, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # answering (a 404 is an answer)
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds:.0f} s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    """Graceful stop (SIGTERM), then SIGKILL after 30 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def clamd_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", CLAMD_PORT), timeout=2) as conn:
            conn.sendall(b"zPING\0")
            return conn.recv(16).startswith(b"PONG")
    except OSError:
        return False


def start_clamd() -> bool:
    """Make the test clamd answer; True when this process started it (and so stops it)."""
    if clamd_answers():
        return False
    subprocess.run(
        ["bash", str(ROOT / "deploy/clamav/start-test-clamd.sh")], cwd=ROOT, check=True, timeout=120
    )
    return True


def stop_clamd() -> None:
    """Stop the clamd this process started, by the pid in the PidFile its config names."""
    conf = CLAMD_CONF.read_text()
    pid_file = Path(re.search(r"^PidFile (\S+)", conf, re.MULTILINE)[1])
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        print(f"clamd: could not read {pid_file}; it may still be running")
        return
    os.kill(pid, signal.SIGTERM)
