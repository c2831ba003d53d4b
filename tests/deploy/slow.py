"""slowhttptest (Debian's package) in slowloris mode against a URL, with a probe request every half
second meanwhile: shared by tests/deploy/test_slow_clients.py and bench/slow_client.py (THREATS T-K1)."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field

from tests.deploy import stack

CONNECTIONS = 300
SECONDS = 15
PROBE_TIMEOUT_S = 10.0
PROBE_EVERY_S = 0.5


@dataclass
class Probes:
    answered: list[float] = field(default_factory=list)  # seconds each answered probe took
    failed: list[str] = field(default_factory=list)


def probe_once(port: int, path: str, *, tls: bool) -> None:
    if tls:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=PROBE_TIMEOUT_S, context=stack.tls_context()
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT_S)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise OSError(f"HTTP {response.status}")
    finally:
        conn.close()


def attack(port: int, path: str, *, tls: bool, connections: int = CONNECTIONS, seconds: int = SECONDS):
    """Run slowhttptest -H for ``seconds`` while probing; returns (Probes, slowhttptest's output)."""
    tool = shutil.which("slowhttptest")
    if tool is None:
        raise RuntimeError("slowhttptest is not installed: apt-get install slowhttptest (make system-deps)")
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}{path}"
    args = [tool, "-H", "-c", str(connections), "-r", str(connections), "-i", "5", "-l", str(seconds)]
    args += ["-p", "5", "-u", url]
    attacker = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    probes = Probes()
    done = threading.Event()

    def probing() -> None:
        time.sleep(2)  # let the connections pile up first
        while not done.is_set():
            t0 = time.perf_counter()
            try:
                probe_once(port, path, tls=tls)
            except (OSError, http.client.HTTPException) as exc:
                probes.failed.append(f"{type(exc).__name__}: {exc}")
            else:
                probes.answered.append(time.perf_counter() - t0)
            time.sleep(PROBE_EVERY_S)

    prober = threading.Thread(target=probing, daemon=True)
    prober.start()
    try:
        output, _ = attacker.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        attacker.kill()
        output, _ = attacker.communicate()
    done.set()
    prober.join(timeout=PROBE_TIMEOUT_S + 5)
    return probes, output
