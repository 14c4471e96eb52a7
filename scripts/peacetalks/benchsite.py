"""Datasette under load: the project's configuration beside bare ``datasette --immutable``.

Both servers serve the same built SQLite file on loopback. Each endpoint type (JSON table
page, HTML table page, CSV export, facets, full-text search, every canned query) is requested
by several client threads, alternating between the two servers so that a busy moment on the
shared machine hits both alike. Canned queries go to bare Datasette as the same SQL with the
same parameters, since it has no metadata to name them.
"""

from __future__ import annotations

import concurrent.futures
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from .package import DataPackage
from .serve import DATABASE, canned_queries, datasette_command

TABLE = "proposals"  # the table with the most text, facets and a full-text index
SEARCH = "NATO"
# Values for canned-query parameters that exist in the data; the rest take ''.
PARAMS = {"document_id": "2022-03-29-istanbul-communique", "issue": "nato_membership",
          "days": "31"}


def endpoints() -> dict[str, tuple[str, str]]:
    """name -> (path on the project's server, path on bare Datasette)."""
    table = f"/{DATABASE}/{TABLE}"
    out = {
        "JSON table page": (f"{table}.json",) * 2,
        "HTML table page": (table,) * 2,
        "CSV export": (f"{table}.csv",) * 2,
        "facet page": (f"{table}.json?_facet=issue&_facet=status",) * 2,
        "FTS search": (f"{table}.json?_search={SEARCH}",) * 2,
    }
    for name, query in canned_queries().items():
        params = {p: PARAMS.get(p, "") for p in dict.fromkeys(re.findall(r":(\w+)", query["sql"]))}
        out[f"canned: {name}"] = (
            f"/{DATABASE}/{name}.json?{urlencode(params)}",
            f"/{DATABASE}.json?{urlencode({'sql': query['sql'], **params})}",
        )
    return out


@contextmanager
def server(cmd_for_port, log: Path):
    """Start a Datasette, wait until it answers, yield its base URL, stop it."""
    from .live_site import started

    with started(cmd_for_port, log) as (base, _pid):
        yield base


def load(base: str, path: str, n: int, workers: int) -> dict[str, float]:
    """Requests per second, p50 and p99 latency (ms) over n requests from `workers` threads."""
    import httpx

    latencies: list[float] = []

    def client_run(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:  # one keep-alive client each
            for _ in range(k, n, workers):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(client_run, range(workers)))
    elapsed = time.perf_counter() - start
    ms = sorted(x * 1000 for x in latencies)
    return {"rps": n / elapsed, "p50_ms": statistics.median(ms),
            "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))]}


def single(base: str, path: str, n: int) -> float:
    """Median latency (ms) of one client asking n times in a row: what a user waits."""
    import httpx

    with httpx.Client(base_url=base, timeout=30) as client:
        client.get(path).raise_for_status()  # warm-up
        times = []
        for _ in range(n):
            start = time.perf_counter()
            client.get(path).raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bare_command(pkg: DataPackage, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", "--immutable", str(pkg.sqlite_path),
            "--host", "127.0.0.1", "--port", str(port)]


def measure(pkg: DataPackage, work: Path, requests: int, rounds: int, workers: int = 8
            ) -> list[dict]:
    """For every endpoint: both servers' rps and p50/p99 (median of `rounds`), and the
    single-client latency; the package must be built."""
    rows = []
    with server(lambda p: datasette_command(pkg, "127.0.0.1", p), work / "project.log") as ours, \
            server(lambda p: bare_command(pkg, p), work / "bare.log") as bare:
        for name, (path_ours, path_bare) in endpoints().items():
            n = requests if name.startswith(("JSON", "HTML", "CSV")) else max(requests // 3, 30)
            runs: dict[str, list[dict]] = {"project": [], "bare": []}
            for _ in range(rounds):
                runs["project"].append(load(ours, path_ours, n, workers))
                runs["bare"].append(load(bare, path_bare, n, workers))
            row = {"endpoint": name, "path": path_ours, "requests": n, "workers": workers}
            for who, results in runs.items():
                for key in ("rps", "p50_ms", "p99_ms"):
                    values = [r[key] for r in results]
                    row[f"{who}_{key}"] = round(statistics.median(values), 1)
                    row[f"{who}_{key}_min"] = round(min(values), 1)
                    row[f"{who}_{key}_max"] = round(max(values), 1)
            row["ratio"] = round(row["project_rps"] / row["bare_rps"], 3)
            row["project_single_ms"] = round(single(ours, path_ours, 20), 1)
            row["bare_single_ms"] = round(single(bare, path_bare, 20), 1)
            rows.append(row)
    return rows
