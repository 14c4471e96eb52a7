"""An editor runs any command: nothing under data/ or schemas/ changes unless they ask for it.

Every command of the CLI runs on a copy of the package; afterwards every file under data/ and
schemas/ has the same bytes and the same modification time. `format` edits data by design; on
data already in canonical form it must not even rewrite a file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_package, free_port
from peacetalks.cli import main
from peacetalks.package import DataPackage

# command -> its arguments after the command name ({other} is another copy of the package)
RUNS = {
    "validate": [],
    "format": [],
    "build": [],
    "query": ["SELECT count(*) FROM sources"],
    "docs": ["--check"],
    "cite": ["--check"],
    "diff": ["{other}"],
    "release": [],
    "changelog": [],
    "charts": ["--check"],
    "loadtest": ["--seconds", "2", "--connections", "4", "--expensive", "0"],
}
# The copy is not a git repository and has no chart pictures: these commands refuse there
# (exit 1 with a message), which is fine; what matters here is that they write no data.
MAY_REFUSE = {"release", "changelog", "charts"}
STARTS_A_SERVER = {"serve"}


def snapshot(pkg: DataPackage) -> dict[str, tuple[bytes, int]]:
    out = {}
    for folder in ("data", "schemas"):
        for f in sorted((pkg.root / folder).rglob("*")):
            out[str(f.relative_to(pkg.root))] = (f.read_bytes(), f.stat().st_mtime_ns)
    out["datapackage.json"] = (pkg.descriptor_path.read_bytes(),
                               pkg.descriptor_path.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> DataPackage:
    root = tmp_path_factory.mktemp("untouched") / "pkg"
    pkg = copy_package(root)
    for name in ("README.md", "CHANGELOG.md", "CITATION.cff", ".zenodo.json", "LICENSE",
                 "DATA-DICTIONARY.md"):
        shutil.copy(ROOT / name, root / name)
    return pkg


def test_every_command_is_listed_here():
    assert set(main.commands) == set(RUNS) | STARTS_A_SERVER, (
        "a new command: add it to RUNS so that this test checks it leaves data/ alone")


@pytest.mark.parametrize("command", list(RUNS))
def test_a_command_leaves_data_and_schemas_alone(package, tmp_path, command):
    other = copy_package(tmp_path / "other")
    args = [a.format(other=other.root) for a in RUNS[command]]
    before = snapshot(package)
    time.sleep(0.01)  # a rewrite would now show a later modification time
    result = CliRunner().invoke(main, [command, "--package", str(package.descriptor_path),
                                       *args])
    allowed = {0, 1} if command in MAY_REFUSE else {0}
    assert result.exit_code in allowed, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert snapshot(package) == before


def test_serve_leaves_data_and_schemas_alone(package):
    before = snapshot(package)
    port = free_port()
    exe = str(Path(sys.executable).with_name("peacetalks"))
    proc = subprocess.Popen([exe, "serve", "--package", str(package.descriptor_path),
                             "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/peacetalks/sources.json",
                                 timeout=2).status_code == 200
                break
            except httpx.TransportError:
                assert proc.poll() is None, "serve exited"
                time.sleep(0.3)
        else:
            pytest.fail("serve did not answer within 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    with pytest.raises(httpx.TransportError):  # the server stopped with it, none left behind
        httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
    assert snapshot(package) == before
