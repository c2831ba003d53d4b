"""N concurrent clients on one path: units/s, requests/s, p50/p99 and SQL queries per request.

Each client thread prepares (untimed), waits at a barrier, then repeats the path's unit until the
time is up or its prepared work is used up. Errors are counted by kind and never timed.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from dataclasses import dataclass

from city.client import Samples, Unexpected
from city.paths import Context, Path


@dataclass(frozen=True)
class Result:
    path: Path
    units: int
    seconds: float
    samples: Samples
    clients: int

    @property
    def units_per_s(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0

    @property
    def requests_per_s(self) -> float:
        return len(self.samples.ms) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float | None:
        ordered = sorted(self.samples.ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else None

    @property
    def requests_per_s_estimated(self) -> float:
        """Requests/s as if only the timed requests ran: clients ÷ mean latency (saturated server)."""
        ms = self.samples.ms
        return self.clients * 1000 / statistics.fmean(ms) if ms else 0.0

    @property
    def queries_per_request(self) -> float | None:
        q = self.samples.queries
        return statistics.fmean(q) if q else None

    @property
    def max_queries(self) -> int | None:
        return max(self.samples.queries) if self.samples.queries else None


def measure(path: Path, ctx: Context, *, clients: int, seconds: float) -> Result:
    """Run ``path`` with ``clients`` threads for ``seconds``; each thread does one untimed unit first
    (connections, caches), then at least one timed unit, however slow the path."""
    per_client = [Samples() for _ in range(clients)]
    states: list = [None] * clients
    units = [0] * clients
    ready = threading.Barrier(clients + 1)
    go = threading.Event()
    until = {"at": 0.0}

    def one(n: int) -> bool | None:
        try:
            return path.once(ctx, states[n])
        except (Unexpected, OSError) as exc:
            per_client[n].error(str(exc)[:160])
            return None

    def run(n: int) -> None:
        samples = per_client[n]
        try:
            states[n] = path.prepare(ctx, n, samples)
            if not path.prepared_work:  # warm-up: not counted
                one(n)
                samples.ms.clear()
                samples.queries.clear()
        except Exception as exc:
            samples.error(f"prepare: {type(exc).__name__}: {exc}"[:160])
            ready.abort()
            return
        try:
            ready.wait(timeout=600)
        except threading.BrokenBarrierError:
            return
        go.wait()
        while True:
            done = one(n)
            if done is False:
                return
            if done:
                units[n] += 1
            if time.monotonic() >= until["at"]:
                return

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client that could not prepare
        ready.wait(timeout=1800)
    started = time.monotonic()
    until["at"] = started + (10 * seconds if path.prepared_work else seconds)  # prepared: until used up
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    merged = Samples()
    for s in per_client:
        merged.ms += s.ms
        merged.queries += s.queries
        for kind, count in s.errors.items():
            merged.errors[kind] = merged.errors.get(kind, 0) + count
    return Result(path=path, units=sum(units), seconds=max(elapsed, 1e-9), samples=merged, clients=clients)
