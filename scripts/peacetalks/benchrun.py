"""How the benchmark times one command: wall time and peak memory of a process tree.

Every figure is the median of several runs with their min and max, because one run on a
shared machine says little. Memory is the peak of the summed resident memory of the process
and its children, sampled every 20 ms with psutil (a dev dependency).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_S = 0.02


@dataclass
class Run:
    """One command run: seconds, peak MB, exit code and what it printed."""

    seconds: float
    peak_mb: float
    code: int
    stdout: str


@dataclass
class Figure:
    """Median, min and max of several runs of one measurement (seconds unless ``unit``)."""

    name: str
    values: list[float]
    unit: str = "s"
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def as_dict(self) -> dict:
        return {"name": self.name, "unit": self.unit, "median": round(self.median, 4),
                "min": round(min(self.values), 4), "max": round(max(self.values), 4),
                "runs": len(self.values), **self.extra}


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command to its end, sampling the memory of its process tree meanwhile."""
    import psutil

    peak = 0
    start = time.perf_counter()
    popen = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env={**os.environ, **(env or {})})
    proc = psutil.Process(popen.pid)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(popen.stdout.read()), daemon=True)
    reader.start()
    while popen.poll() is None:
        peak = max(peak, _tree_rss(proc))
        time.sleep(SAMPLE_S)
    seconds = time.perf_counter() - start
    reader.join()
    return Run(seconds, peak / 2**20, popen.returncode, b"".join(chunks).decode("utf-8", "replace"))


def repeat(name: str, cmd: list[str], cwd: Path, runs: int, expect: int | None = 0
           ) -> tuple[Figure, Figure, Run]:
    """Time ``runs`` runs; returns the wall-time figure, the peak-memory figure, the last run."""
    results = []
    for _ in range(runs):
        result = run(cmd, cwd)
        if expect is not None and result.code != expect:
            raise RuntimeError(f"{' '.join(cmd)} exited {result.code}:\n{result.stdout[-2000:]}")
        results.append(result)
    return (Figure(name, [r.seconds for r in results]),
            Figure(name, [r.peak_mb for r in results], "MB"), results[-1])
