"""Datasette running in the background on a free port, for the chart renderer and tests."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .package import DataPackage
from .serve import datasette_command

HOST = "127.0.0.1"  # never anything but loopback


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1).close()
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


@contextmanager
def started(command_for_port: Callable[[int], list[str]], log_path: Path,
            timeout: float = 60) -> Iterator[tuple[str, int]]:
    """Start a server on a free loopback port, wait until it answers, yield (base URL, pid).

    The one way this project starts a server: tests, the load test, the benchmark and the
    chart renderer. urllib, not httpx, because the chart renderer runs without dev packages.
    """
    port = free_port()
    with log_path.open("wb") as log:  # a file, not a pipe: an unread pipe blocks the server
        proc = subprocess.Popen(command_for_port(port), stdout=log, stderr=subprocess.STDOUT)
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + timeout
            while not _answers(f"{base}/-/versions.json"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Datasette did not start:\n"
                                       + log_path.read_text(errors="replace"))
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def running_server(pkg: DataPackage, log_path: Path) -> AbstractContextManager[tuple[str, int]]:
    """Datasette as ``peacetalks serve`` configures it; yields its base URL and process id."""
    return started(lambda port: datasette_command(pkg, HOST, port), log_path)


@contextmanager
def running_datasette(pkg: DataPackage, timeout: float = 30) -> Iterator[str]:
    """Serve the built package and yield its base URL; the server stops on exit."""
    with tempfile.TemporaryDirectory() as tmp, \
            started(lambda port: datasette_command(pkg, HOST, port), Path(tmp) / "log",
                    timeout) as (base, _pid):
        yield base


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def chromium_path() -> Path | None:
    """Debian's Chromium (never Playwright's own download)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None
