"""Datasette running in the background on a free port, for the chart renderer and tests."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .package import DataPackage
from .serve import datasette_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_datasette(pkg: DataPackage, timeout: float = 30) -> Iterator[str]:
    """Serve the built package and yield its base URL; the server stops on exit."""
    port = free_port()
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: an unread pipe blocks
        proc = subprocess.Popen(datasette_command(pkg, "127.0.0.1", port), stdout=log,
                                stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).close()
                    break
                except (urllib.error.URLError, ConnectionError):
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError("Datasette did not start:\n"
                                           + log.read().decode(errors="replace")) from None
                    time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def chromium_path() -> Path | None:
    """Debian's Chromium (never Playwright's own download)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None
