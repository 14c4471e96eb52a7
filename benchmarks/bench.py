"""Speed figures for the main paths: validate, build, and Datasette under load.

Prints figures; asserts nothing (speed is measured here, never in a test). Usage:
    python benchmarks/bench.py [--requests N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from peacetalks.build import build
from peacetalks.package import DataPackage
from peacetalks.serve import DATABASE, datasette_command
from peacetalks.validate import validate

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(base: str, paths: list[str], n: int, workers: int = 8) -> tuple[float, float]:
    """Requests per second and median latency (ms) over n requests from `workers` threads."""
    latencies: list[float] = []

    def client_run(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:  # one keep-alive client each
            for i in range(k, n, workers):
                start = time.perf_counter()
                client.get(paths[i % len(paths)]).raise_for_status()
                latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(client_run, range(workers)))
    elapsed = time.perf_counter() - start
    return n / elapsed, statistics.median(latencies) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    pkg = DataPackage(ROOT / "datapackage.json")
    rows = sum(1 for t in pkg.tables for _ in t.csv_path.open(encoding="utf-8")) - len(pkg.tables)
    print(f"data: {len(pkg.tables)} tables, {rows} rows")
    seconds, report = timed(lambda: validate(pkg))
    print(f"validate: {seconds:.2f} s (median of 3), {len(report.problems)} problems")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for item in ("datapackage.json", "schemas", "data"):
            subprocess.run(["cp", "-r", str(ROOT / item), str(copy / item)], check=True)
        scratch = DataPackage(copy / "datapackage.json")
        seconds, _ = timed(lambda: build(scratch))
        print(f"build: {seconds:.2f} s (median of 3, validation included)")
        port = free_port()
        with open(copy / "datasette.log", "wb") as log:
            proc = subprocess.Popen(datasette_command(scratch, port=port), stdout=log,
                                    stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/-/versions.json", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            tables = [f"/{DATABASE}/{t.name}.json?_size=50" for t in scratch.tables]
            rps, ms = load(base, tables, args.requests)
            print(f"datasette table JSON with default facets: {rps:.0f} requests/s, "
                  f"median {ms:.1f} ms ({args.requests} requests, 8 clients)")
            rps, ms = load(base, [p + "&_nofacet=1" for p in tables], args.requests)
            print(f"datasette table JSON without facets: {rps:.0f} requests/s, median {ms:.1f} ms")
            rps, ms = load(base, [f"/{DATABASE}/timeline.json"], args.requests // 3)
            print(f"datasette canned timeline query: {rps:.0f} requests/s, median {ms:.1f} ms")
            rps, ms = load(base, [f"/{DATABASE}/proposals.json?_search=NATO"], args.requests // 3)
            print(f"datasette full-text search: {rps:.0f} requests/s, median {ms:.1f} ms")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
