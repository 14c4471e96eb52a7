"""Bounded load on the public server, on loopback only: does it stay up, and how fast?

Starts Datasette exactly as ``peacetalks serve`` does (on 127.0.0.1 and a free port), then for
a fixed time keeps N connections busy with the pages people actually ask for — table pages,
the JSON API, CSV exports, facets, canned queries — while a few connections send queries that
only the time limit stops. Reports requests, requests per second, 5xx and dropped connections
(both must be zero), p50/p99 latency of plain table pages and the server's peak memory.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .live_site import HOST, running_server
from .package import DataPackage
from .serve import DATABASE, canned_queries

CANNED_PARAMS = {"issue": "nato_membership", "document_id": "2022-03-29-istanbul-communique",
                 "days": "31"}
# Queries that only sql_time_limit_ms stops: each must come back as a 400 within the limit.
EXPENSIVE_SQL = [
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r",
    "SELECT count(*) FROM proposals a, proposals b, proposals c, proposals d",
]


def request_mix(pkg: DataPackage) -> list[tuple[str, str]]:
    """(kind, path) for every page a reader might open, derived from the schemas."""
    mix = []
    for table in pkg.tables:
        base = f"/{DATABASE}/{table.name}"
        mix.append(("table page", base))
        mix.append(("json api", f"{base}.json?_size=50"))
        mix.append(("csv export", f"{base}.csv?_size=max"))
        for f in table.fields:
            if f.facet:
                mix.append(("facet page", f"{base}?_facet={f.name}"))
    for name in canned_queries():
        query = "&".join(f"{k}={v}" for k, v in CANNED_PARAMS.items())
        mix.append(("canned query", f"/{DATABASE}/{name}.json?{query}"))
    return mix


@dataclass
class LoadReport:
    seconds: float
    connections: int
    statuses: Counter = field(default_factory=Counter)
    dropped: int = 0
    unexpected: Counter = field(default_factory=Counter)  # (kind, status) not the expected one
    latencies: dict[str, list[float]] = field(default_factory=dict)
    peak_rss_bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, status: int | None, seconds: float, expected: int) -> None:
        """One answered request (``status``), or a dropped connection (``None``)."""
        with self._lock:
            if status is None:
                self.dropped += 1
                return
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] += 1
            if status != expected:
                self.unexpected[(kind, status)] += 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, kind: str, q: float) -> float:
        values = sorted(self.latencies.get(kind, []))
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    def lines(self) -> list[str]:
        out = [f"{self.seconds:.0f} s, {self.connections} connections on {HOST}: "
               f"{self.requests} requests, {self.requests / self.seconds:.0f} req/s",
               f"5xx: {self.server_errors}; dropped connections: {self.dropped}; "
               f"unexpected statuses: {sum(self.unexpected.values())}",
               "statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))]
        for kind in sorted(self.latencies):
            out.append(f"  {kind:14} n={len(self.latencies[kind]):6}  "
                       f"p50 {1000 * self.percentile(kind, 0.5):7.1f} ms  "
                       f"p99 {1000 * self.percentile(kind, 0.99):7.1f} ms")
        out.append(f"server peak RSS: {self.peak_rss_bytes / 2**20:.0f} MB")
        return out


class PeakMemory:
    """The highest resident memory of a process, sampled, and the kernel's own high-water mark."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        process = psutil.Process(self.pid)
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        status = Path(f"/proc/{self.pid}/status")
        if status.exists():  # VmHWM: peak RSS since start, exact (Linux)
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)


async def _client(base: str, paths: list[tuple[str, str]], connections: int, stop_at: float,
                  report: LoadReport, expected: int) -> None:
    """``connections`` concurrent loops, each on its own kept-alive connection."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def loop(offset: int) -> None:
            i = offset
            while time.monotonic() < stop_at:
                kind, path = paths[i % len(paths)]
                i += 1
                started = time.monotonic()
                try:
                    response = await client.get(path)
                    await response.aread()
                    status: int | None = response.status_code
                except httpx.TransportError:
                    status = None
                report.record(kind, status, time.monotonic() - started, expected)

        await asyncio.gather(*(loop(k * 7) for k in range(connections)))


def run_load(pkg: DataPackage, seconds: float = 30, connections: int = 32, workers: int = 2,
             expensive_connections: int = 2, log_path: Path | None = None) -> LoadReport:
    """Start the server, load it for ``seconds`` and return what was measured.

    ``workers`` threads share ``connections`` between them; ``expensive_connections`` more
    send only ``EXPENSIVE_SQL``, which must be answered 400 (cut off by the time limit).
    """
    report = LoadReport(seconds=seconds, connections=connections + expensive_connections)
    mix = request_mix(pkg)
    expensive = [("expensive sql", f"/{DATABASE}.json?{httpx.QueryParams({'sql': sql})}")
                 for sql in EXPENSIVE_SQL]
    log_path = log_path or pkg.build_dir / "loadtest-server.log"
    with running_server(pkg, log_path) as (base, pid), PeakMemory(pid) as memory:
        stop_at = time.monotonic() + seconds
        jobs = [(mix, connections // workers + (k < connections % workers), 200)
                for k in range(workers)] + [(expensive, expensive_connections, 400)]
        threads = [threading.Thread(target=asyncio.run, args=(
            _client(base, paths, n, stop_at, report, status),)) for paths, n, status in jobs if n]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    report.peak_rss_bytes = memory.peak
    return report
